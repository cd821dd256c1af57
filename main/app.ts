/** Builds one application (context + job runner + dispatcher) for a host, with every domain loaded. */
import type { HostKind } from './services/context';
import { createDispatcher } from './rpc/dispatch';
import { handlers } from './services/handlers';
import { apiJobs } from '../shared/api';
import { assembleApp, type App } from './app-core';

export type { App } from './app-core';

export function createApp(host: HostKind, opts: { dataDir?: string } = {}): App {
  return assembleApp(host, opts, { jobs: apiJobs, dispatcher: (ctx) => createDispatcher(ctx, handlers) });
}
