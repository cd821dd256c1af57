/**
 * Adding a domain is adding a module: its schemas and handlers are joined to the contract's and
 * nothing else changes. The new call is validated, dispatched against a real workspace, masked
 * in presentation mode and refused when it reuses a name — by the registration, not by the domain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z, type ZodType } from 'zod';
import { apiSchemas } from '../../../shared/api';
import { createDispatcher, type CallOptions, type Handlers } from '../../../main/rpc/dispatch';
import { declarePolicies } from '../../../shared/api/policy';
import { apiPolicies } from '../../../shared/api';
import { handlers } from '../../../main/services/handlers';
import { joinUnique } from '../../../shared/join';
import type { AppContext } from '../../../main/services/context';
import { listDatasets } from '../../../main/services/datasets';
import { importFile, testApp, type TestApp } from '../../helpers/app';
import { datasetPath } from '../../helpers/datasets';

// The whole "tally" domain: its contract entries, their declared policies and its handlers, as a domain module declares them.
const tallySchemas = {
  'tally/datasets': z.object({ contact: z.string().min(1) }).strict(),
  'tally/forget': z.object({ datasetId: z.string(), confirmName: z.string() }).strict(),
};
const tallyPolicies = declarePolicies(tallySchemas, {
  'tally/forget': { confirmDataset: (a) => ({ id: a.datasetId, typed: a.confirmName }), exclusive: true, backupBefore: (a) => `forgetting ${a.datasetId}`, mask: 'none' },
});
const tallyHandlers = {
  'tally/datasets': (a: { contact: string }, ctx: AppContext) => ({ datasets: listDatasets(ctx.requireSession().db).length, contact: a.contact }),
  'tally/forget': (_a: unknown, _ctx: AppContext, call?: CallOptions) => ({ cancelledJobs: call?.cancelledJobs, contact: '13812345678' }),
};

describe('a domain registered by joining its module', () => {
  let app: TestApp;
  beforeAll(() => { app = testApp(); });
  afterAll(() => app.close());

  it('answers through the one dispatcher with validation and presentation masking applied', async () => {
    const dispatch = createDispatcher(app.ctx, joinUnique<Handlers>('call', handlers, tallyHandlers as never), joinUnique<Record<string, ZodType>>('call', apiSchemas, tallySchemas));
    await app.call('workspace/create', { name: 'plug' });
    expect(await dispatch('tally/datasets', { contact: '13812345678' })).toEqual({ ok: true, result: { datasets: 0, contact: '13812345678' } });
    const bad = await dispatch('tally/datasets', { contact: '' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('bad_args');
    // the masking rule lives in the dispatcher: the new domain's answer is masked without asking
    app.ctx.presentation = true;
    const masked = await dispatch('tally/datasets', { contact: '13812345678' });
    app.ctx.presentation = false;
    expect(masked.ok && (masked.result as { contact: string }).contact).not.toBe('13812345678');
    // the existing contract is untouched, and the plain dispatcher does not know the new call
    expect((await dispatch('workspace/current', {})).ok).toBe(true);
    const unknown = await app.dispatch('tally/datasets', { contact: 'x' });
    expect(!unknown.ok && unknown.error.code).toBe('unknown_call');
  });

  it('applies the policies the module declares: typed-name check first, jobs cancelled, backup, masking class', async () => {
    const dispatch = createDispatcher(app.ctx, joinUnique<Handlers>('call', handlers, tallyHandlers as never), joinUnique<Record<string, ZodType>>('call', apiSchemas, tallySchemas), joinUnique('call policy', apiPolicies, tallyPolicies as never));
    await app.call('workspace/create', { name: 'plug policies' });
    const id = await importFile(app, datasetPath('iris.csv'), 'iris');
    const backups = async () => (await app.call('backups/list', {})).backups;
    const before = (await backups()).length;
    const refused = await dispatch('tally/forget', { datasetId: id, confirmName: 'not iris' });
    expect(!refused.ok && refused.error.code).toBe('confirm_mismatch');
    expect((await backups()).length).toBe(before); // a refused call backs nothing up
    app.ctx.presentation = true;
    const done = await dispatch('tally/forget', { datasetId: id, confirmName: 'iris' });
    app.ctx.presentation = false;
    // declared 'none': the answer is not masked; exclusive: the handler learns how many jobs were cancelled
    expect(done).toEqual({ ok: true, result: { cancelledJobs: 0, contact: '13812345678' } });
    const after = await backups();
    expect(after.length).toBe(before + 1);
    expect(after[0]!.reason).toBe(`before forgetting ${id}`);
  });

  it('refuses a module that declares a name the contract already has', () => {
    expect(() => joinUnique<Record<string, ZodType>>('call', apiSchemas, { 'datasets/list': z.object({}) })).toThrow(/Duplicate call "datasets\/list"/);
    expect(() => joinUnique<Handlers>('call', handlers, { 'sms/report': () => null } as never)).toThrow(/Duplicate call "sms\/report"/);
  });
});
