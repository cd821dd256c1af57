/**
 * `segmint columns list|set` on the messy brand (imported the normal way): a wrong role and a
 * wrong type fixed after import change RFM as they should, values come back exactly from the raw
 * table, earlier results are marked stale and the audit log records each change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';

let t: ReturnType<typeof tempDir>;
let W: string[];
let truth: { orderLines: number; validLines: number; asOf: string; familyPairs: [number, number][] };
const cli = segmintIn(() => t.dir, { extraArgs: ['--lang', 'en'] });

beforeAll(() => {
  t = tempDir();
  const ws = path.join(t.dir, 'brand.segmint');
  W = ['--workspace', ws];
  const out = cli.json(['demo', 'messy', '--out', path.join(t.dir, 'export'), '--people', '400', '--seed', '3', '--workspace', ws]);
  truth = JSON.parse(readFileSync(out.truth, 'utf8'));
}, 120_000);
afterAll(() => t.cleanup());

describe('segmint columns', () => {
  it('a birthday without its role lets dedupe merge families sharing a phone; with the role back, families stay two people; earlier results go stale', () => {
    const cols = cli.json(['columns', 'list', '--dataset', 'CRM会员', ...W]).columns as { name: string; type: string; role: string | null }[];
    expect(cols.find((c) => c.name === '生日')).toMatchObject({ type: 'date', role: 'birthday' });
    const familyMerged = (file: string) => {
      const rows = readFileSync(file, 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
      const cluster = new Map(rows.map(([row, c]) => [Number(row), c]));
      return truth.familyPairs.filter(([x, y]) => cluster.get(x) && cluster.get(x) === cluster.get(y)).length;
    };
    const rfm = cli.json(['rfm', '--dataset', '订单', '--as-of', truth.asOf, ...W]);
    const f1 = path.join(t.dir, 'd1.csv');
    const withBirthday = cli.json(['dedupe', '--dataset', 'CRM会员', '--out', f1, ...W]);
    expect(withBirthday.fields).toContain('生日');
    expect(familyMerged(f1)).toBe(0);
    // the importer's miss of the issue: 生日 with no role
    const change = cli.json(['columns', 'set', '--dataset', 'CRM会员', '--column', '生日', '--role', 'none', ...W]);
    expect(change).toMatchObject({ before: { role: 'birthday' }, column: { role: null }, retyped: 0 });
    const f2 = path.join(t.dir, 'd2.csv');
    const without = cli.json(['dedupe', '--dataset', 'CRM会员', '--out', f2, ...W]);
    expect(without.fields).not.toContain('生日');
    expect(familyMerged(f2)).toBeGreaterThan(truth.familyPairs.length / 2);
    const segs = cli.json(['segments', 'list', ...W]).segmentations as { id: string; stale: boolean }[];
    expect(segs.find((s) => s.id === rfm.segmentationId)!.stale).toBe(true);
    cli.json(['columns', 'set', '--dataset', 'CRM会员', '--column', '生日', '--role', 'birthday', ...W]);
    const f3 = path.join(t.dir, 'd3.csv');
    cli.json(['dedupe', '--dataset', 'CRM会员', '--out', f3, ...W]);
    expect(familyMerged(f3)).toBe(0);
  });

  it('a type changed and changed back re-reads the raw values exactly', () => {
    const id = cli.json(['columns', 'list', '--dataset', '订单', ...W]).datasetId;
    const sql = `SELECT sum("实付金额"), count("实付金额"), sum(typeof("实付金额") = 'real') FROM ${id}`;
    const before = cli.json(['query', '--sql', sql, ...W]).rows[0];
    expect(before[2]).toBe(truth.orderLines);
    const toText = cli.json(['columns', 'set', '--dataset', '订单', '--column', '实付金额', '--type', 'text', ...W]);
    expect(toText).toMatchObject({ before: { type: 'decimal' }, column: { type: 'text' }, retyped: truth.orderLines, invalid: 0 });
    const bad = cli.run(['rfm', '--dataset', '订单', '--as-of', truth.asOf, ...W]);
    expect(bad.code).toBe(1); // no numeric amounts left: a clear error, not a silent empty result
    const back = cli.json(['columns', 'set', '--dataset', '订单', '--column', '实付金额', '--type', 'decimal', ...W]);
    expect(back).toMatchObject({ column: { type: 'decimal', role: 'amount' }, retyped: truth.orderLines, invalid: 0 });
    expect(cli.json(['query', '--sql', sql, ...W]).rows[0]).toEqual(before);
    const audit = cli.json(['audit', '--action', 'dataset.column_changed', ...W]).entries;
    expect(audit).toHaveLength(4);
    expect(audit[0].details).toMatchObject({ column: '实付金额', before: { type: 'text' }, after: { type: 'decimal' } });
  });

  it('bad input: an unknown column is a clear error, an unknown role or type a usage error', () => {
    const r = cli.run(['columns', 'set', '--dataset', '订单', '--column', '金额X', '--role', 'amount', ...W]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no column "金额X"/);
    expect(cli.run(['columns', 'set', '--dataset', '订单', '--column', '状态', '--role', 'colour', ...W]).code).toBe(2);
    expect(cli.run(['columns', 'set', '--dataset', '订单', '--column', '状态', '--type', 'money', ...W]).code).toBe(2);
  });
});
