/**
 * Electron entry. Security posture: contextIsolation, sandbox, no nodeIntegration, a strict
 * CSP on every response, the renderer served from a private app:// scheme (no remote content),
 * navigation/new windows/permission requests denied, one instance at a time. The renderer
 * talks to the same dispatcher as browser mode, over ipc.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session, shell, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp, type App } from './app';
import { readSettings, updateSettings } from './services/settings';
import { setPdfPrinter } from './services/reports/index';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();

let segmint: App;
let win: BrowserWindow | null = null;

function lang(): 'zh-CN' | 'en' {
  const s = readSettings(segmint.ctx).language;
  return s ?? (app.getLocale().startsWith('zh') ? 'zh-CN' : 'en');
}

function buildMenu(): void {
  const zh = lang() === 'zh-CN';
  const t = (z: string, e: string) => (zh ? z : e);
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { label: t('文件', 'File'), submenu: [{ role: 'quit', label: t('退出', 'Quit') }] },
    { label: t('编辑', 'Edit'), submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: t('视图', 'View'), submenu: [{ role: 'reload' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { label: t('帮助', 'Help'), submenu: [{ label: t('关于 Segmint', 'About Segmint'), click: () => dialog.showMessageBox({ message: `Segmint ${app.getVersion()}` }) }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): void {
  const st = readSettings(segmint.ctx).window ?? { width: 1400, height: 900 };
  win = new BrowserWindow({
    width: st.width,
    height: st.height,
    x: st.x,
    y: st.y,
    show: false,
    title: 'Segmint',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (st.maximized) win.maximize();
  win.once('ready-to-show', () => win?.show());
  const saveState = () => {
    if (!win) return;
    const b = win.getNormalBounds();
    updateSettings(segmint.ctx, { window: { width: b.width, height: b.height, x: b.x, y: b.y, maximized: win.isMaximized() } });
  };
  win.on('close', saveState);
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith('app://segmint/')) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  void win.loadURL('app://segmint/index.html');
}

void app.whenReady().then(() => {
  segmint = createApp('electron');
  // PDF reports (main/services/reports/index.ts): the self-contained HTML is printed by a
  // hidden, sandboxed window without JavaScript — the packaged app never needs a system Chromium.
  setPdfPrinter(async (html) => {
    const w = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, disableBlinkFeatures: 'Auxclick' } });
    try {
      await w.loadURL('data:text/html;charset=utf-8,' + encodeURIComponent(html));
      return await w.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    } finally {
      w.destroy();
    }
  });
  // Host services only Electron has: native file dialogs, which also grant the chosen paths.
  segmint.ctx.hostServices = {
    async chooseFiles(opts) {
      const r = await dialog.showOpenDialog(win!, { properties: opts.multiple ? ['openFile', 'multiSelections'] : ['openFile'], filters: opts.filters });
      for (const f of r.filePaths) segmint.ctx.grantRead(f);
      return r.canceled ? [] : r.filePaths;
    },
    async chooseSavePath(opts) {
      const r = await dialog.showSaveDialog(win!, { defaultPath: opts.defaultName, filters: opts.filters });
      if (r.canceled || !r.filePath) return null;
      segmint.ctx.grantWrite(r.filePath);
      return r.filePath;
    },
    async reveal(file) {
      shell.showItemInFolder(file);
    },
  };
  protocol.handle('app', (req) => {
    const url = new URL(req.url);
    const rel = decodeURIComponent(url.pathname);
    const file = path.normalize(path.join(rendererDir, rel));
    if (!file.startsWith(rendererDir + path.sep)) return new Response('forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).toString());
  });
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  ipcMain.handle('segmint:call', (e, name: string, args: unknown) => {
    if (!e.senderFrame || !e.senderFrame.url.startsWith('app://segmint/')) {
      return { ok: false, error: { code: 'bad_origin', en: 'Call from an unknown frame.', zh: '来自未知页面的调用。' } };
    }
    return segmint.dispatch(name, args).then((r) => {
      if (name === 'settings/set') buildMenu();
      return r;
    });
  });
  segmint.ctx.onEvent((name, payload) => win?.webContents.send('segmint:event', name, payload));
  buildMenu();
  createWindow();
});

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (ev, url) => {
    if (!url.startsWith('app://segmint/')) ev.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});
app.on('window-all-closed', () => {
  void segmint?.shutdown().finally(() => app.quit());
});
