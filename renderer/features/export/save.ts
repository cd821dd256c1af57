/**
 * Where a file the user asked for goes: in the desktop app a native save dialog (which grants
 * the chosen path); in browser mode a one-time download the server prepares.
 */
import { call, downloadExport, isDesktop } from '../../api/client';

export type Destination = { path: string; download?: false } | { download: true; fileName: string };

/** null when the user cancelled the dialog. */
export async function chooseDestination(defaultName: string, ext: string): Promise<Destination | null> {
  if (!isDesktop()) return { download: true, fileName: defaultName };
  const r = await call('host/choose-save', { defaultName, filters: [{ name: ext.toUpperCase(), extensions: [ext] }] });
  return r.path ? { path: r.path } : null;
}

/** After the server wrote it: hand a browser-mode download to the browser. */
export async function finishDestination(r: { downloadId: string | null; fileName: string }): Promise<void> {
  if (r.downloadId) await downloadExport(r.downloadId, r.fileName);
}
