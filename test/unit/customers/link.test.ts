/**
 * The single customer view through the app: FEBRL 4a ↔ 4b linked against the rec_id truth, and
 * the demo workspace (planted duplicates become one customer each; search by pinyin initials
 * and phone tail; profile with segments; timeline in time order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pinyin } from 'pinyin-pro';
import * as OpenCC from 'opencc-js';
import { importFile, runJob, testApp, type TestApp } from '../../helpers/app';
import { datasetPath } from '../../helpers/datasets';
import { pairwiseScores } from '../../../main/analysis/dedupe/index';
import type { LinkSummary, MatchConfigInput } from '../../../shared/api/customers';

describe('FEBRL 4a ↔ 4b', () => {
  it('links the two files with precision and recall ≥ 0.99', async () => {
    const app = testApp();
    await app.call('workspace/create', { name: 'febrl' });
    const A = await importFile(app, datasetPath('febrl-dataset4a.csv'), '4a');
    const B = await importFile(app, datasetPath('febrl-dataset4b.csv'), '4b');
    const db = app.ctx.requireSession().db;
    const entity = (rec: string) => /^rec-(\d+)-/.exec(rec)![1]!;
    const score = () => {
      const links = db.prepare('SELECT dataset_id, source_row, customer_id FROM customer_links').all() as { dataset_id: string; source_row: number; customer_id: string }[];
      const recs = (id: string) => new Map((db.prepare(`SELECT _row, rec_id FROM "${id}"`).raw(true).all() as [number, string][]).map(([r, rec]) => [r, rec]));
      const recA = recs(A);
      const recB = recs(B);
      const byCustomer = new Map<string, { a: string[]; b: string[] }>();
      for (const l of links) {
        const g = byCustomer.get(l.customer_id) ?? byCustomer.set(l.customer_id, { a: [], b: [] }).get(l.customer_id)!;
        if (l.dataset_id === A) g.a.push(recA.get(l.source_row)!);
        else g.b.push(recB.get(l.source_row)!);
      }
      const ids = new Map<string, number>();
      const id = (s: string) => ids.get(s) ?? (ids.set(s, ids.size), ids.size - 1);
      const predicted: [number, number][] = [];
      for (const g of byCustomer.values()) for (const x of g.a) for (const y of g.b) predicted.push([id('A' + x), id('B' + y)]);
      const byEntity = new Map([...recA.values()].map((r) => [entity(r), r]));
      const gold: [number, number][] = [];
      for (const r of recB.values()) if (byEntity.has(entity(r))) gold.push([id('A' + byEntity.get(entity(r))!), id('B' + r)]);
      expect(gold).toHaveLength(5000);
      return pairwiseScores(predicted, gold);
    };
    // The analyst's config for these files (as in scripts/eval.ts): every column compared,
    // blocking on soundex names, postcode + birth year, birth date, SSN and sorted names.
    const jw = { comparator: 'jaroWinkler' as const, levels: [0.95, 0.85] };
    const config: MatchConfigInput = {
      fields: [
        { name: 'given_name', ...jw },
        { name: 'surname', ...jw },
        { name: 'street_number', comparator: 'exact' },
        { name: 'address_1', ...jw },
        { name: 'address_2', ...jw },
        { name: 'suburb', ...jw },
        { name: 'postcode', comparator: 'levenshtein', levels: [1, 0.75] },
        { name: 'state', comparator: 'exact' },
        { name: 'date_of_birth', comparator: 'levenshtein', levels: [1, 0.85] },
        { name: 'soc_sec_id', comparator: 'levenshtein', levels: [1, 0.85] },
      ],
      blocking: [
        { kind: 'standard', keys: [{ column: 'given_name', key: 'soundex' }, { column: 'surname', key: 'soundex' }] },
        { kind: 'standard', keys: [{ column: 'postcode' }, { column: 'date_of_birth', prefix: 4 }] },
        { kind: 'standard', keys: [{ column: 'date_of_birth' }] },
        { kind: 'standard', keys: [{ column: 'soc_sec_id' }] },
        { kind: 'sorted', keys: [{ column: 'surname' }, { column: 'given_name' }], window: 5 },
      ],
    };
    const r = await runJob<LinkSummary>(app, app.call('customers/link', { datasets: [A, B], config, threshold: 0.5, oneToOne: true, dedupeWithin: true }));
    expect(r.links).toBe(10_000);
    // Neither file has inner duplicates: EM inside each finds no duplicate model, and the passes are skipped.
    expect(r.fuzzyPasses.filter((p) => p.skipped).map((p) => p.name).sort()).toEqual(['4a', '4b']);
    const s = score();
    expect(s.precision).toBeGreaterThanOrEqual(0.99);
    expect(s.recall).toBeGreaterThanOrEqual(0.99);
    // With nothing but the column roles (names, birth date, address columns) precision holds; recall is lower.
    await runJob<LinkSummary>(app, app.call('customers/link', { datasets: [A, B], threshold: 0.5, oneToOne: false, dedupeWithin: true }));
    const d = score();
    expect(d.precision).toBeGreaterThanOrEqual(0.98);
    expect(d.recall).toBeGreaterThanOrEqual(0.9);
    await app.close();
  });
});

describe('single customer view of the demo', () => {
  let app: TestApp;
  let summary: LinkSummary;
  let truth: { customers: number; duplicateGroups: number[][] };
  const ds: Record<string, string> = {};
  beforeAll(async () => {
    app = testApp();
    const { jobId } = await app.call('demo/open', { seed: 42, customers: 3000 });
    await app.ctx.jobs.wait(jobId);
    truth = JSON.parse(readFileSync(path.join(app.dir, 'demo-files', 'truth.json'), 'utf8'));
    for (const d of await app.call('datasets/list', {})) ds[d.name] = d.id;
    summary = await runJob<LinkSummary>(app, app.call('customers/link', { datasets: Object.values(ds), threshold: 0.5, oneToOne: false, dedupeWithin: true }));
  });
  afterAll(() => app.close());

  it('makes one customer per planted person', async () => {
    expect(summary.customers).toBe(truth.customers);
    expect(summary.unlinked).toBe(0);
    expect(summary.multiRecord).toBe(truth.duplicateGroups.length);
    const db = app.ctx.requireSession().db;
    const of = db.prepare('SELECT customer_id FROM customer_links WHERE dataset_id = ? AND source_row = ?').pluck();
    const seen = new Set<string>();
    for (const g of truth.duplicateGroups) {
      const ids = new Set(g.map((row) => of.get(ds['CRM 联系人'], row) as string));
      expect(ids.size).toBe(1);
      seen.add([...ids][0]!);
    }
    expect(seen.size).toBe(truth.duplicateGroups.length);
    // every order is linked to the customer that carries its customer id
    const wrong = db.prepare(`SELECT count(*) FROM customer_links l JOIN "${ds['订单']}" o ON o._row = l.source_row WHERE l.dataset_id = ? AND l.customer_id <> o."客户编号"`).pluck().get(ds['订单']);
    expect(wrong).toBe(0);
  });

  it('finds customers by pinyin initials and by phone tail', async () => {
    const initials = (name: string) => pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', surname: 'all' }).join('').toLowerCase();
    const all = await app.call('customers/search', { q: '', offset: 0, limit: 500 });
    expect(all.total).toBe(summary.customers);
    const someone = all.rows.find((r) => r.name && /^[\u4e00-\u9fff]{2}$/.test(r.name))!;
    const q = initials(someone.name!);
    const byInitials = await app.call('customers/search', { q, offset: 0, limit: 500 });
    expect(byInitials.rows.map((r) => r.customerId)).toContain(someone.customerId);
    for (const r of byInitials.rows) expect(initials(r.name!).startsWith(q) || r.email?.includes(q) || r.name!.includes(q)).toBe(true);
    const tail = someone.phone!.slice(-4);
    const byPhone = await app.call('customers/search', { q: tail, offset: 0, limit: 500 });
    expect(byPhone.rows[0]!.phone!.endsWith(tail)).toBe(true);
    expect(byPhone.rows.map((r) => r.customerId)).toContain(someone.customerId);
    for (const r of byPhone.rows) expect(r.phone!.replace(/\D/g, '')).toContain(tail);
    // a traditional-script name finds the simplified golden record
    const trad = OpenCC.Converter({ from: 'cn', to: 'tw' })(someone.name!);
    const byName = await app.call('customers/search', { q: trad, offset: 0, limit: 500 });
    expect(byName.rows.map((r) => r.customerId)).toContain(someone.customerId);
  });

  it('profile: golden record, sources, segments, and a timeline in time order', async () => {
    await runJob(app, app.call('segments/rfm', { datasetId: ds['订单']!, scheme: 'cn8', threshold: 'mean', excludeCancellations: true, recencyFrom: 'asOf' } as never));
    const top = (await app.call('customers/search', { q: '', offset: 0, limit: 1 })).rows[0]!;
    const p = await app.call('customers/get', { customerId: top.customerId });
    expect(p.customer.customerId).toBe(top.customerId);
    expect(p.sources.some((s) => s.datasetId === ds['CRM 联系人'])).toBe(true);
    expect(p.segments.length).toBeGreaterThan(0);
    expect(p.segments.every((s) => s.segmentationId)).toBe(true);
    const times = p.timeline.map((e) => e.at);
    expect(times).toEqual([...times].sort());
    expect(p.timeline).toHaveLength(p.customer.events);
    expect(new Set(p.timeline.map((e) => e.datasetId)).size).toBeGreaterThanOrEqual(3);
    // an order event carries the paid amount of its source row
    const db = app.ctx.requireSession().db;
    const order = p.timeline.find((e) => e.kind === 'order')!;
    expect(order.amount).toBe(db.prepare(`SELECT "实付金额" FROM "${ds['订单']}" WHERE _row = ?`).pluck().get(order.row));
    expect(order.datasetName).toBe('订单');
    const replies = p.timeline.filter((e) => e.kind === 'reply');
    for (const r of replies) expect(r.detail.some((d) => d.role === 'reply_text')).toBe(true);
    await expect(app.call('customers/get', { customerId: 'nobody' })).rejects.toMatchObject({ code: 'customer_not_found' });
  });
});
