/**
 * Merges of reviewed clusters into golden records, and their undo.
 *
 * The source dataset is never touched. Each merge is logged (groups, golden values and the
 * provenance of every field) and the golden dataset `<name>_golden` is rebuilt from the source
 * and all active merges of that dataset: one golden row per merged group (at the position of
 * its first row), every other row as it is. Undoing a merge marks it undone and rebuilds; when
 * no active merge is left the golden dataset is removed, so the workspace is as before.
 */
import { AppError } from '../../../shared/errors';
import type { MergeInfo, SurvivorshipRule } from '../../../shared/api/customers';
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { createDerivedDataset, dropDatasetTables, getDataset, recordsWhereTheDataIs } from '../datasets';
import { audit } from '../audit/index';
import { goldenRecord, type FieldRule } from '../../analysis/dedupe/index';
import { clustersWithStatus, getRunRow, mergedRows, newId } from './dedupe';

interface MergeRow {
  id: string;
  run_id: string;
  dataset_id: string;
  created_at: string;
  undone_at: string | null;
  rules: string;
  clusters: number;
  rows: number;
}

function toInfo(db: DB, m: MergeRow): MergeInfo {
  const r = JSON.parse(m.rules) as { rules: Record<string, SurvivorshipRule>; defaultRule: SurvivorshipRule };
  const golden = db.prepare('SELECT golden_id FROM customers_golden WHERE dataset_id = ?').get(m.dataset_id) as { golden_id: string } | undefined;
  let name = m.dataset_id;
  try {
    name = getDataset(db, m.dataset_id).name;
  } catch {
    /* dataset deleted since */
  }
  return { mergeId: m.id, runId: m.run_id, datasetId: m.dataset_id, datasetName: name, goldenDatasetId: m.undone_at ? null : golden?.golden_id ?? null, createdAt: m.created_at, undoneAt: m.undone_at, clusters: m.clusters, rows: m.rows, rules: r.rules, defaultRule: r.defaultRule };
}

function getMerge(db: DB, id: string): MergeRow {
  const m = db.prepare('SELECT * FROM customers_merges WHERE id = ?').get(id) as MergeRow | undefined;
  if (!m) throw new AppError('merge_not_found', `No merge ${id}.`, `找不到合并记录 ${id}。`);
  return m;
}

export function listMerges(db: DB, a: { datasetId?: string; runId?: string }): { merges: MergeInfo[] } {
  const where: string[] = [];
  const params: string[] = [];
  if (a.datasetId) (where.push('dataset_id = ?'), params.push(a.datasetId));
  if (a.runId) (where.push('run_id = ?'), params.push(a.runId));
  const rows = db.prepare(`SELECT * FROM customers_merges ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, id`).all(...params) as MergeRow[];
  return { merges: rows.map((m) => toInfo(db, m)) };
}

const EXTRA = ['merged_rows', 'merge_id'];

/** Rebuild (or remove) the golden dataset of a source dataset (its rows read beforehand, from whichever engine holds them) from its active merges. */
function rebuildGolden(db: DB, info: DatasetInfo, source: Record<string, unknown>[]): string | null {
  const groups = db
    .prepare('SELECT g.merge_id, g.members, g.golden FROM customers_merge_groups g JOIN customers_merges m ON m.id = g.merge_id WHERE m.dataset_id = ? AND m.undone_at IS NULL')
    .all(info.id) as { merge_id: string; members: string; golden: string }[];
  const existing = (db.prepare('SELECT golden_id FROM customers_golden WHERE dataset_id = ?').get(info.id) as { golden_id: string } | undefined)?.golden_id;
  if (!groups.length) {
    if (existing) {
      dropDatasetTables(db, existing);
      db.prepare('DELETE FROM datasets WHERE id = ?').run(existing);
      db.prepare('DELETE FROM customers_golden WHERE dataset_id = ?').run(info.id);
    }
    return null;
  }
  const names = new Set(info.columns.map((c) => c.name));
  const extra = EXTRA.map((e) => {
    let n = e;
    while (names.has(n)) n += '_';
    return n;
  });
  const byFirst = new Map<number, { mergeId: string; members: number[]; golden: Record<string, unknown> }>();
  const skip = new Set<number>();
  for (const g of groups) {
    const members = (JSON.parse(g.members) as number[]).sort((x, y) => x - y);
    byFirst.set(members[0]!, { mergeId: g.merge_id, members, golden: JSON.parse(g.golden) });
    for (const r of members.slice(1)) skip.add(r);
  }
  const cols = info.columns.map((c) => c.name);
  const out: unknown[][] = [];
  for (const r of source) {
    const row = Number(r._row);
    if (skip.has(row)) continue;
    const g = byFirst.get(row);
    if (g) out.push([...cols.map((c) => g.golden[c] ?? null), g.members.join(';'), g.mergeId]);
    else out.push([...cols.map((c) => r[c] ?? null), null, null]);
  }
  if (existing) {
    db.exec(`DELETE FROM ${qid(existing)}`);
    const ins = db.prepare(`INSERT INTO ${qid(existing)} VALUES (?, ${[...cols, ...extra].map(() => '?').join(', ')})`);
    out.forEach((r, i) => ins.run(i + 1, ...r));
    db.prepare('UPDATE datasets SET row_count = ?, rows_in = ? WHERE id = ?').run(out.length, out.length, existing);
    return existing;
  }
  const ds = createDerivedDataset(db, {
    name: `${info.name}_golden`,
    parentId: info.id,
    columns: [...info.columns.map((c) => ({ name: c.name, type: c.type, role: c.role })), { name: extra[0]!, type: 'text' as const, role: null }, { name: extra[1]!, type: 'id' as const, role: null }],
    rows: out,
    settings: { analysis: 'golden', source: info.id },
  });
  db.prepare('INSERT INTO customers_golden (dataset_id, golden_id) VALUES (?, ?)').run(info.id, ds.id);
  return ds.id;
}

