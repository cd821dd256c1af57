/**
 * An RFM segmentation reads its members from its result dataset (one row per customer with its
 * segment's key) instead of listing them again; of a DuckDB dataset, that result is written in
 * DuckDB. Every reader of membership must answer as it does for the same members written as a list:
 * the segmentation's members, the customer view, the dashboard's segment filter, the protected
 * export, the segment explorer; and deleting the result dataset must keep them. On both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, runJob, testApp, type TestApp } from '../../helpers/app';
import { datasetPath } from '../../helpers/datasets';
import type { SegmentationInfo } from '../../../shared/api/segments';
import { saveSegmentation } from '../../../main/services/segments/store';
import { membershipInWorkspace, segmentMembers } from '../../../main/services/segments/membership';
import { getDataset, rowsWhereTheDataIs } from '../../../main/services/datasets/index';

describe.each(['sqlite', 'duckdb'] as const)('segment members read from the result dataset (%s)', (engine) => {
  let app: TestApp;
  let retail: string;
  let rfm: { segmentation: SegmentationInfo; datasetId: string; customers: number };
  let listed: SegmentationInfo;
  const db = () => app.ctx.requireSession().db;
  const resultRows = async () => (await rowsWhereTheDataIs(db(), getDataset(db(), rfm.datasetId), `SELECT customer_id, segment FROM "${rfm.datasetId}" ORDER BY _row`)) as [string, string][];

  beforeAll(async () => {
    app = testApp();
    await app.call('workspace/create', { name: `membership-${engine}` });
    retail = await importFile(app, datasetPath('online-retail-sample.csv'), 'retail', engine);
    rfm = await runJob(app, app.call('segments/rfm', { datasetId: retail }));
    // the same members written as a list, the way every segmentation kept them before
    const rows = await resultRows();
    listed = saveSegmentation(db(), {
      name: 'listed copy',
      kind: 'rfm',
      sourceDataset: retail,
      resultDataset: null,
      params: {},
      segments: rfm.segmentation.segments.map((s) => ({ key: s.key, name: s.name, nameEn: s.nameEn ?? undefined, members: rows.filter((r) => r[1] === s.key).map((r) => r[0]) })),
    });
  }, 120_000);
  afterAll(() => app.close());

  it('the result is held where its source is, its members are listed nowhere, and are exactly the result rows', async () => {
    expect(getDataset(db(), rfm.datasetId).engine).toBe(engine);
    const listedRows = (id: string) => db().prepare('SELECT count(*) FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE s.segmentation_id = ?').pluck().get(id) as number;
    expect(listedRows(rfm.segmentation.id)).toBe(0);
    expect(listedRows(listed.id)).toBe(442);
    const fromResult = new Map(await resultRows());
    expect(fromResult.size).toBe(442);
    expect(await segmentMembers(db(), rfm.segmentation.id)).toEqual(fromResult);
    expect(await segmentMembers(db(), listed.id)).toEqual(fromResult);
    for (const s of rfm.segmentation.segments) expect(s.size).toBe([...fromResult.values()].filter((k) => k === s.key).length);
    expect(listed.segments.map((s) => [s.key, s.size])).toEqual(rfm.segmentation.segments.map((s) => [s.key, s.size]));
  });

  it('the customer view finds a customer\'s segment (in the workspace through an index, not a scan of the result)', async () => {
    if (engine === 'sqlite') {
      const plan = (db().prepare(`EXPLAIN QUERY PLAN SELECT * FROM (${await membershipInWorkspace(db())}) m WHERE m.customer IN (?, ?)`).all('a', 'b') as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan).toMatch(new RegExp(`${rfm.datasetId}__members_customer_id`));
      expect(plan).not.toMatch(new RegExp(`SCAN d\\b`));
    }
    const some = (await rowsWhereTheDataIs(db(), getDataset(db(), rfm.datasetId), `SELECT customer_id, segment FROM "${rfm.datasetId}" ORDER BY monetary DESC LIMIT 5`)) as [string, string][];
    for (const [customer, key] of some) {
      const p = await app.call('customers/get', { customerId: customer });
      const mine = p.segments.filter((s) => s.segmentationId === rfm.segmentation.id || s.segmentationId === listed.id);
      expect(mine.map((s) => [s.segmentationId, s.segmentKey]).sort()).toEqual([[rfm.segmentation.id, key], [listed.id, key]].sort());
    }
  });

  it('the dashboard filtered to a segment, the segment export and the explorer count the same customers for both kinds', async () => {
    for (const s of rfm.segmentation.segments) {
      const a = await app.call('dashboard/summary', { datasetId: retail, segmentationId: rfm.segmentation.id, segment: s.key });
      const b = await app.call('dashboard/summary', { datasetId: retail, segmentationId: listed.id, segment: s.key });
      expect(a).toEqual(b);
      const segA = rfm.segmentation.segments.find((x) => x.key === s.key)!;
      const segB = listed.segments.find((x) => x.key === s.key)!;
      // from the result (in the source's engine) and from the order lines
      for (const datasetId of [rfm.datasetId, retail]) {
        const pa = await app.call('privacy/export/preview', { segmentId: segA.id, datasetId, columns: datasetId === retail ? ['CustomerID', 'InvoiceNo'] : ['customer_id', 'monetary'] });
        const pb = await app.call('privacy/export/preview', { segmentId: segB.id, datasetId, columns: datasetId === retail ? ['CustomerID', 'InvoiceNo'] : ['customer_id', 'monetary'] });
        if (datasetId === rfm.datasetId) expect(pa.total).toBe(s.size);
        expect({ ...pa, segment: null }).toEqual({ ...pb, segment: null });
      }
    }
    // the explorer profiles the result's rows, one per member (the listed copy has no result: it profiles order lines)
    const ex = await app.call('segments/explore', { segmentationId: rfm.segmentation.id });
    expect(ex.profiles.map((p) => [p.key, p.size]).sort()).toEqual(rfm.segmentation.segments.map((s) => [s.key, s.size]).sort());
  });

  it("a CLV segmentation reads its deciles from its result too: 'decile_' and the row's decile, for every reader", async () => {
    const clv = await runJob<{ datasetId: string; segmentationId: string; customers: number }>(app, app.call('value/clv', { datasetId: retail }));
    const seg = (await app.call('segments/list', {})).find((s) => s.id === clv.segmentationId)!;
    const listedRows = db().prepare('SELECT count(*) FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE s.segmentation_id = ?').pluck().get(seg.id) as number;
    expect(listedRows).toBe(0);
    const rows = db().prepare(`SELECT customer_id, clv_decile FROM "${clv.datasetId}"`).raw(true).all() as [string, number][];
    expect(rows.length).toBe(clv.customers);
    const fromResult = new Map(rows.map(([c, d]) => [c, `decile_${d}`]));
    const members = await segmentMembers(db(), seg.id);
    expect(members).toEqual(fromResult);
    for (const s of seg.segments) expect(s.size).toBe([...fromResult.values()].filter((k) => k === s.key).length);
    expect(seg.segments.filter((s) => s.size > 0).length).toBeGreaterThan(5);
    // one segment's export and one customer's view
    const top = seg.segments.find((s) => s.key === 'decile_10')!;
    const pa = await app.call('privacy/export/preview', { segmentId: top.id, datasetId: clv.datasetId, columns: ['customer_id', 'clv'] });
    expect(pa.total).toBe(top.size);
    const [customer, key] = [...members][0]!;
    expect((await app.call('customers/get', { customerId: customer })).segments.find((s) => s.segmentationId === seg.id)?.segmentKey).toBe(key);
    // deleting the result writes them down first
    await app.call('datasets/delete', { id: clv.datasetId, confirmName: (await app.call('datasets/get', { id: clv.datasetId })).name });
    expect(await segmentMembers(db(), seg.id)).toEqual(members);
  });

  it('deleting the result dataset writes the members down first: the segmentation keeps every one', async () => {
    const before = await segmentMembers(db(), rfm.segmentation.id);
    const name = (await app.call('datasets/get', { id: rfm.datasetId })).name;
    await app.call('datasets/delete', { id: rfm.datasetId, confirmName: name });
    const after = (await app.call('segments/list', {})).find((s) => s.id === rfm.segmentation.id)!;
    expect(after.resultDataset).toBeNull();
    expect(await segmentMembers(db(), rfm.segmentation.id)).toEqual(before);
    expect(after.segments.map((s) => s.size)).toEqual(rfm.segmentation.segments.map((s) => s.size));
    const [customer, key] = [...before][0]!;
    const p = await app.call('customers/get', { customerId: customer });
    expect(p.segments.find((s) => s.segmentationId === rfm.segmentation.id)?.segmentKey).toBe(key);
  });
});
