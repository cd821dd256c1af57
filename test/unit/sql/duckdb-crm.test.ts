/**
 * The whole messy brand in the DuckDB engine — CRM list, orders and SMS sends (replies stay in the
 * workspace, as they must) — against the same export all in SQLite. What used to read SQLite rows on
 * its own must give the same answers where the rows are: the identity (a family sharing a phone is
 * two people only if the CRM's names and birthdays reach the build), the dashboard (with a segment
 * filter), k-means, text analytics, segment and gateway exports, linking, dedupe with its review
 * and merge, the dashboard report, and the quality profile and cleaning recipes (the cells the import
 * could not type keep their raw text in the workspace, laid over DuckDB's typed rows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir, testApp, type TestApp } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';

let t: ReturnType<typeof tempDir>;
let cli: ReturnType<typeof segmintIn>;
type Tally = { sent: number; delivered: number; converted: number; revenue: number; refunded: number; refundedRevenue: number; unsubscribed: number; cost: number };
let truth: { people: number; familyPairs: unknown[]; campaigns: (Tally & { campaign: string })[] };
const ws = { sqlite: '', duck: '' };
const FILES = [
  ['crm', 'CRM会员'],
  ['orders', '订单'],
  ['sms_sends', '短信发送'],
] as const;

beforeAll(() => {
  t = tempDir();
  cli = segmintIn(() => t.dir);
  const exp = path.join(t.dir, 'export');
  cli.json(['demo', 'messy', '--out', exp, '--people', '400', '--seed', '23']);
  truth = JSON.parse(readFileSync(path.join(exp, 'truth.json'), 'utf8'));
  for (const engine of ['sqlite', 'duck'] as const) {
    ws[engine] = path.join(t.dir, `${engine}.segmint`);
    cli.json(['workspace', 'create', ws[engine]]);
    for (const [file, name] of FILES) cli.json(['import', path.join(exp, `${file}.csv`), '--name', name, ...(engine === 'duck' ? ['--engine', 'duckdb'] : []), '--workspace', ws[engine]]);
    cli.json(['import', path.join(exp, 'sms_replies.csv'), '--name', '短信回复', '--workspace', ws[engine]]);
  }
}, 240_000);

afterAll(() => t?.cleanup());

/** The same command on both workspaces (the DuckDB one's answer second). */
const both = (args: string[]) => [cli.json([...args, '--workspace', ws.sqlite]), cli.json([...args, '--workspace', ws.duck])];
/** Ids differ between workspaces (dataset, segmentation, run ids, file paths, timings): drop them before comparing. */
const withoutIds = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (/^(segmentationId|datasetId|runId|path|auditId|seconds|summarySeconds|linkedAt|builtAt|steps|id|goldenDatasetId|mergeId|createdAt|out)$/.test(k) ? undefined : v)));

