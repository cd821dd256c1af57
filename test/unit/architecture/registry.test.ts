/**
 * The joins list domains and refuse a name declared twice; every contract call has its handler.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { joinUnique } from '../../../shared/join';
import { handlers } from '../../../main/services/handlers';
import { loadAllJobKinds } from '../../../main/jobs/kinds';
import type { JobKinds } from '../../../main/jobs/types';
import { API_NAMES, JOB_KINDS, apiPolicies } from '../../../shared/api';
import { DOMAINS, domainOf, type DomainModule } from '../../../main/services/domains';
import { testApp } from '../../helpers/app';

// every domain's job kinds, loaded as a job thread loads each (main/jobs/kinds.ts)
let jobKinds: JobKinds;
beforeAll(async () => {
  jobKinds = await loadAllJobKinds();
});

describe('registration', () => {
  it('throws on a name two domains declare', () => {
    expect(joinUnique<Record<string, number>>('call', { 'a/x': 1 }, { 'b/y': 2 })).toEqual({ 'a/x': 1, 'b/y': 2 });
    expect(() => joinUnique<Record<string, number>>('call', { 'a/x': 1, 'a/z': 3 }, { 'b/y': 2, 'a/x': 4 })).toThrow(/Duplicate call "a\/x"/);
  });

  it('every contract call has exactly one handler, and nothing else is registered', () => {
    expect(Object.keys(handlers).sort()).toEqual([...API_NAMES].sort());
    for (const name of API_NAMES) expect(typeof handlers[name], name).toBe('function');
  });

  it('no contract name is declared by two domain files (the spread in shared/api.ts would hide it)', async () => {
    const dir = path.join(__dirname, '../../../shared/api');
    const declared: string[] = [];
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const mod = await import(path.join(dir, f));
      for (const [k, v] of Object.entries(mod)) if (k.endsWith('Schemas') && v && typeof v === 'object') declared.push(...Object.keys(v));
    }
    expect(declared.length).toBe(new Set(declared).size);
    expect(declared.sort()).toEqual([...API_NAMES].sort());
  });

  it('the domains the CLI loads one by one answer exactly the contract: each call routed to the domain that declares it', async () => {
    const calls: string[] = [];
    const kinds: string[] = [];
    for (const [name, load] of Object.entries(DOMAINS)) {
      const m: DomainModule = await load();
      for (const call of Object.keys(m.schemas)) {
        expect(domainOf(call), call).toBe(name);
        expect(typeof (m.handlers as Record<string, unknown>)[call], call).toBe('function');
        expect(m.policies?.[call], call).toBe((apiPolicies as Record<string, unknown>)[call]);
      }
      expect(Object.keys(m.handlers).sort(), name).toEqual(Object.keys(m.schemas).sort());
      calls.push(...Object.keys(m.schemas));
      kinds.push(...Object.keys(m.jobs ?? {}));
    }
    expect(calls.sort()).toEqual([...API_NAMES].sort());
    expect(kinds.sort()).toEqual([...JOB_KINDS].sort());
    for (const name of ['nosuch/call', 'constructor/x', '__proto__/x', 'toString']) expect(domainOf(name), name).toBe(null);
  });

  it('every job kind the contract declares has its function, and nothing else runs', () => {
    expect(Object.keys(jobKinds).sort()).toEqual([...JOB_KINDS].sort());
  });

  it('a job started with arguments its schema refuses fails the call, before any worker starts', () => {
    const app = testApp();
    try {
      const start = () => app.ctx.jobs.start('segments/rfm', { datasetId: 'ds_1', scheme: 'no such scheme' } as never, { label: 'x', dbPath: ':memory:', passphrase: null });
      expect(start).toThrow(/Invalid arguments for job segments\/rfm: scheme/);
      expect(app.ctx.jobs.list()).toEqual([]);
      expect(() => app.ctx.jobs.start('no/such' as never, {} as never, { label: 'x', dbPath: ':memory:', passphrase: null })).toThrow(/Unknown job kind/);
    } finally {
      app.close();
    }
  });

  it('job kinds are functions under domain names', () => {
    for (const [kind, fn] of Object.entries(jobKinds)) {
      expect(kind).toMatch(/^[a-z]+\/[a-z-]+(\/[a-z-]+)?$/);
      expect(typeof fn).toBe('function');
    }
  });
});