export async function merge(
  db: DB,
  a: { runId: string; scope: 'accepted' | 'all'; rules: Record<string, SurvivorshipRule>; defaultRule: SurvivorshipRule; dateColumn?: string; sourceColumn?: string; sourcePriority?: string[] },
): Promise<MergeInfo & { skipped: number }> {
  const run = getRunRow(db, a.runId);
  const info = getDataset(db, run.dataset_id);
  const names = info.columns.map((c) => c.name);
  const unknown = [...Object.keys(a.rules), ...(a.dateColumn ? [a.dateColumn] : []), ...(a.sourceColumn ? [a.sourceColumn] : [])].filter((c) => !names.includes(c));
  if (unknown.length) throw new AppError('unknown_column', `Unknown column(s): ${unknown.join(', ')}.`, `未知列：${unknown.join('、')}。`);
  const dateColumn = a.dateColumn ?? info.columns.find((c) => c.role === 'timestamp')?.name;
  const used = [...Object.values(a.rules), a.defaultRule];
  if (used.includes('most_recent') && !dateColumn)
    throw new AppError('no_date_column', '"Most recent" needs a date column: this dataset has no timestamp column; choose one.', '“最新”规则需要日期列：该数据集没有时间列，请指定一列。');
  if (used.includes('source_priority') && (!a.sourceColumn || !a.sourcePriority?.length))
    throw new AppError('no_source_priority', '"Source priority" needs a source column and the sources in order.', '“来源优先”规则需要来源列和按优先级排列的来源。');
  const { clusters, status } = clustersWithStatus(db, a.runId);
  const merged = mergedRows(db, info.id);
  const wanted = clusters.filter((_, k) => (a.scope === 'accepted' ? status[k] === 'accepted' : status[k] !== 'merged'));
  const chosen = wanted.filter((c) => !c.some((r) => merged.has(r)));
  const skipped = wanted.length - chosen.length;
  if (!chosen.length)
    throw new AppError(
      'nothing_to_merge',
      a.scope === 'accepted' ? 'No accepted cluster to merge: accept clusters in the review list first.' : 'No cluster left to merge at this threshold.',
      a.scope === 'accepted' ? '没有可合并的已确认簇：请先在审核列表中确认。' : '当前阈值下没有可合并的簇。',
    );
  const rules: Record<string, RuleOrField> = {};
  type RuleOrField = SurvivorshipRule | FieldRule;
  for (const [k, v] of Object.entries(a.rules)) rules[k] = v;
  const mergeId = newId('mg');
  const now = new Date().toISOString();
  // the source's rows are read before the transaction: a DuckDB dataset's are read asynchronously
  const source = await recordsWhereTheDataIs(db, info);
  const byRow = new Map(source.map((r) => [Number(r._row), r]));
  db.transaction(() => {
    db.prepare('INSERT INTO customers_merges (id, run_id, dataset_id, created_at, undone_at, rules, clusters, rows) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)').run(
      mergeId,
      a.runId,
      info.id,
      now,
      JSON.stringify({ rules: a.rules, defaultRule: a.defaultRule, dateColumn, sourceColumn: a.sourceColumn, sourcePriority: a.sourcePriority }),
      chosen.length,
      chosen.reduce((s, c) => s + c.length, 0),
    );
    const ins = db.prepare('INSERT INTO customers_merge_groups (merge_id, cluster_id, members, golden, provenance) VALUES (?, ?, ?, ?, ?)');
    for (const c of chosen) {
      const rows = [...c].sort((x, y) => x - y).flatMap((r) => { const row = byRow.get(r); return row ? [row] : []; });
      const g = goldenRecord(rows, { fields: names, rules, defaultRule: a.defaultRule, dateField: dateColumn, sourceField: a.sourceColumn, sourcePriority: a.sourcePriority, idField: '_row' });
      const prov = Object.fromEntries(Object.entries(g.provenance).map(([k, p]) => [k, { row: p.id, rule: p.rule, candidates: p.candidates, tie: p.tie }]));
      ins.run(mergeId, c[0], JSON.stringify(c), JSON.stringify(g.record), JSON.stringify(prov));
    }
    const rowsMerged = chosen.reduce((s, c) => s + c.length, 0);
    const golden = rebuildGolden(db, info, source);
    audit(db, 'customers.merged', { objectType: 'dataset', objectId: info.id, rows: rowsMerged, details: { mergeId, runId: a.runId, clusters: chosen.length, golden, rules: a.rules, defaultRule: a.defaultRule } });
  })();
  return { ...toInfo(db, getMerge(db, mergeId)), skipped };
}

export async function unmerge(db: DB, mergeId: string): Promise<MergeInfo> {
  const m = getMerge(db, mergeId);
  if (m.undone_at) throw new AppError('already_undone', `Merge ${mergeId} was already undone.`, `合并 ${mergeId} 已经撤销过了。`);
  const info = getDataset(db, m.dataset_id);
  const source = await recordsWhereTheDataIs(db, info);
  db.transaction(() => {
    db.prepare('UPDATE customers_merges SET undone_at = ? WHERE id = ?').run(new Date().toISOString(), mergeId);
    const golden = rebuildGolden(db, info, source);
    audit(db, 'customers.unmerged', { objectType: 'dataset', objectId: info.id, rows: m.rows, details: { mergeId, runId: m.run_id, clusters: m.clusters, golden } });
  })();
  return toInfo(db, getMerge(db, mergeId));
}
