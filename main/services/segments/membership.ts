/**
 * Who is in a segment. A segmentation lists its members (segment_members) or, when its result
 * dataset already has one row per customer with the segment's key (RFM; CLV's deciles), reads them from there:
 * writing a million members again took seconds (4.8 s of a 25 s RFM at 5M orders, measured) and
 * doubled what the workspace stores. Every reader of membership goes through here, so both kinds
 * answer alike. A result held in DuckDB (an RFM of a DuckDB dataset) is read there: readers get its
 * members as a map, as a workspace subquery (loaded into a temporary table), or as a temporary table
 * of a DuckDB connection. Before the result dataset is deleted or rewritten, its segmentations take
 * their members as a list, so nothing is lost.
 */
import type { DB } from '../../db/open';
import { qid, sqlText } from '../../db/open';
import { insertRows } from '../../db/batch';
import { duckRows, duckTempTexts, withDuck, type DuckConnection } from '../../db/duckdb';

/** The result dataset's columns that hold each member's customer key and segment key. */
export interface MembersIn {
  customer: string;
  segment: string;
  /** The segment key is this text followed by the column's value (CLV's `decile_` + its decile number). */
  prefix?: string;
}

/** The segment key of a result row `d` (SQL, either engine). */
function segmentKeySql(m: MembersIn): string {
  return m.prefix === undefined ? `d.${qid(m.segment)}` : `(${sqlText(m.prefix)} || CAST(d.${qid(m.segment)} AS TEXT))`;
}

const inList = (column: string, keys: readonly string[]) => `${column} IN (${keys.map(sqlText).join(', ') || 'NULL'})`;

interface Reading {
  id: string;
  dataset: string;
  m: MembersIn;
  /** The result dataset lives in DuckDB (an RFM of a DuckDB dataset): its members are read there. */
  duck: boolean;
}

function readings(db: DB, where: string, ...params: string[]): Reading[] {
  const rows = db
    .prepare(`SELECT g.id, g.result_dataset AS dataset, g.members_in AS m, d.engine FROM segmentations g LEFT JOIN datasets d ON d.id = g.result_dataset WHERE g.members_in IS NOT NULL AND g.result_dataset IS NOT NULL${where}`)
    .all(...params) as { id: string; dataset: string; m: string; engine: string | null }[];
  return rows.map((r) => ({ id: r.id, dataset: r.dataset, m: JSON.parse(r.m) as MembersIn, duck: r.engine === 'duckdb' }));
}

/** Whose membership is asked: every segmentation's, one segmentation's, or one segment's; `customers` limits it to those keys. */
export interface Scope {
  segmentationId?: string;
  segmentId?: string;
  customers?: readonly string[];
}

/** (segment_id, customer) rows of one segmentation read from its result dataset, in the engine that holds it. */
function readSql(db: DB, r: Reading, o: Scope = {}): string {
  const c = `d.${qid(r.m.customer)}`;
  const segs = db.prepare(`SELECT id, key FROM segments WHERE segmentation_id = ?${o.segmentId ? ' AND id = ?' : ''}`).all(r.id, ...(o.segmentId ? [o.segmentId] : [])) as { id: string; key: string }[];
  const only = o.customers ? ` AND ${inList(c, o.customers)}` : '';
  const key = segmentKeySql(r.m);
  const ofSegment = o.segmentId ? ` AND ${key} = ${sqlText(segs[0]?.key ?? '')}` : '';
  if (!r.duck) return `SELECT s.id AS segment_id, ${c} AS customer FROM ${qid(r.dataset)} d JOIN segments s ON s.segmentation_id = ${sqlText(r.id)} AND s.key = ${key} WHERE ${c} IS NOT NULL${only}${ofSegment}`;
  // DuckDB has no segments table: each segment key names its segment's id
  const id = segs.length ? `CASE ${key} ${segs.map((g) => `WHEN ${sqlText(g.key)} THEN ${sqlText(g.id)}`).join(' ')} END` : 'NULL';
  return `SELECT * FROM (SELECT ${id} AS segment_id, ${c} AS customer FROM ${qid(r.dataset)} d WHERE ${c} IS NOT NULL${only}${ofSegment}) WHERE segment_id IS NOT NULL`;
}

