/**
 * The only bridge between the sandboxed renderer and main: `call(name, args)` and
 * `on(listener)`. No Node, no ipcRenderer, nothing else reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('bridge', {
  call: (name: string, args: unknown) => ipcRenderer.invoke('segmint:call', name, args),
  on: (listener: (name: string, payload: unknown) => void) => {
    const h = (_e: unknown, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on('segmint:event', h);
    return () => ipcRenderer.removeListener('segmint:event', h);
  },
});
