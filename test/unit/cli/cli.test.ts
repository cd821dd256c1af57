/**
 * The real `segmint` bin in a child process against real files: counts from --json, clean
 * stdout, exit codes and one-line errors for bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { datasetPath } from '../../helpers/datasets';
import { tempDir } from '../../helpers/app';
import { segmintBin as bin, segmintIn } from '../../helpers/cli';

let t: ReturnType<typeof tempDir>;
let ws: string;

const cli = segmintIn(() => t.dir);
const segmint = cli.run;
const json = (args: string[]) => cli.json(args);

beforeAll(() => {
  t = tempDir();
  ws = path.join(t.dir, 'cli.segmint');
});
afterAll(() => t.cleanup());

const EXPECTED: Record<string, { rows: number; cols: number }> = {
  'cdnow-master.txt': { rows: 69_659, cols: 4 },
  'cdnow-sample.txt': { rows: 6_919, cols: 5 },
  'cdnow-customers-summary.csv': { rows: 2_357, cols: 4 },
  'cdnow-customers-summary-monetary.csv': { rows: 2_357, cols: 5 },
  'online-retail-sample.csv': { rows: 38_103, cols: 8 },
  'telco-customer-churn.csv': { rows: 7_043, cols: 21 },
  'sms-spam-collection.tsv': { rows: 5_574, cols: 2 },
  'sms-zh-labelled-sample.csv': { rows: 307, cols: 3 },
  'sms-zh-labelled-sample-gbk.csv': { rows: 306, cols: 3 },
  'fbs-sms-spam-zh.csv': { rows: 14_074, cols: 2 },
  'fbs-sms-spam-zh-gbk.csv': { rows: 14_074, cols: 2 },
  'mall-customers.csv': { rows: 200, cols: 5 },
  'iris.csv': { rows: 150, cols: 5 },
  'febrl-dataset1.csv': { rows: 1_000, cols: 11 },
  'febrl-dataset4a.csv': { rows: 5_000, cols: 11 },
  'febrl-dataset4b.csv': { rows: 5_000, cols: 11 },
  'restaurant-fodors-zagat.csv': { rows: 864, cols: 6 },
  'restaurant-fodors-zagat-gold.csv': { rows: 112, cols: 3 },
  'cora-citations.tsv': { rows: 1_879, cols: 17 },
  'cora-citations-gold.tsv': { rows: 64_578, cols: 2 },
};

describe('segmint CLI', () => {
  it('creates a workspace and reports it as JSON', () => {
    const r = json(['workspace', 'create', ws]);
    expect(r).toMatchObject({ path: ws, schemaVersion: expect.any(Number), datasets: [] });
  });

  it('imports every vendored dataset (test/datasets) with the right counts', () => {
    for (const [file, exp] of Object.entries(EXPECTED)) {
      const r = json(['import', datasetPath(file), '--workspace', ws]);
      expect(r.rowsImported, file).toBe(exp.rows);
      expect(r.rowsQuarantined, file).toBe(0);
      expect(r.rowsIn, file).toBe(r.rowsImported + r.rowsQuarantined);
      expect(r.columns.length, file).toBe(exp.cols);
    }
    const list = json(['datasets', 'list', '--workspace', ws]);
    expect(list.datasets).toHaveLength(Object.keys(EXPECTED).length);
  });

  it('GBK and UTF-8 copies decode to the same text', () => {
    const q = (sql: string) => json(['query', '--sql', sql, '--workspace', ws]).rows;
    const list = json(['datasets', 'list', '--workspace', ws]).datasets as { datasetId: string; name: string; columns: { name: string }[] }[];
    const id = (n: string) => list.find((d) => d.name === n)!;
    const utf = id('fbs-sms-spam-zh');
    const gbk = id('fbs-sms-spam-zh-gbk');
    expect(gbk.columns.map((c) => c.name)).toEqual(['类别', '短信内容(已分词)']);
    const a = q(`SELECT "${utf.columns[1]!.name}" FROM ${utf.datasetId}__raw ORDER BY _row`);
    const b = q(`SELECT "${gbk.columns[1]!.name}" FROM ${gbk.datasetId}__raw ORDER BY _row`);
    expect(b).toEqual(a);
  });

  it('keeps stdout to one JSON object and refuses writes in query', () => {
    const r = segmint(['query', '--sql', 'DROP TABLE datasets', '--workspace', ws, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/read-only/);
    const zh = segmint(['query', '--sql', 'DELETE FROM audit_log', '--workspace', ws, '--lang', 'zh']);
    expect(zh.code).toBe(1);
    expect(zh.stderr).toMatch(/只读/);
  });

  it('gives exit 1 and one clear line for bad input, exit 2 for usage errors', () => {
    const missing = segmint(['import', path.join(t.dir, 'nope.csv'), '--workspace', ws, '--json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
    expect(missing.stderr).not.toMatch(/at .*\.m?js/);
    const binFile = path.join(t.dir, 'binary.csv');
    writeFileSync(binFile, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
    const binary = segmint(['import', binFile, '--workspace', ws]);
    expect(binary.code).toBe(1);
    expect(binary.stderr).toMatch(/binary/);
    expect(segmint(['frobnicate']).code).toBe(2);
    expect(segmint(['import', '--workspace']).code).toBe(2);
    expect(segmint(['datasets', 'list']).code).toBe(2);
  });

  it('refuses a wrong passphrase with exit 1', () => {
    const enc = path.join(t.dir, 'enc.segmint');
    expect(segmint(['workspace', 'create', enc, '--passphrase-env', 'PW'], { PW: 'right passphrase' }).code).toBe(0);
    const wrong = segmint(['datasets', 'list', '--workspace', enc, '--passphrase-env', 'PW'], { PW: 'wrong passphrase' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/Wrong passphrase/);
    expect(segmint(['datasets', 'list', '--workspace', enc, '--passphrase-env', 'PW', '--json'], { PW: 'right passphrase' }).code).toBe(0);
  });

  it('replays saved import settings on another file', () => {
    const settings = path.join(t.dir, 'retail.import.json');
    const a = json(['import', datasetPath('online-retail-sample.csv'), '--workspace', ws, '--name', 'retail A', '--save-settings', settings]);
    const b = json(['import', datasetPath('online-retail-sample.csv'), '--workspace', ws, '--name', 'retail B', '--settings', settings]);
    expect(b.columns).toEqual(a.columns);
    expect(b.rowsImported).toBe(a.rowsImported);
    const wrong = segmint(['import', datasetPath('iris.csv'), '--workspace', ws, '--settings', settings]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/columns/);
  });
});

describe('segmint analysis commands', () => {
  it('rfm → kmeans → segments list, with --out CSV', () => {
    const out = path.join(t.dir, 'rfm.csv');
    const rfm = json(['rfm', '--dataset', 'online-retail-sample', '--workspace', ws, '--out', out]);
    expect(rfm.customers).toBe(442);
    expect(rfm.asOf).toBe('2011-12-09');
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith('\ufeffcustomer_id,member_id,phone,recency,frequency,monetary,r,f,m,segment')).toBe(true);
    expect(csv.trim().split('\r\n')).toHaveLength(443);
    const km = json(['kmeans', '--dataset', rfm.datasetId, '--features', 'recency,frequency,monetary', '--k', '4', '--workspace', ws]);
    expect(km.inertia).toBeLessThanOrEqual(412.49 * 1.001);
    const curve = json(['kmeans', '--dataset', rfm.datasetId, '--features', 'recency,frequency,monetary', '--k-range', '2-4', '--workspace', ws]);
    expect(curve.curve.map((p: { k: number }) => p.k)).toEqual([2, 3, 4]);
    const list = json(['segments', 'list', '--workspace', ws]);
    expect(list.segmentations.length).toBeGreaterThanOrEqual(2);
    expect(segmint(['kmeans', '--dataset', rfm.datasetId, '--features', 'recency', '--workspace', ws]).code).toBe(2);
  });

  it('text classify: k-fold metrics and predictions for another dataset', () => {
    const out = path.join(t.dir, 'pred.csv');
    const r = json(['text', 'classify', '--dataset', 'sms-zh-labelled-sample', '--text', 'text', '--label', 'label', '--folds', '3', '--apply-to', 'sms-zh-labelled-sample-gbk:短信内容', '--out', out, '--workspace', ws]);
    expect(r.method).toBe('logreg');
    expect(r.accuracy).toBeGreaterThan(0.8);
    expect(r.predictions.rows).toBe(306);
    expect(readFileSync(out, 'utf8').trim().split('\r\n')).toHaveLength(307);
    expect(segmint(['text', 'classify', '--dataset', 'sms-zh-labelled-sample', '--text', 'text', '--label', 'label', '--method', 'svm', '--workspace', ws]).code).toBe(2);
  });

  it('churn and rules', () => {
    const churn = json(['churn', '--dataset', 'telco-customer-churn', '--label', 'Churn', '--workspace', ws]);
    expect(churn.auc).toBeGreaterThanOrEqual(0.84);
    const rules = json(['rules', '--dataset', 'online-retail-sample', '--min-support', '0.03', '--workspace', ws]);
    expect(rules.itemsets).toBeGreaterThan(10);
    const bad = segmint(['churn', '--dataset', 'iris', '--label', 'nope', '--workspace', ws]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Unknown column/);
  });
});

describe('segmint demo + sms', () => {
  it('builds the demo and reports its campaigns and unsubscribes as JSON', () => {
    const demo = json(['demo', '--customers', '1500']);
    // Delivered = receipt-confirmed: the demo's receipts file makes sends delivered, so the grid has cells.
    const r = json(['sms', 'report', '--sends', '短信发送', '--receipts', '短信回执', '--replies', '短信回复', '--clicks', '短链点击', '--orders', '订单', '--window', '7d', '--workspace', demo.path]);
    expect(r.campaigns).toHaveLength(3);
    for (const c of r.campaigns) expect(c.sent).toBeGreaterThan(c.clicked);
    for (const c of r.campaigns) expect(c.clicked).toBeGreaterThan(0);
    expect(r.bestSlot.endHour).toBeGreaterThan(r.bestSlot.startHour);
    expect(r.bestCell.n).toBeGreaterThanOrEqual(r.bestCell.x);
    expect(r.bestCell.recommendationZh).toContain('Wilson');
    const out = path.join(t.dir, 'unsub.csv');
    const u = json(['sms', 'unsubscribes', '--replies', '短信回复', '--workspace', demo.path, '--out', out]);
    expect(u.count).toBe(r.totals.unsubscribed);
    expect(readFileSync(out, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(u.count + 1);
    expect(segmint(['sms', 'report', '--workspace', demo.path]).code).toBe(2);
    expect(json(['sms', 'sample-size', '--p1', '0.10', '--p2', '0.12']).perVariant).toBe(3841);
    const rec = json(['sms', 'report', '--sends', '短信发送', '--receipts', '短信回执', '--workspace', demo.path]);
    expect(rec.totals.delivered).toBeGreaterThan(0);
    // The suppression list filled from the same replies when they were imported, once per phone: a sync finds nothing new.
    const filled = json(['sms', 'suppression', 'list', '--workspace', demo.path]).total;
    expect(filled).toBeGreaterThan(0);
    const sync = json(['sms', 'suppression', 'sync', '--replies', '短信回复', '--workspace', demo.path]);
    expect(sync.detected).toBe(u.count);
    expect(sync.added).toBe(0);
    expect(sync.already).toBe(filled);
    // Monitoring: the sends are one batch; appending the same file again makes batch 2.
    const mon = json(['sms', 'monitor', '--sends', '短信发送', '--replies', '短信回复', '--name', 'demo', '--min-delivery', '0.95', '--workspace', demo.path]);
    expect(mon.monitors[0].trend).toHaveLength(1);
    expect(mon.monitors[0].alerts[0]).toMatchObject({ batch: 1, kpi: 'deliveryRate' }); // the demo delivers ~90%
    const file = path.join(path.dirname(demo.truth), 'sms_sends.csv');
    const app = json(['import', file, '--append-to', '短信发送', '--workspace', demo.path]);
    expect(app.batch).toBe(2);
    expect(json(['sms', 'monitor', '--workspace', demo.path]).monitors[0].trend).toHaveLength(2);
    expect(json(['text', 'dictionary', '--add', '请帮我退订,优品汇', '--workspace', demo.path]).words).toEqual(['请帮我退订', '优品汇']);
    expect(json(['text', 'dictionary', '--remove', '优品汇', '--workspace', demo.path]).words).toEqual(['请帮我退订']);
    const senti = json(['text', 'sentiment', '--dataset', '短信回复', '--column', '回复内容', '--workspace', demo.path]);
    expect(senti.positive + senti.neutral + senti.negative).toBe(senti.docs);
    expect(senti.negative).toBeGreaterThan(0);
    const kw = json(['text', 'keywords', '--dataset', '短信发送', '--column', '短信内容', '--by', '活动名称', '--workspace', demo.path]);
    expect(kw.keywordsByGroup).toHaveLength(3);
    expect(kw.topTerms.length).toBeGreaterThan(5);
  });
});
