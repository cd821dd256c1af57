/**
 * Bad input through the import service: every case gets a clear zh/en message or imports with
 * its bad records quarantined, and rows in = imported + quarantined always holds. (The engine's
 * property-based hostile CSVs are in property.test.ts, its fixtures in fixtures.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { testApp, type TestApp } from '../../helpers/app';
import type { ImportSummary } from '../../../shared/api/import';

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'hostile' });
});
afterAll(() => app.close());

async function importBytes(name: string, bytes: Uint8Array | string) {
  const file = path.join(app.dir, name);
  writeFileSync(file, bytes);
  const inspect = await app.call('import/inspect', { files: [{ path: file }] });
  const { jobId } = await app.call('import/start', { files: [{ path: file }], name, settings: inspect.settings });
  const job = await app.ctx.jobs.wait(jobId);
  return { job, summary: job.result as ImportSummary, inspect };
}

async function datasetsCount() {
  return (await app.call('datasets/list', {})).length;
}

describe('bad input through the import service', () => {
  it('empty file → clear error, nothing changed', async () => {
    const before = await datasetsCount();
    const file = path.join(app.dir, 'empty.csv');
    writeFileSync(file, '');
    await expect(app.call('import/inspect', { files: [{ path: file }] })).rejects.toMatchObject({ code: 'empty_file', zh: expect.stringContaining('空') });
    expect(await datasetsCount()).toBe(before);
  });

  it('header only → the job fails with no_rows and leaves nothing', async () => {
    const before = await datasetsCount();
    const { job, inspect } = await importBytes('header-only.csv', 'a,b,c\n');
    expect(inspect.warnings.map((w) => w.code)).toContain('no_rows');
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'no_rows' });
    expect(await datasetsCount()).toBe(before);
    const tables = app.ctx.requireSession().db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'ds_%'").get() as { n: number };
    expect(tables.n).toBe(before * 3);
  });

  it('binary file renamed .csv → clear error', async () => {
    const file = path.join(app.dir, 'photo.csv');
    writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 256)));
    await expect(app.call('import/inspect', { files: [{ path: file }] })).rejects.toMatchObject({ code: 'binary_file' });
  });

  it('NUL bytes, ragged rows and an unterminated quote are quarantined with line numbers; nothing lost', async () => {
    const text = 'id,name,amount\n1,张三,10\n2,李\u0000四,20\n3,王五\n4,赵六,40,extra,more\n5,"钱七,50\n';
    const { summary } = await importBytes('messy.csv', text);
    expect(summary.rowsIn).toBe(5);
    expect(summary.rowsImported + summary.rowsQuarantined).toBe(summary.rowsIn);
    const q = await app.call('datasets/rows', { id: summary.datasetId, table: 'quarantine' });
    const byLine = Object.fromEntries(q.rows.map((r) => [r[0], r[1]]));
    expect(byLine).toEqual({ 3: 'nul_byte', 4: 'ragged', 5: 'ragged', 6: 'unterminated_quote' });
    const audit = await app.call('audit/list', { limit: 1, action: 'dataset.imported' });
    expect(audit.entries[0]!.details).toMatchObject({ rowsIn: 5, rowsImported: 1, rowsQuarantined: 4 });
  });

  it('a 5 MB single field imports whole', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const { summary } = await importBytes('bigfield.csv', `id,blob\n1,${big}\n2,small\n`);
    expect(summary.rowsImported).toBe(2);
    const r = app.ctx.requireSession().db.prepare(`SELECT length(blob) AS n FROM ${summary.datasetId} WHERE id = 1`).get() as { n: number };
    expect(r.n).toBe(big.length);
  });

  it('10,000 columns → clear error about the column limit', async () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: 10_000 }, (_, i) => i).join(',');
    const file = path.join(app.dir, 'wide.csv');
    writeFileSync(file, `${header}\n${row}\n`);
    await expect(app.call('import/inspect', { files: [{ path: file }] })).rejects.toMatchObject({ code: 'too_many_columns', message: expect.stringContaining('10000') });
  });

  it('duplicate and empty header names are made unique', async () => {
    const { summary } = await importBytes('dups.csv', '金额,金额,,名称\n1,2,3,a\n');
    expect(summary.columns.map((c) => c.name)).toEqual(['金额', '金额_2', 'column_3', '名称']);
  });

  it('mixed line endings import every row', async () => {
    const { summary } = await importBytes('mixed.csv', 'a,b\r\n1,2\n3,4\r5,6\r\n');
    expect(summary.rowsImported).toBe(3);
  });

  it('a file that changes encoding halfway: the GBK lines are quarantined as undecodable, none lost', async () => {
    const head = Buffer.from('id,城市\n' + Array.from({ length: 2000 }, (_, i) => `${i},北京市`).join('\n') + '\n', 'utf8');
    const tail = iconv.encode(Array.from({ length: 5 }, (_, i) => `${2000 + i},广州市`).join('\n') + '\n', 'gbk');
    const { summary } = await importBytes('halfway.csv', Buffer.concat([head, tail]));
    expect(summary.rowsIn).toBe(2005);
    expect(summary.rowsImported).toBe(2000);
    expect(summary.rowsQuarantined).toBe(5);
    const q = await app.call('datasets/rows', { id: summary.datasetId, table: 'quarantine' });
    expect(q.rows.every((r) => r[1] === 'undecodable')).toBe(true);
  });

  it('appends several monthly files with the same header, refuses a different one', async () => {
    const a = path.join(app.dir, 'm1.csv');
    const b = path.join(app.dir, 'm2.csv');
    const c = path.join(app.dir, 'other.csv');
    writeFileSync(a, 'id,amount\n1,10\n2,20\n');
    writeFileSync(b, 'id,amount\n3,30\n');
    writeFileSync(c, 'id,price\n4,40\n');
    const inspect = await app.call('import/inspect', { files: [{ path: a }, { path: b }] });
    const { jobId } = await app.call('import/start', { files: [{ path: a }, { path: b }], name: 'monthly', settings: inspect.settings });
    const job = await app.ctx.jobs.wait(jobId);
    expect((job.result as ImportSummary).rowsImported).toBe(3);
    await expect(app.call('import/inspect', { files: [{ path: a }, { path: c }] })).rejects.toMatchObject({ code: 'header_mismatch' });
  });
});
