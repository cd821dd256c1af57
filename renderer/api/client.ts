/**
 * The typed client. Inside Electron the preload's `window.bridge` carries calls over ipc; in a
 * browser tab calls go over HTTP to 127.0.0.1 with the session token from the URL fragment.
 * Screens only see `call` and `onEvent` and never know which host answers.
 */
import type { ApiArgs, ApiName, ApiResult, CallReply } from '../../shared/api';
import type { EventName, Events } from '../../shared/events';

interface Bridge {
  call(name: string, args: unknown): Promise<CallReply>;
  on(listener: (name: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    bridge?: Bridge;
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly en: string,
    readonly zh: string,
    readonly details?: unknown,
  ) {
    super(en);
  }
  localized(lang: string): string {
    return lang.startsWith('zh') ? this.zh : this.en;
  }
}

function sessionToken(): string {
  const m = /token=([a-f0-9]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('segmint-token', m[1]!);
    // Keep the token out of the address bar and history.
    history.replaceState(null, '', location.pathname + location.search + location.hash.replace(/&?token=[a-f0-9]+/, '').replace(/^#$/, ''));
    return m[1]!;
  }
  return sessionStorage.getItem('segmint-token') ?? '';
}

const token = window.bridge ? '' : sessionToken();

async function rawCall(name: string, args: unknown): Promise<CallReply> {
  if (window.bridge) return window.bridge.call(name, args);
  const res = await fetch('/api/call', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name, args }),
  });
  return (await res.json()) as CallReply;
}

export async function call<K extends ApiName>(name: K, args: ApiArgs<K>): Promise<ApiResult<K>> {
  const reply = await rawCall(name, args);
  if (!reply.ok) throw new ApiError(reply.error.code, reply.error.en, reply.error.zh, reply.error.details);
  return reply.result as ApiResult<K>;
}

type Listener = (name: EventName, payload: unknown) => void;
const listeners = new Set<Listener>();
let started = false;

function startEvents(): void {
  if (started) return;
  started = true;
  if (window.bridge) {
    window.bridge.on((name, payload) => listeners.forEach((l) => l(name as EventName, payload)));
    return;
  }
  // Server-sent events read with fetch, so the token stays in a header. Reconnects on drop.
  const connect = async () => {
    try {
      const res = await fetch('/api/events', { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok || !res.body) throw new Error(String(res.status));
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const { name, payload } = JSON.parse(data.slice(6)) as { name: EventName; payload: unknown };
          listeners.forEach((l) => l(name, payload));
        }
      }
    } catch {
      /* fall through to reconnect */
    }
    setTimeout(connect, 1000);
  };
  void connect();
}

export function onEvent<K extends EventName>(name: K, fn: (payload: Events[K]) => void): () => void {
  startEvents();
  const l: Listener = (n, p) => {
    if (n === name) fn(p as Events[K]);
  };
  listeners.add(l);
  return () => listeners.delete(l);
}

export const isDesktop = () => !!window.bridge;

/** Browser mode: stream a file to the server (never read whole into memory here). */
export async function uploadFile(file: File, onProgress?: (done: number, total: number) => void): Promise<{ uploadId: string; name: string; size: number }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/upload?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.total);
    xhr.onload = () => {
      try {
        const reply = JSON.parse(xhr.responseText) as CallReply<{ uploadId: string; name: string; size: number }>;
        if (reply.ok) resolve(reply.result);
        else reject(new ApiError(reply.error.code, reply.error.en, reply.error.zh));
      } catch (e) {
        reject(e);
      }
    };
    xhr.onerror = () => reject(new ApiError('upload_failed', 'Upload failed.', '上传失败。'));
    xhr.send(file);
  });
}

/**
 * Browser mode: fetch a one-time download the server prepared (exports, reports) and hand it to
 * the browser's own download, keeping the session token in a header.
 */
export async function downloadExport(id: string, fileName: string): Promise<void> {
  const res = await fetch(`/api/download?id=${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new ApiError('download_failed', `Download failed (${res.status}).`, `下载失败（${res.status}）。`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