/** The listed members (segment_members) in scope, and the segmentations in scope that read theirs from a result. */
function inScope(db: DB, o: Scope): { listed: string; read: Reading[] } {
  const segmentationId = o.segmentId ? ((db.prepare('SELECT segmentation_id AS g FROM segments WHERE id = ?').get(o.segmentId) as { g: string } | undefined)?.g ?? '') : o.segmentationId;
  const where = [
    o.segmentId ? `m.segment_id = ${sqlText(o.segmentId)}` : '',
    o.customers ? inList('m.customer', o.customers) : '',
  ].filter(Boolean);
  const join = segmentationId === undefined ? '' : ` JOIN segments s ON s.id = m.segment_id AND s.segmentation_id = ${sqlText(segmentationId)}`;
  return {
    listed: `SELECT m.segment_id, m.customer FROM segment_members m${join}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
    read: segmentationId === undefined ? readings(db, '') : readings(db, ' AND g.id = ?', segmentationId),
  };
}

/** The workspace's part of a scope's membership: the listed members and the results held in the workspace. */
function workspaceSql(db: DB, o: Scope): { sql: string; inDuck: Reading[] } {
  const { listed, read } = inScope(db, o);
  return { sql: [listed, ...read.filter((r) => !r.duck).map((r) => readSql(db, r, o))].join(' UNION ALL '), inDuck: read.filter((r) => r.duck) };
}

/**
 * A workspace subquery of (segment_id, customer) rows in scope. Members of results held in DuckDB
 * are read from there into a temporary table first (the customer view asks about one person's keys;
 * a segment exported from a workspace dataset, about one segment).
 */
export async function membershipInWorkspace(db: DB, o: Scope = {}): Promise<string> {
  const w = workspaceSql(db, o);
  if (!w.inDuck.length) return w.sql;
  db.exec('DROP TABLE IF EXISTS temp.segment_members_duck; CREATE TEMP TABLE segment_members_duck (segment_id TEXT, customer TEXT)');
  await withDuck(db, async (c) => {
    for (const r of w.inDuck) for await (const rows of duckRows(c, readSql(db, r, o))) insertRows(db, 'segment_members_duck', 2, rows);
  });
  return `${w.sql} UNION ALL SELECT segment_id, customer FROM temp.segment_members_duck`;
}

/** A scope's (segment_id, customer) rows as the DuckDB temporary table `name` on `c`, for a query there to join. */
export async function membershipInDuck(db: DB, c: DuckConnection, o: Scope, name: string): Promise<void> {
  const w = workspaceSql(db, o);
  await duckTempTexts(c, name, ['segment_id', 'customer'], db.prepare(w.sql).raw(true).iterate() as IterableIterator<[string, string]>);
  for (const r of w.inDuck) await c.run(`INSERT INTO ${qid(name)} ${readSql(db, r, o)}`);
}

/** Each member's segment key (customer → key) of one segmentation, wherever its members are held. */
export async function segmentMembers(db: DB, segmentationId: string): Promise<Map<string, string>> {
  const keyOf = new Map((db.prepare('SELECT id, key FROM segments WHERE segmentation_id = ?').all(segmentationId) as { id: string; key: string }[]).map((g) => [g.id, g.key]));
  const out = new Map<string, string>();
  const add = (rows: Iterable<unknown[]>) => {
    for (const [sid, customer] of rows) out.set(customer as string, keyOf.get(sid as string)!);
  };
  const w = workspaceSql(db, { segmentationId });
  add(db.prepare(w.sql).raw(true).iterate() as IterableIterator<unknown[]>);
  if (w.inDuck.length)
    await withDuck(db, async (c) => {
      for (const r of w.inDuck) for await (const rows of duckRows(c, readSql(db, r))) add(rows);
    });
  return out;
}

/** The result dataset's customers looked up by key (the customer view asks "which segments is this customer in"); DuckDB needs no index for it. */
export function indexMembers(db: DB, dataset: string, m: MembersIn): void {
  if ((db.prepare('SELECT engine FROM datasets WHERE id = ?').get(dataset) as { engine: string } | undefined)?.engine === 'duckdb') return;
  db.exec(`CREATE INDEX IF NOT EXISTS ${qid(`${dataset}__members_${m.customer}`)} ON ${qid(dataset)} (${qid(m.customer)})`);
}

/**
 * Before `datasetId` is deleted or rewritten: each segmentation that reads its members from it
 * writes them down as a list and reads them from there on. A DuckDB result's members are read
 * from DuckDB first (`listDuckMembersBeforeChange`, before the synchronous delete).
 */
export function listMembersBeforeChange(db: DB, datasetId: string): void {
  for (const r of readings(db, ' AND g.result_dataset = ?', datasetId)) {
    if (r.duck) throw new Error(`listMembersBeforeChange: ${datasetId} is in DuckDB — call listDuckMembersBeforeChange first`);
    db.exec(`INSERT OR IGNORE INTO segment_members (segment_id, customer) SELECT segment_id, customer FROM (${readSql(db, r)}) ORDER BY customer`);
    db.prepare('UPDATE segmentations SET members_in = NULL WHERE id = ?').run(r.id);
  }
}

export async function listDuckMembersBeforeChange(db: DB, datasetId: string): Promise<void> {
  for (const r of readings(db, ' AND g.result_dataset = ?', datasetId).filter((x) => x.duck)) {
    const rows: [string, string][] = [];
    await withDuck(db, async (c) => {
      for await (const page of duckRows(c, `${readSql(db, r)} ORDER BY customer`)) for (const row of page) rows.push([row[0] as string, row[1] as string]);
    });
    db.transaction(() => {
      insertRows(db, 'segment_members', 2, rows, { columns: 'segment_id, customer', orIgnore: true });
      db.prepare('UPDATE segmentations SET members_in = NULL WHERE id = ?').run(r.id);
    })();
  }
}
