/**
 * The grid's total for a whole typed table comes from the catalog (no count(*) over a million rows):
 * it must equal the rows the table really holds after an import, an append with quarantined lines,
 * and for a derived result; a filtered page still counts what matches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runJob, tempDir, testApp, type TestApp } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';

let t: ReturnType<typeof tempDir>;
let app: TestApp;
let ws: string;
const HEADER = '订单号,会员编号,下单时间,实付金额,城市';

function lines(from: number, n: number, broken: number): string {
  const out = [HEADER];
  for (let i = 0; i < n; i++) out.push(`SO${from + i},M${100 + (i % 37)},2024-0${1 + (i % 9)}-1${i % 10} 09:30:00,${(i % 50) + 0.5},${i % 3 ? '杭州市' : '上海市'}`);
  // ragged lines go to quarantine, not into the table
  for (let i = 0; i < broken; i++) out.push(`X${i},M1,2024-01-01 00:00:00,1,杭州市,多余,多余`);
  return out.join('\n') + '\n';
}

const counted = (sql: string): number => {
  const db = new Database(ws, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  t = tempDir();
  const cli = segmintIn(() => t.dir);
  ws = path.join(t.dir, 'w.segmint');
  writeFileSync(path.join(t.dir, 'a.csv'), lines(1, 1234, 0));
  writeFileSync(path.join(t.dir, 'b.csv'), lines(5000, 321, 3));
  cli.json(['workspace', 'create', ws]);
  cli.json(['import', path.join(t.dir, 'a.csv'), '--name', 'orders', '--workspace', ws]);
  cli.json(['import', path.join(t.dir, 'b.csv'), '--append-to', 'orders', '--workspace', ws]);
  app = testApp();
  await app.call('workspace/open', { path: ws });
}, 120_000);

afterAll(async () => {
  await app?.close();
  t?.cleanup();
});

describe('the grid total of a whole table', () => {
  it('equals the rows the typed table holds after an import and an append with quarantined lines', async () => {
    const [ds] = await app.call('datasets/list', {});
    const page = await app.call('datasets/rows', { id: ds.id, table: 'typed', offset: 0, limit: 50, sort: [], filters: [] });
    expect(page.total).toBe(counted(`SELECT count(*) FROM "${ds.id}"`));
    expect(page.total).toBe(1234 + 321);
    const quarantine = await app.call('datasets/rows', { id: ds.id, table: 'quarantine', offset: 0, limit: 50, sort: [], filters: [] });
    expect(quarantine.total).toBe(3);
    // a filter still counts what matches
    const city = await app.call('datasets/rows', { id: ds.id, table: 'typed', offset: 0, limit: 50, sort: [], filters: [{ column: '城市', op: 'eq', value: '上海市' }] });
    expect(city.total).toBe(counted(`SELECT count(*) FROM "${ds.id}" WHERE "城市" = '上海市'`));
    expect(city.total).toBeLessThan(page.total);
  });

  it('equals the rows of a derived result', async () => {
    const [ds] = await app.call('datasets/list', {});
    const r = await runJob<{ datasetId: string; customers: number }>(app, app.call('segments/rfm', { datasetId: ds.id }));
    const page = await app.call('datasets/rows', { id: r.datasetId, table: 'typed', offset: 0, limit: 10, sort: [], filters: [] });
    expect(page.total).toBe(counted(`SELECT count(*) FROM "${r.datasetId}"`));
    expect(page.total).toBe(37);
  });
});
