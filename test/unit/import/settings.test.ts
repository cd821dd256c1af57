/** Engine hints reach the stored data through the import service and the saved settings. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { importFile, testApp, type TestApp } from '../../helpers/app';
import { datasetPath } from '../../helpers/datasets';

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'hints' });
});
afterAll(() => app.close());

describe('import hints', () => {
  it('skipInitialSpace: FEBRL values lose the blank after each comma', async () => {
    const insp = await app.call('import/inspect', { files: [{ path: datasetPath('febrl-dataset1.csv') }] });
    expect(insp.settings.dialect.skipInitialSpace).toBe(true);
    const id = await importFile(app, datasetPath('febrl-dataset1.csv'), 'febrl');
    const r = app.ctx.requireSession().db.prepare(`SELECT count(*) AS n FROM ${id} WHERE given_name LIKE ' %'`).get() as { n: number };
    expect(r.n).toBe(0);
  });

  it('Excel serial dates, placeholders and US phones are typed, not invalid', async () => {
    const file = path.join(app.dir, 'hints.csv');
    writeFileSync(file, ['下单日期,金额,phone', ...Array.from({ length: 30 }, (_, i) => `${45292 + i},${i % 7 === 0 ? '-' : i * 10},310-246-${String(1500 + i).padStart(4, '0')}`)].join('\n'));
    const insp = await app.call('import/inspect', { files: [{ path: file }] });
    expect(insp.settings.columns[0]).toMatchObject({ type: 'date', dateFormat: 'excel-serial' });
    expect(insp.settings.columns[2]).toMatchObject({ type: 'phone', defaultCountry: 'US' });
    const { jobId } = await app.call('import/start', { files: [{ path: file }], name: 'hints', settings: insp.settings });
    const s = (await app.ctx.jobs.wait(jobId)).result as { datasetId: string; columns: { name: string; invalid: number }[] };
    expect(s.columns.map((c) => c.invalid)).toEqual([0, 0, 0]);
    const row = app.ctx.requireSession().db.prepare(`SELECT * FROM ${s.datasetId} WHERE _row = 1`).get() as Record<string, unknown>;
    expect(row).toMatchObject({ 下单日期: '2024-01-01', 金额: null, phone: '+13102461500' });
  });
});
