/**
 * One contract suite, run against both hosts: the in-process dispatcher (what the Electron ipc
 * host calls) and the HTTP host of browser mode. Same calls, same answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_NAMES } from '../../shared/api';
import { testApp, type TestApp } from '../helpers/app';
import { inProcess, overHttp, type RawCall } from '../helpers/transports';
import type { HttpHost } from '../../main/rpc/http-host';

for (const transport of ['in-process', 'http'] as const) {
  describe(`contract over ${transport}`, () => {
    let app: TestApp;
    let call: RawCall;
    let host: HttpHost | null = null;
    beforeAll(async () => {
      app = testApp();
      if (transport === 'http') ({ call, host } = await overHttp(app));
      else call = inProcess(app);
    });
    afterAll(async () => {
      await host?.close();
      await app.close();
    });

    it('rejects bad arguments for every call with a clear, bilingual error', async () => {
      for (const name of API_NAMES) {
        for (const bad of [{ __bogus: 1 }, 'not an object', [1, 2]]) {
          const r = await call(name, bad);
          expect(r.ok, `${name} accepted ${JSON.stringify(bad)}`).toBe(false);
          if (!r.ok) {
            expect(r.error.code).toBe('bad_args');
            expect(r.error.en).toContain(name);
            expect(r.error.zh).toContain(name);
          }
        }
      }
    });

    it('rejects unknown calls', async () => {
      const r = await call('workspace/explode', {});
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    });

    it('runs the workspace round trip', async () => {
      const created = await call('workspace/create', { name: `contract ${transport}` });
      expect(created.ok).toBe(true);
      const cur = await call('workspace/current', {});
      expect(cur).toMatchObject({ ok: true, result: { name: `contract ${transport}`, datasets: 0 } });
      expect(await call('datasets/list', {})).toEqual({ ok: true, result: [] });
      const q = await call('datasets/query', { sql: "DELETE FROM audit_log" });
      expect(q).toMatchObject({ ok: false, error: { code: 'sql_not_read_only' } });
      const q2 = await call('datasets/query', { sql: 'SELECT action FROM audit_log ORDER BY id' });
      expect(q2).toMatchObject({ ok: true, result: { columns: ['action'], rows: [['workspace.created']] } });
      expect(await call('datasets/get', { id: 'ds_99' })).toMatchObject({ ok: false, error: { code: 'dataset_not_found' } });
      expect((await call('workspace/close', {})).ok).toBe(true);
      expect(await call('datasets/list', {})).toMatchObject({ ok: false, error: { code: 'no_workspace' } });
    });

    it('keeps settings', async () => {
      expect(await call('settings/set', { language: 'en' })).toMatchObject({ ok: true, result: { language: 'en' } });
      expect(await call('settings/get', {})).toMatchObject({ ok: true, result: { language: 'en' } });
      expect(await call('settings/set', { language: 'fr' })).toMatchObject({ ok: false, error: { code: 'bad_args' } });
    });
  });
}