describe('the whole brand in DuckDB gives the answers of the workspace', () => {
  it('identity: the CRM list in DuckDB still tells a family sharing a phone apart (its names and birthdays reach the build)', () => {
    const [s, d] = both(['identity']);
    expect(s.customers).toBe(truth.people);
    expect(d.customers).toBe(s.customers);
    expect(s.sharedKeys).toBeGreaterThan(0);
    expect(d.sharedKeys).toBe(s.sharedKeys);
    expect(withoutIds(d.datasets)).toEqual(withoutIds(s.datasets));
  });

  it('the campaign report: the log and orders attributed in DuckDB (an ASOF join) give the planted truth, and the workspace\'s report', () => {
    const [s, d] = both(['sms', 'report', '--sends', '短信发送', '--orders', '订单', '--replies', '短信回复']);
    expect(withoutIds(d)).toEqual(withoutIds(s));
    const pick = (c: Tally) => ({ sent: c.sent, delivered: c.delivered, converted: c.converted, revenue: c.revenue, refunded: c.refunded, refundedRevenue: c.refundedRevenue, unsubscribed: c.unsubscribed, cost: c.cost });
    const planted = Object.fromEntries(truth.campaigns.map((c) => [c.campaign, pick(c)]));
    expect(Object.fromEntries((d.campaigns as (Tally & { campaign: string })[]).map((c) => [c.campaign, pick(c)]))).toEqual(planted);
    expect(d.totals.converted).toBeGreaterThan(50);
  });

  it('RFM segments, k-means and text analytics', () => {
    const [rs, rd] = both(['rfm', '--dataset', '订单']);
    expect(rd.customers).toBe(truth.people);
    expect(withoutIds(rd)).toEqual(withoutIds(rs));
    const [ks, kd] = both(['kmeans', '--dataset', '订单', '--features', '实付金额', '--k', '3', '--seed', '5']);
    expect(kd.sizes.reduce((x: number, y: number) => x + y, 0)).toBeGreaterThan(1000);
    expect(withoutIds(kd)).toEqual(withoutIds(ks));
    // the explorer profiles each order line in its own cluster (by its customer's membership, a customer's lines
    // in several clusters were all given one)
    const [ps, pd] = [cli.json(['segments', 'profile', '--segmentation', ks.segmentationId, '--workspace', ws.sqlite]), cli.json(['segments', 'profile', '--segmentation', kd.segmentationId, '--workspace', ws.duck])];
    const bySize = (xs: number[]) => [...xs].sort((a, b) => a - b);
    expect(bySize(ps.profiles.map((p: { size: number }) => p.size))).toEqual(bySize(ks.sizes));
    expect(withoutIds(pd)).toEqual(withoutIds(ps));
    const [ts, td] = both(['text', 'keywords', '--dataset', '短信发送', '--column', '短信内容', '--by', '活动名称']);
    expect(td.docs).toBeGreaterThan(500);
    expect(td).toEqual(ts);
  });

  it('rule segments (segmint segments rule) count and save the same members, dates and empties in DuckDB\'s dialect', async () => {
    const rules = [
      { kind: 'group', op: 'and', children: [{ kind: 'cond', column: '省份', op: 'in', values: ['浙江省', '广东省'] }, { kind: 'cond', column: '注册时间', op: 'lastDays', value: 730 }] },
      { kind: 'group', op: 'or', children: [{ kind: 'cond', column: '手机号', op: 'empty' }, { kind: 'cond', column: '姓名', op: 'contains', value: '王' }] },
    ];
    const counted: { count: number; customers: number }[] = [];
    for (const [k, rule] of rules.entries()) {
      const [s, d] = both(['segments', 'rule', '--dataset', 'CRM会员', '--rule', JSON.stringify(rule), '--name', `rule ${k}`]);
      counted.push(s);
      expect(d.count).toBeGreaterThan(5);
      expect(d.count).toBeLessThan(d.total);
      expect([d.count, d.total, d.customers, d.customersTotal]).toEqual([s.count, s.total, s.customers, s.customersTotal]);
      expect(s.customers).toBeLessThanOrEqual(s.count); // a person's several member ids are one customer
    }
    // every row of the CRM list: its member ids are more than its people (duplicate records), the identity counts the people
    const all = { kind: 'group', op: 'and', children: [] };
    const [as, ad] = both(['segments', 'rule', '--dataset', 'CRM会员', '--rule', JSON.stringify(all), '--name', 'everyone']);
    counted.push(as);
    expect(as.customersTotal).toBe(truth.people);
    expect(as.customers).toBe(truth.people);
    expect(as.count).toBeGreaterThan(truth.people);
    expect([ad.count, ad.customers, ad.customersTotal]).toEqual([as.count, as.customers, as.customersTotal]);
    const sizes = (args: string[]) => both(args).map((x) => x.segmentations.filter((g: { kind: string }) => g.kind === 'rule').map((g: { segments: { size: number }[] }) => g.segments[0]!.size));
    const [ls, ld] = sizes(['segments', 'list']);
    expect(ld).toEqual(ls);
    // a saved rule segment lists the customers the live count showed, not their member ids (the identity is built)
    const ascending = (xs: number[]) => [...xs].sort((a, b) => a - b);
    expect(ascending(ls)).toEqual(ascending(counted.map((c) => c.customers)));
    expect(counted.some((c) => c.customers < c.count)).toBe(true);
    const tiers = both(['segments', 'tiers', '--dataset', '订单', '--measure', '实付金额']).map((x) => x.segmentation.segments.map((g: { key: string; size: number }) => [g.key, g.size]));
    expect(tiers[1]).toEqual(tiers[0]);
    // value tiers of the order lines rank customers by their total, through the identity: each of the 400 in one tier
    expect(tiers[0]).toEqual([['top', 80], ['middle', 120], ['rest', 200]]);
    // in the CLI's language when it speaks Chinese, as the screen names them; the same members
    const zh = cli.json(['segments', 'tiers', '--dataset', '订单', '--measure', '实付金额', '--lang', 'zh', '--workspace', ws.duck]).segmentation;
    expect(zh.name).toBe('价值分层 · 实付金额');
    expect(zh.segments.map((g: { key: string; size: number }) => [g.key, g.size])).toEqual(tiers[0]);
    // the explorer profiles the rows of a segment's customers wherever they are: the rule over everyone covers every
    // row of the CRM list, a list without numeric columns (it failed with a syntax error)
    const crmRows = (cli.json(['datasets', 'list', '--workspace', ws.sqlite]).datasets as { name: string; rowsImported: number }[]).find((x) => x.name === 'CRM会员')!.rowsImported;
    const [ps, pd] = both(['segments', 'profile', '--segmentation', 'everyone']);
    expect(ps.profiles.map((p: { size: number }) => p.size)).toEqual([crmRows]);
    expect(crmRows).toBeGreaterThan(truth.people);
    expect(withoutIds(pd)).toEqual(withoutIds(ps));
    // the customers who paid for an order: every order line of theirs, under a second id or only a phone too
    // (their member id's text found 2,361 of the 4,473 lines)
    const ordersRows = (cli.json(['datasets', 'list', '--workspace', ws.sqlite]).datasets as { name: string; rowsImported: number }[]).find((x) => x.name === '订单')!.rowsImported;
    both(['segments', 'rule', '--dataset', '订单', '--rule', JSON.stringify({ kind: 'cond', column: '实付金额', op: 'gt', value: 0 }), '--name', 'paid']);
    const [os, od] = both(['segments', 'profile', '--segmentation', 'paid']);
    expect(os.profiles.map((p: { size: number }) => p.size)).toEqual([ordersRows]);
    expect(withoutIds(od)).toEqual(withoutIds(os));
    // value tiers of a DuckDB dataset are profiled and compared where its rows are: every order line is its customer's
    const [vs, vd] = both(['segments', 'profile', '--segmentation', 'Value tiers by 实付金额', '--compare', 'top,rest']);
    expect(vs.profiles.map((p: { key: string }) => p.key).sort()).toEqual(['middle', 'rest', 'top']);
    expect(vs.profiles.reduce((a: number, p: { size: number }) => a + p.size, 0)).toBe(ordersRows);
    expect(vs.compare.sizeA).toBeGreaterThan(100);
    expect(withoutIds(vd)).toEqual(withoutIds(vs));
  });

  it('lifecycle stages with the CRM list in DuckDB as the registrations, and a stage segment of them', () => {
    // the registrations were read from the workspace's SQLite and failed ("lives in the DuckDB engine")
    const [s, d] = both(['lifecycle', '--dataset', '订单', '--customers', 'CRM会员', '--segment', 'declining,churned']);
    expect(s.customers).toBe(truth.people);
    expect(s.segment.members).toBeGreaterThan(10);
    expect(withoutIds(d)).toEqual(withoutIds(s));
  });

  it('exports of a segment (the CRM list is found in DuckDB) and of a dataset: the same bytes', () => {
    const file = (engine: string, name: string) => path.join(t.dir, `${engine}-${name}`);
    for (const [name, args] of [
      ['champions.csv', ['export', '冠军客户']],
      ['send-list.csv', ['export', '冠军客户', '--purpose', 'gateway', '--template', '{姓名}您好，回T退订', '--message-column', '短信']],
      ['crm.csv', ['export', '--dataset', 'CRM会员', '--mask', '手机号']],
    ] as const) {
      const s = cli.json([...args, '--out', file('s', name), '--workspace', ws.sqlite]);
      const d = cli.json([...args, '--out', file('d', name), '--workspace', ws.duck]);
      expect(d.rows).toBeGreaterThan(10);
      expect(withoutIds(d)).toEqual(withoutIds(s));
      expect(readFileSync(file('d', name))).toEqual(readFileSync(file('s', name)));
    }
  });

  it('a segment exported from the orders carries every line of its members (under a second id, or only a phone); from the CRM list, one row per member', () => {
    const csv = (f: string) => readFileSync(f, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n').map((l) => l.split(','));
    const got: Buffer[][] = [];
    for (const [engine, w] of Object.entries(ws)) {
      const W = ['--workspace', w];
      const rfm = cli.json(['rfm', '--dataset', '订单', ...W]);
      const result = path.join(t.dir, `${engine}-rfm-result.csv`);
      cli.json(['export', '--dataset', rfm.datasetId, '--out', result, ...W]);
      const [head, ...rows] = csv(result);
      const champions = rows.filter((r) => r[head!.indexOf('segment')] === 'champions');
      const memberIds = new Set(champions.map((r) => r[head!.indexOf('customer_id')]));
      expect(champions.length).toBeGreaterThan(20);
      const orders = path.join(t.dir, `${engine}-champions-orders.csv`);
      const o = cli.json(['export', 'champions', '--dataset', '订单', '--no-suppression', '--out', orders, ...W]);
      const [oh, ...lines] = csv(orders);
      const valid = lines.filter((l) => ['已完成', '已发货'].includes(l[oh!.indexOf('状态')]!));
      // every valid line RFM counted for these customers, through the same identity (brand.test shows it equals the planted truth)
      expect(valid.length).toBe(champions.reduce((a, r) => a + Number(r[head!.indexOf('frequency')]), 0));
      // matching the member id text alone found far fewer: lines under a second id, or with a phone only
      const byIdText = lines.filter((l) => memberIds.has(l[oh!.indexOf('会员号')]!)).length;
      expect(byIdText).toBeLessThan(lines.length * 0.8);
      expect(o.rows).toBe(lines.length);
      const crm = path.join(t.dir, `${engine}-champions-crm.csv`);
      const c = cli.json(['export', 'champions', '--dataset', 'CRM会员', '--no-suppression', '--out', crm, ...W]);
      const [ch, ...people] = csv(crm);
      expect(c.rows).toBe(champions.length); // every person is in the CRM list; a second registration adds no row
      expect(people.filter((p) => memberIds.has(p[ch!.indexOf('会员号')]!)).length).toBe(champions.length);
      got.push([readFileSync(orders), readFileSync(crm)]);
    }
    expect(got[1]).toEqual(got[0]);
  });

  it('linking and dedupe of the DuckDB CRM list, its review page and a merge into golden records', async () => {
    const [ls, ld] = both(['link', '--datasets', 'CRM会员,订单']);
    expect(ld.customers).toBeGreaterThan(300);
    expect(withoutIds(ld)).toEqual(withoutIds(ls));
    const [ds, dd] = both(['dedupe', '--dataset', 'CRM会员']);
    expect(dd.clusters).toBeGreaterThan(5);
    expect(withoutIds(dd)).toEqual(withoutIds(ds));
    const golden: unknown[][][] = [];
    const sets = (x: { rows: number }) => x.rows;
    for (const [engine, run] of [['sqlite', ds.runId], ['duck', dd.runId]] as const) {
      const app: TestApp = testApp();
      try {
        await app.call('workspace/open', { path: ws[engine] });
        const page = await app.call('customers/clusters', { runId: run, limit: 50 });
        expect(page.clusters.length).toBeGreaterThan(5);
        golden.push([withoutIds(page.clusters) as unknown[]]);
        const m = await app.call('customers/merge', { runId: run, scope: 'all' });
        const g = await app.call('datasets/rows', { id: m.goldenDatasetId!, table: 'typed', offset: 0, limit: 1000, sort: [], filters: [] });
        // one golden row per merged group: fewer rows than the CRM list
        expect(m.clusters).toBeGreaterThan(5);
        expect(g.total).toBe(sets(ds) - m.rows + m.clusters);
        golden[golden.length - 1]!.push(g.rows.map((r) => r.slice(0, -1))); // without the merge id
      } finally {
        await app.close();
      }
    }
    expect(golden[1]).toEqual(golden[0]);
  });

  it('the quality profile counts the invalid phones as invalid (their raw text), lists the same rows, and a recipe cleans the same', async () => {
    const [ps, pd] = both(['profile', 'CRM会员']);
    const phone = (p: { columns: { name: string; invalid: number }[] }) => p.columns.find((c) => c.name === '手机号')!;
    expect(phone(pd).invalid).toBeGreaterThan(0);
    expect(withoutIds(pd)).toEqual(withoutIds(ps));
    const recipe = path.join(t.dir, 'crm.recipe.json');
    writeFileSync(recipe, JSON.stringify({ version: 1, steps: [{ op: 'nfkc', columns: ['手机号'] }, { op: 'phone', columns: ['手机号'] }, { op: 'trim', columns: ['姓名'] }] }));
    const out = (engine: string) => path.join(t.dir, `${engine}-crm-clean.csv`);
    const rs = cli.json(['recipe', 'apply', recipe, '--dataset', 'CRM会员', '--name', 'CRM clean', '--out', out('s'), '--workspace', ws.sqlite]);
    const rd = cli.json(['recipe', 'apply', recipe, '--dataset', 'CRM会员', '--name', 'CRM clean', '--out', out('d'), '--workspace', ws.duck]);
    expect(rd.rowsOut).toBe(pd.rows); // no step removes rows
    expect(rd.steps[1].rowsFlagged).toBe(phone(pd).invalid); // the phone step sees the raw text of the cells the import could not type
    expect(withoutIds(rd)).toEqual(withoutIds(rs));
    expect(readFileSync(out('d'))).toEqual(readFileSync(out('s')));
    const pages: unknown[] = [];
    for (const engine of ['sqlite', 'duck'] as const) {
      const app: TestApp = testApp();
      try {
        await app.call('workspace/open', { path: ws[engine] });
        const crm = (await app.call('datasets/list', {})).find((x) => x.name === 'CRM会员')!.id;
        const rows = await app.call('quality/rows', { datasetId: crm, column: '手机号', problem: 'invalid', limit: 50, offset: 0 });
        expect(rows.total).toBe(phone(pd).invalid);
        const preview = await app.call('quality/preview', { datasetId: crm, steps: [], step: { op: 'phone', columns: ['手机号'] }, sampleSize: 20, maxRows: 1000 });
        pages.push([rows, preview]);
      } finally {
        await app.close();
      }
    }
    expect(pages[1]).toEqual(pages[0]);
  });

  it('the dashboard, whole and filtered to a segment, and its report', async () => {
    const got: unknown[] = [];
    for (const engine of ['sqlite', 'duck'] as const) {
      const app: TestApp = testApp();
      try {
        await app.call('workspace/open', { path: ws[engine] });
        const sets = await app.call('datasets/list', {});
        const orders = sets.find((x) => x.name === '订单')!.id;
        const seg = (await app.call('segments/list', {})).find((x) => x.kind === 'rfm')!;
        const whole = await app.call('dashboard/summary', { datasetId: orders });
        const champions = await app.call('dashboard/summary', { datasetId: orders, segmentationId: seg.id, segment: 'champions' });
        expect(whole.kpis.customers).toBeGreaterThan(200);
        expect(whole.heatmap.length).toBeGreaterThan(20);
        expect(champions.bySegment).toHaveLength(1);
        expect(champions.kpis.customers).toBeLessThan(whole.kpis.customers);
        got.push(withoutIds([whole, champions]));
      } finally {
        await app.close();
      }
    }
    expect(got[1]).toEqual(got[0]);
    const html = (engine: 'sqlite' | 'duck') => {
      const out = path.join(t.dir, `${engine}-dashboard.html`);
      cli.json(['report', '--kind', 'dashboard', '--out', out, '--workspace', ws[engine]]);
      return readFileSync(out, 'utf8').replace(/<p class="meta">.*?<\/p>/, '');
    };
    expect(html('duck')).toEqual(html('sqlite'));
  });
});
