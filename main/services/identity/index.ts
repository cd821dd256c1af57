/**
 * The identity layer: one customer key for every event row of every dataset that carries a
 * customer id, phone or e-mail. It is kept as three small maps — raw member id, phone and e-mail
 * text → customer key (identity_ids / identity_phones / identity_emails) — and analyses join a
 * dataset's rows to them (`keyedRows`, `eventSql`, `linkedRows`), so a customer's orders keyed by
 * a duplicate's member id or only by a phone written differently count for that customer. The
 * union work is per distinct value (one GROUP BY per dataset); the build then writes each workspace
 * dataset's row → customer key once (`<dataset>__customers`, read by `customerKeyed`), as a row-number
 * join costs analyses far less than looking up each row's texts in the maps. The customer view
 * reads one customer's rows through the maps when it opens (`customerRows`).
 *
 * Union rules (union–find over KEYS, not rows, so memory grows with customers):
 * - member id (NFKC, lower case) ∪ canonical E.164 phone ∪ e-mail key, wherever they co-occur
 *   in one row of any dataset, plus accepted dedupe decisions, active merges and the fuzzy
 *   matches of the last link run (customers_meta 'link_fuzzy');
 * - but a phone or e-mail shared by CRM records (datasets with names) that carry different
 *   member ids and clearly differ (names differ AND birthdays differ) merges none of them:
 *   a family sharing one phone is two people. Event rows keyed only by such a shared value
 *   go to the record whose member id co-occurs with it in events most, else the earliest
 *   registered one.
 * Rows are read in SQL as distinct key tuples with counts (and each tuple's first/last time, for
 * the customers table). A rebuild happens only when the fingerprint of datasets, batches, row
 * counts, roles, definitions and reviewed matches moves.
 */
import { createHash } from 'node:crypto';
import type { DatasetColumn, DatasetInfo, Role } from '../../../shared/types';
import { qid, sqlText, withSmallSortRuns, type DB } from '../../db/open';
import { listDatasets, roleColumn, tableNames } from '../datasets';
import { insertRows, rowBatcher } from '../../db/batch';
import { definitionsRevision, refreshDuckValueCounts } from '../definitions/index';
import { readDuckFact } from '../datasets/column-facts';
import { AppError } from '../../../shared/errors';
import { duckAll, duckRows, duckType, readInHalves, withDuck, withDuckMemory, type DuckConnection } from '../../db/duckdb';
import { emailKey, normalizeText, phoneDigits, phoneKey, pinyinInitials, pinyinKey, toSimplified } from '../../analysis/dedupe/index';
import { UnionFind } from '../../kernel/union-find';

/** Bump when the rules change so every workspace rebuilds once. */
const IDENTITY_VERSION = 3;

/** The column of a role, undefined when absent (as the record fields below expect). */
const roleCol = (info: DatasetInfo, role: Role) => roleColumn(info, role) ?? undefined;

/** The identity key of a raw phone: canonical E.164 (fast paths for the common Chinese mobile forms; the kernel's canonicalPhone also says why a value fails). '' when blank. */
export function phoneIdentityKey(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  const s = String(raw).normalize('NFKC').trim().replace(/\.0+$/, '');
  if (!s) return '';
  if (/^\+[1-9]\d{7,14}$/.test(s)) return s;
  const d = s.replace(/[\s\-().]/g, '');
  if (/^1[3-9]\d{9}$/.test(d)) return '+86' + d;
  if (/^(\+?86|0086)1[3-9]\d{9}$/.test(d)) return '+86' + d.slice(-11);
  return phoneKey(s, 'CN');
}

export interface IdentitySource {
  info: DatasetInfo;
  person: boolean;
  id?: string;
  phone?: string;
  email?: string;
  name?: string;
  birthday?: string;
  time?: string;
}

/** Datasets that take part in the identity layer (they have a customer id, phone or e-mail column). */
export function identitySources(db: DB): IdentitySource[] {
  return listDatasets(db)
    .map(sourceOf)
    .filter((s) => isIdentitySource(s.info));
}

function sourceOf(info: DatasetInfo): IdentitySource {
  return {
    info,
    // a CRM list: its names and birthdays tell a family sharing a phone apart (a DuckDB one's are copied, see refreshDuckKeys)
    person: !!roleCol(info, 'name'),
    id: roleCol(info, 'customer_id'),
    phone: roleCol(info, 'phone'),
    email: roleCol(info, 'email'),
    name: roleCol(info, 'name'),
    birthday: roleCol(info, 'birthday'),
    time: roleCol(info, 'timestamp'),
  };
}

/** Whether a dataset is evidence of the identity: it has a customer id, phone or e-mail column and is not an analysis's result. */
export function isIdentitySource(info: DatasetInfo): boolean {
  return !!(roleCol(info, 'customer_id') || roleCol(info, 'phone') || roleCol(info, 'email')) && !isAnalysisOutput(info);
}

/** Results of analyses (RFM tables, CLV, stage tables, golden records, removed rows) name customers; they are not evidence. */
function isAnalysisOutput(info: DatasetInfo): boolean {
  const st = info.kind === 'derived' && info.settings && typeof info.settings === 'object' ? (info.settings as Record<string, unknown>) : null;
  return !!st && (typeof st.analysis === 'string' || st.kind === 'quality/removed');
}

function fingerprint(db: DB, sources: IdentitySource[]): string {
  const q = (sql: string) => db.prepare(sql).raw(true).all();
  const parts = {
    v: IDENTITY_VERSION,
    ds: sources.map((s) => [s.info.id, s.info.rowCount, s.info.columns.map((c) => `${c.name}:${c.role ?? ''}`)]),
    batches: q('SELECT dataset_id, batch, last_row FROM dataset_batches ORDER BY dataset_id, batch'),
    defs: definitionsRevision(db),
    decisions: q("SELECT count(*), max(id) FROM customers_dedupe_decisions WHERE action = 'accept'"),
    merges: q('SELECT id, undone_at FROM customers_merges ORDER BY id'),
    fuzzy: q("SELECT value FROM customers_meta WHERE key = 'link_fuzzy'"),
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Rows per (member id, phone): one phone per id inline, the common case; a Map only for an id written with several. */
class PhoneCounts {
  private readonly one = new Map<string, string>();
  private readonly rows = new Map<string, number>();
  private readonly many = new Map<string, Map<string, number>>();
  add(id: string, phone: string, n: number): void {
    const m = this.many.get(id);
    if (m) m.set(phone, (m.get(phone) ?? 0) + n);
    else if (!this.one.has(id)) {
      this.one.set(id, phone);
      this.rows.set(id, n);
    } else if (this.one.get(id) === phone) this.rows.set(id, this.rows.get(id)! + n);
    else {
      this.many.set(id, new Map([[this.one.get(id)!, this.rows.get(id)!], [phone, n]]));
      this.one.delete(id);
      this.rows.delete(id);
    }
  }
  forEach(id: string, f: (phone: string, rows: number) => void): void {
    const m = this.many.get(id);
    if (m) m.forEach((n, p) => f(p, n));
    else if (this.one.has(id)) f(this.one.get(id)!, this.rows.get(id)!);
  }
}

/** Identity keys as nodes of a union–find, created on first sight. */
class KeyGraph {
  private readonly uf = new UnionFind();
  readonly index = new Map<string, number>();
  node(k: string): number {
    let i = this.index.get(k);
    if (i === undefined) {
      i = this.uf.add();
      this.index.set(k, i);
    }
    return i;
  }
  find(x: number): number {
    return this.uf.find(x);
  }
  union(a: number, b: number): void {
    this.uf.union(a, b);
  }
}

const txt = (col: string | undefined, alias = 't') => (col ? `CAST(${alias}.${qid(col)} AS TEXT)` : 'NULL');

/** Does the key graph say these two CRM records are clearly different people? */
function clearlyDiffer(a: { name: string; birthday: string }, b: { name: string; birthday: string }): boolean {
  return !!a.name && !!b.name && a.name !== b.name && !!a.birthday && !!b.birthday && a.birthday !== b.birthday;
}

export interface IdentityState {
  customers: number;
  rebuilt: boolean;
}

export function identityMeta(db: DB): { fingerprint: string; builtAt: string; customers: number; links: number; linked?: Record<string, number>; sharedKeys: number; steps?: Record<string, number>; seconds: number } | null {
  const r = db.prepare("SELECT value FROM customers_meta WHERE key = 'identity'").get() as { value: string } | undefined;
  return r ? JSON.parse(r.value) : null;
}

/**
 * Keep customer_links / customers / customer_events current for every keyed dataset; rebuild
 * only when the fingerprint moved. Runs in the caller's transaction when there is one.
 */
export function ensureIdentity(db: DB, progress?: (done: number, total: number) => void): IdentityState {
  const sources = identitySources(db);
  const fp = fingerprint(db, sources);
  const meta = identityMeta(db);
  if (meta && meta.fingerprint === fp) return { customers: meta.customers, rebuilt: false };
  // a workspace opened read-only (full disk) keeps the links it has
  if (db.readonly) return { customers: meta?.customers ?? 0, rebuilt: false };
  const run = () => rebuild(db, sources, fp, progress);
  const customers = db.inTransaction ? run() : db.transaction(run)();
  return { customers, rebuilt: true };
}

function rebuild(db: DB, sources: IdentitySource[], fp: string, progress?: (done: number, total: number) => void): number {
  const t0 = performance.now();
  const total = sources.length * 3 + 4;
  let step = 0;
  // seconds per step, kept in the meta so a slow build says where its time went
  const steps: Record<string, number> = {};
  let lap = t0;
  const tick = (name?: string) => {
    progress?.(++step, total);
    if (name) {
      const now = performance.now();
      steps[name] = +((steps[name] ?? 0) + (now - lap) / 1000).toFixed(2);
      lap = now;
    }
  };
  const g = new KeyGraph();
  // raw value → normalised key, per kind (distinct raw values ≈ customers)
  const idNorm = new Map<string, string>();
  const phoneNorm = new Map<string, string>();
  const emailNorm = new Map<string, string>();
  const norm = (m: Map<string, string>, f: (v: string) => string, v: string | null) => {
    if (v === null || v === '') return '';
    let k = m.get(v);
    if (k === undefined) m.set(v, (k = f(v)));
    return k;
  };
  const idKey = (v: string | null) => norm(idNorm, (x) => normalizeText(x), v);
  const phKey = (v: string | null) => norm(phoneNorm, phoneIdentityKey, v);
  const emKey = (v: string | null) => norm(emailNorm, emailKey, v);
  const rowsOfId = new Map<string, number>(); // member id → rows carrying it (for the primary id)
  const phoneRows = new PhoneCounts(); // component-independent: per id, phone counts
  // 1. CRM records: who each member id is (name, birthday, registration) and which ids share a phone/e-mail
  interface Person { name: string; birthday: string; reg: string; order: number }
  const persons = new Map<string, Person>();
  const sharedBy = new Map<string, Set<string>>(); // 'p'|'e' + key → member ids of CRM records carrying it
  let order = 0;
  for (const s of sources) {
    if (!s.person || !s.id) continue;
    if (s.info.engine === 'duckdb' && !db.prepare('SELECT 1 FROM engine_key_signatures WHERE dataset_id = ? AND signature = ?').get(s.info.id, keySignature(db, s))) throw duckKeysMissing(s.info);
    const it = db
      .prepare(`SELECT ${txt(s.id)}, ${txt(s.phone)}, ${txt(s.email)}, ${txt(s.name)}, ${txt(s.birthday)}, ${txt(s.time)} FROM ${personTable(s)} t ORDER BY t._row`)
      .raw(true)
      .iterate() as IterableIterator<(string | null)[]>;
    for (const [id, ph, em, name, bd, reg] of it) {
      const k = idKey(id);
      if (!k) continue;
      if (!persons.has(k)) persons.set(k, { name: normalizeText(name ?? ''), birthday: String(bd ?? '').slice(0, 10), reg: reg ?? '', order: order++ });
      for (const key of ['p' + phKey(ph), 'e' + emKey(em)]) {
        if (key.length === 1) continue;
        (sharedBy.get(key) ?? sharedBy.set(key, new Set()).get(key)!).add(k);
      }
    }
  }
  // A key is shared when the CRM ids carrying it fall into more than one person group.
  const shared = new Map<string, string[][]>(); // key → groups of member ids
  for (const [key, ids] of sharedBy) {
    if (ids.size < 2) continue;
    const groups: string[][] = [];
    for (const id of ids) {
      const p = persons.get(id)!;
      const grp = groups.find((gr) => !gr.some((o) => clearlyDiffer(persons.get(o)!, p)));
      if (grp) grp.push(id);
      else groups.push([id]);
    }
    if (groups.length > 1) shared.set(key, groups);
  }
  // Ids inside one group of a shared key are the same person: union them directly.
  for (const groups of shared.values()) for (const gr of groups) for (const id of gr.slice(1)) g.union(g.node('i' + gr[0]), g.node('i' + id));
  tick('crm');
  // 2. distinct key tuples of every dataset (the one pass over its rows: counts, timeline events and
  //    first/last time per tuple are kept for step 6) → unions (a shared key joins nothing)
  db.exec(`DROP TABLE IF EXISTS temp.identity_tuples;
    CREATE TEMP TABLE identity_tuples (dataset_id TEXT NOT NULL, id TEXT, phone TEXT, email TEXT, n INTEGER NOT NULL, events INTEGER NOT NULL, first TEXT, last TEXT);`);
  const cooc = new Map<string, Map<string, number>>(); // shared key → member id → event rows with both
  for (const s of sources) {
    if (s.info.engine === 'duckdb') {
      // counted in DuckDB after its import (refreshDuckKeys), the same GROUP BY as below
      if (!db.prepare('SELECT 1 FROM engine_key_signatures WHERE dataset_id = ? AND signature = ?').get(s.info.id, keySignature(db, s))) throw duckKeysMissing(s.info);
      db.prepare('INSERT INTO temp.identity_tuples SELECT dataset_id, id, phone, email, n, events, first, last FROM engine_key_tuples WHERE dataset_id = ?').run(s.info.id);
    } else db.prepare(`INSERT INTO temp.identity_tuples SELECT ?, ${keyTuplesSql(s)}`).run(s.info.id);
    const it = db
      .prepare('SELECT id, phone, email, n FROM temp.identity_tuples WHERE dataset_id = ?')
      .raw(true)
      .iterate(s.info.id) as IterableIterator<[string | null, string | null, string | null, number]>;
    for (const [id, ph, em, n] of it) {
      const ik = idKey(id);
      const pk = phKey(ph);
      const ek = emKey(em);
      const nodes: number[] = [];
      if (ik) {
        nodes.push(g.node('i' + ik));
        rowsOfId.set(ik, (rowsOfId.get(ik) ?? 0) + n);
        if (pk) {
          phoneRows.add(ik, pk, n);
        }
      }
      for (const key of [pk && 'p' + pk, ek && 'e' + ek]) {
        if (!key) continue;
        if (shared.has(key)) {
          if (ik && !s.person) {
            const m = cooc.get(key) ?? cooc.set(key, new Map()).get(key)!;
            m.set(ik, (m.get(ik) ?? 0) + n);
          }
          continue;
        }
        nodes.push(g.node(key));
      }
      for (const x of nodes.slice(1)) g.union(nodes[0]!, x);
    }
    tick('keys');
  }
  // 3. reviewed evidence: accepted dedupe decisions, active merges, fuzzy pairs of the last link run
  const rowKeys = (datasetId: string, rows: number[]): number[] => {
    const s = sources.find((x) => x.info.id === datasetId);
    // a DuckDB dataset's rows are read here from its person copy; one without names has none (noted in docs/methods/bigdata.md)
    if (!s || !rows.length || (s.info.engine === 'duckdb' && !s.person)) return [];
    const out: number[] = [];
    const st = db.prepare(`SELECT ${txt(s.id)}, ${txt(s.phone)}, ${txt(s.email)} FROM ${personTable(s)} t WHERE t._row = ?`).raw(true);
    for (const r of rows) {
      const v = st.get(r) as (string | null)[] | undefined;
      if (!v) continue;
      const k = idKey(v[0]!) ? 'i' + idKey(v[0]!) : phKey(v[1]!) && !shared.has('p' + phKey(v[1]!)) ? 'p' + phKey(v[1]!) : emKey(v[2]!) && !shared.has('e' + emKey(v[2]!)) ? 'e' + emKey(v[2]!) : '';
      if (k) out.push(g.node(k));
    }
    return out;
  };
  const unionAll = (nodes: number[]) => nodes.slice(1).forEach((x) => g.union(nodes[0]!, x));
  for (const d of db.prepare("SELECT r.dataset_id AS ds, d.members FROM customers_dedupe_decisions d JOIN customers_dedupe_runs r ON r.id = d.run_id WHERE d.action = 'accept'").all() as { ds: string; members: string }[])
    unionAll(rowKeys(d.ds, JSON.parse(d.members) as number[]));
  for (const m of db.prepare('SELECT m.dataset_id AS ds, g.members FROM customers_merge_groups g JOIN customers_merges m ON m.id = g.merge_id WHERE m.undone_at IS NULL').all() as { ds: string; members: string }[])
    unionAll(rowKeys(m.ds, JSON.parse(m.members) as number[]));
  const fuzzy = db.prepare("SELECT value FROM customers_meta WHERE key = 'link_fuzzy'").get() as { value: string } | undefined;
  if (fuzzy) for (const [da, ra, dbb, rb] of JSON.parse(fuzzy.value) as [string, number, string, number][]) unionAll([...rowKeys(da, [ra]), ...rowKeys(dbb, [rb])]);
  tick('evidence');
  // 4. components → customer keys: the primary member id (most rows, then smallest), else SCV-<phone|e-mail>
  const comps = new Map<number, { ids: string[]; keys: string[] }>();
  for (const [k, i] of g.index) {
    const r = g.find(i);
    const c = comps.get(r) ?? comps.set(r, { ids: [], keys: [] }).get(r)!;
    if (k[0] === 'i') c.ids.push(k.slice(1));
    else c.keys.push(k);
  }
  const keyOfRoot = new Map<number, { key: string; member: string | null; phone: string | null; email: string | null }>();
  const idOriginal = new Map<string, string>(); // normalised id → as written (first seen)
  for (const [raw, k] of idNorm) if (k && !idOriginal.has(k)) idOriginal.set(k, raw.trim());
  for (const [root, c] of comps) {
    c.ids.sort((a, b) => (rowsOfId.get(b) ?? 0) - (rowsOfId.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
    const member = c.ids[0] ? idOriginal.get(c.ids[0]) ?? c.ids[0] : null;
    // canonical phone: the one written most often beside this customer's ids, else its first phone key
    const counts = new Map<string, number>();
    for (const id of c.ids) phoneRows.forEach(id, (p, n) => counts.set(p, (counts.get(p) ?? 0) + n));
    const phones = c.keys.filter((k) => k[0] === 'p').map((k) => k.slice(1));
    const phone = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? phones.sort()[0] ?? null;
    const email = c.keys.filter((k) => k[0] === 'e').map((k) => k.slice(1)).sort()[0] ?? null;
    keyOfRoot.set(root, { key: member ?? `SCV-${phone ?? email}`, member, phone, email });
  }
  const keyOfNode = (k: string) => keyOfRoot.get(g.find(g.index.get(k)!))!.key;
  // Shared keys resolve to the group co-occurring most with them in events, else the earliest registered.
  const sharedTarget = new Map<string, string>();
  for (const [key, groups] of shared) {
    const co = cooc.get(key);
    const score = (gr: string[]) => gr.reduce((a, id) => a + (co?.get(id) ?? 0), 0);
    const first = (gr: string[]) => gr.map((id) => persons.get(id)!).sort((a, b) => (a.reg && b.reg && a.reg !== b.reg ? (a.reg < b.reg ? -1 : 1) : a.order - b.order))[0]!;
    const best = [...groups].sort((a, b) => score(b) - score(a) || (first(a).reg && first(b).reg && first(a).reg !== first(b).reg ? (first(a).reg < first(b).reg ? -1 : 1) : first(a).order - first(b).order))[0]!;
    sharedTarget.set(key, keyOfNode('i' + best[0]));
  }
  // 5. raw value → customer maps (persistent: every analysis joins its rows to them)
  db.exec('DELETE FROM identity_ids; DELETE FROM identity_phones; DELETE FROM identity_emails; DELETE FROM customers;');
  dropLinks(db);
  // inserted in key order: appending to a b-tree is several times faster than inserting at random places
  const byRaw = (a: [string, ...unknown[]], b: [string, ...unknown[]]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const maps: KeyMaps = { id: new Map(), phone: new Map(), email: new Map() };
  const ids: [string, string][] = [];
  for (const [raw, k] of idNorm) if (k) ids.push([raw, keyOfNode('i' + k)]);
  insertRows(db, 'identity_ids', 2, ids.sort(byRaw));
  for (const r of ids) maps.id.set(r[0], [r[1], 0]);
  for (const [table, m, p, into] of [['identity_phones', phoneNorm, 'p', maps.phone], ['identity_emails', emailNorm, 'e', maps.email]] as const) {
    const rows: [string, string, number][] = [];
    for (const [raw, k] of m) {
      if (!k) continue;
      const t = sharedTarget.get(p + k);
      rows.push([raw, t ?? keyOfNode(p + k), t ? 1 : 0]);
    }
    insertRows(db, table, 3, rows.sort(byRaw));
    for (const r of rows) into.set(r[0], [r[1], r[2]]);
  }
  tick('maps');
  // 5b. every workspace dataset's rows → customer key, once per build (see writeRowCustomers)
  for (const info of listDatasets(db)) db.exec(`DROP TABLE IF EXISTS ${qid(tableNames(info.id).customers)}`);
  for (const s of sources) {
    if (s.info.engine === 'duckdb') continue;
    writeRowCustomers(db, s, maps);
    tick('rows');
  }
  // 6. per customer and dataset: records, timeline events, first and last time — from the tuples, kept in SQL
  db.exec(`DROP TABLE IF EXISTS temp.identity_stats;
    CREATE TEMP TABLE identity_stats (customer_id TEXT NOT NULL, dataset_id TEXT NOT NULL, records INTEGER NOT NULL, events INTEGER NOT NULL, first TEXT, last TEXT);`);
  for (const s of sources) {
    const k = keyedRows({ id: s.id && 'id', phone: s.phone && 'phone', email: s.email && 'email' }, 't', 'temp.identity_tuples');
    db.prepare(`INSERT INTO temp.identity_stats SELECT ${k.key}, ?, sum(t.n), sum(t.events), min(t.first), max(t.last) FROM ${k.from} WHERE t.dataset_id = ? AND ${k.key} IS NOT NULL GROUP BY 1`).run(s.info.id, s.info.id);
    tick('stats');
  }
  db.exec('DROP TABLE temp.identity_tuples;');
  const linked = Object.fromEntries(db.prepare('SELECT dataset_id, sum(records) FROM temp.identity_stats GROUP BY 1').raw(true).all() as [string, number][]);
  // golden fields from CRM records: a record matched by its own member id first, then in row order
  const golden = new Map<string, Record<string, string | null>>();
  for (const s of sources) {
    if (!s.person) continue;
    const c = (role: Role) => txt(roleCol(s.info, role));
    const k = keyedRows(s, 't', personTable(s));
    const it = db
      .prepare(`SELECT ${k.key}, ${c('name')}, ${c('region')}, ${c('city')}, ${c('gender')}, ${c('birthday')} FROM ${k.from} WHERE ${k.key} IS NOT NULL ORDER BY ${k.rule} <> 'customer_id', t._row`)
      .raw(true)
      .iterate() as IterableIterator<(string | null)[]>;
    for (const [key, name, province, city, gender, birthday] of it) {
      const cur = golden.get(key!) ?? golden.set(key!, {}).get(key!)!;
      for (const [f, v] of Object.entries({ name, province, city, gender, birthday })) if (cur[f] == null && v != null && v !== '') cur[f] = v;
    }
  }
  // each customer's names and golden fields, then one INSERT … SELECT beside its counts
  db.exec(`DROP TABLE IF EXISTS temp.identity_people;
    CREATE TEMP TABLE identity_people (customer_id TEXT PRIMARY KEY, member_id TEXT, name TEXT, phone TEXT, email TEXT, province TEXT, city TEXT, gender TEXT, birthday TEXT, name_pinyin TEXT, name_initials TEXT, name_simplified TEXT, phone_digits TEXT) WITHOUT ROWID;`);
  insertRows(db, 'identity_people', 13, (function* () {
    for (const c of keyOfRoot.values()) {
      const gd = golden.get(c.key) ?? {};
      const name = gd.name?.trim() || null;
      yield [c.key, c.member, name, c.phone, c.email, gd.province ?? null, gd.city ?? null, gd.gender ?? null, gd.birthday ?? null, name ? pinyinKey(name).replace(/\s+/g, '') : null, name ? pinyinInitials(name) : null, name ? normalizeText(toSimplified(name)) : null, c.phone ? phoneDigits(c.phone) : null];
    }
  })(), { orIgnore: true });
  // a key seen only in a review decision of a deleted row has no records: not a customer
  db.exec(`INSERT INTO customers (customer_id, member_id, name, phone, email, province, city, gender, birthday, name_pinyin, name_initials, name_simplified, phone_digits, records, datasets, events, first_seen, last_seen, provenance)
    SELECT p.*, s.records, s.datasets, s.events, s.first, s.last, '{}' FROM temp.identity_people p
    JOIN (SELECT customer_id, sum(records) AS records, count(*) AS datasets, sum(events) AS events, min(first) AS first, max(last) AS last FROM temp.identity_stats GROUP BY 1) s ON s.customer_id = p.customer_id`);
  const { customers, links } = db.prepare('SELECT count(*) AS customers, coalesce(sum(records), 0) AS links FROM customers').get() as { customers: number; links: number };
  db.exec('DROP TABLE temp.identity_people;');
  db.exec('DROP TABLE temp.identity_stats;');
  tick('customers');
  const value = { fingerprint: fp, builtAt: new Date().toISOString(), customers, links, linked, sharedKeys: shared.size, steps, seconds: +((performance.now() - t0) / 1000).toFixed(2) };
  db.prepare("INSERT INTO customers_meta (key, value) VALUES ('identity', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(value));
  return customers;
}

/** A dataset's distinct (member id, phone, e-mail) tuples with rows, timeline events and first/last time: the build's one pass over its rows. */
function keyTuplesSql(s: IdentitySource, table = qid(s.info.id)): string {
  const at = s.time ? `nullif(CAST(t.${qid(s.time)} AS TEXT), '')` : 'NULL';
  return `${txt(s.id)} AS id, ${txt(s.phone)} AS phone, ${txt(s.email)} AS email, count(*) AS n, count(${at}) AS events, min(${at}) AS first, max(${at}) AS last FROM ${table} t GROUP BY ${txt(s.id)}, ${txt(s.phone)}, ${txt(s.email)}`;
}

/** What a DuckDB dataset's stored key tuples were read from: its rows, batches and key columns. */
function keySignature(db: DB, s: IdentitySource): string {
  const batches = db.prepare('SELECT batch, last_row FROM dataset_batches WHERE dataset_id = ? ORDER BY batch').raw(true).all(s.info.id);
  return JSON.stringify([s.info.createdAt, s.info.rowCount, batches, s.id ?? null, s.phone ?? null, s.email ?? null, s.time ?? null, ...(s.person ? personColumns(s) : [])]);
}

/** The columns of a CRM list the identity reads (evidence for shared keys, golden fields). */
function personColumns(s: IdentitySource): string[] {
  const roles: Role[] = ['customer_id', 'phone', 'email', 'name', 'birthday', 'timestamp', 'region', 'city', 'gender'];
  return [...new Set(roles.map((r) => roleCol(s.info, r)).filter((c): c is string => !!c))];
}

/**
 * Where the identity reads a CRM list's rows: its own table, or for a DuckDB dataset the workspace's
 * copy of those columns (the build is synchronous; a CRM list is customer-sized, not order-sized).
 */
function personTable(s: IdentitySource): string {
  return qid(s.info.engine === 'duckdb' ? tableNames(s.info.id).persons : s.info.id);
}

/** A DuckDB CRM list's person table, made anew (empty) for its columns. */
function createPersonTable(db: DB, s: IdentitySource): string[] {
  const table = qid(tableNames(s.info.id).persons);
  db.exec(`DROP TABLE IF EXISTS ${table}`);
  const cols = personColumns(s);
  db.exec(`CREATE TABLE ${table} (_row INTEGER PRIMARY KEY, ${cols.map((x) => qid(x)).join(', ')})`);
  return cols;
}

/**
 * A DuckDB CRM list's person copy, written while its import writes the rows (their typed values are
 * at hand) rather than read back from DuckDB after it: on the bench's 1M-row orders file with names
 * the copy read back took ≈ 3 s of the import's ≈ 9.5 s. `info`: the dataset as it will be recorded
 * (a new one is not in the catalog yet); `append`: its copy gets the new rows, which is only right
 * when the copy held every earlier row (its key signature was current), else null is returned and
 * the caches' refresh after the import copies it whole, as before. null too for a dataset that is
 * no CRM list. The values are the typed ones DuckDB is given, which is what it gives back.
 */
export function duckPersonWriter(db: DB, info: DatasetInfo, o: { append: boolean }): { write(batches: readonly (readonly unknown[])[]): void; flush(): void } | null {
  const s = sourceOf(info);
  if (!s.person || !isIdentitySource(info)) return null;
  if (o.append && !duckKeysCurrent(db, s)) return null;
  const cols = o.append ? personColumns(s) : createPersonTable(db, s);
  const width1 = info.columns.length + 1;
  const at = cols.map((x) => info.columns.findIndex((col) => col.name === x) + 1);
  const out = rowBatcher(db, tableNames(info.id).persons, cols.length + 1);
  return {
    write(batches) {
      for (const b of batches) {
        for (let k = 0; k < b.length; k += width1) {
          const o = out.at();
          out.buf[o] = b[k];
          for (let j = 0; j < at.length; j++) out.buf[o + 1 + j] = b[k + at[j]!];
          out.commit();
        }
      }
    },
    flush: () => out.flush(),
  };
}

/** A DuckDB CRM list's person columns, copied into the workspace (`_row` kept) for the build. */
async function copyDuckPersons(db: DB, c: DuckConnection, s: IdentitySource): Promise<void> {
  if (!s.person) {
    db.exec(`DROP TABLE IF EXISTS ${qid(tableNames(s.info.id).persons)}`);
    return;
  }
  const cols = createPersonTable(db, s);
  // one transaction per chunk of DuckDB's rows (a million CRM records are not a million commits), many rows per INSERT;
  // ids, phones, e-mails and dates in halves (readInHalves), names and places (a few Chinese characters) whole
  const whole = new Set(['name', 'region', 'city', 'gender']);
  const read = readInHalves([
    ['_row', false],
    ...cols.map((x) => {
      const col = s.info.columns.find((y) => y.name === x)!;
      return [qid(x), duckType(col.type) === 'VARCHAR' && !whole.has(col.role ?? '')] as const;
    }),
  ]);
  await copyDuckRows(db, c, `SELECT ${read.select} FROM ${qid(s.info.id)}`, tableNames(s.info.id).persons, cols.length + 1, [], read.join);
}

/**
 * A DuckDB query's rows into a workspace table, a chunk per transaction and many rows per INSERT
 * (`prefix`: values put before each row's). Row by row, the key tuples and person copy of a 1M-row
 * DuckDB import took longer than its rows' appending.
 */
async function copyDuckRows(db: DB, c: DuckConnection, sql: string, table: string, width: number, prefix: unknown[], map: (r: readonly unknown[]) => unknown[]): Promise<void> {
  const out = rowBatcher(db, table, width);
  for await (const rows of duckRows(c, sql)) {
    const write = () => {
      for (const r of rows) {
        const at = out.at();
        const v = map(r);
        for (let j = 0; j < prefix.length; j++) out.buf[at + j] = prefix[j];
        for (let j = 0; j < v.length; j++) out.buf[at + prefix.length + j] = v[j];
        out.commit();
      }
      out.flush();
    };
    if (db.inTransaction) write();
    else db.transaction(write)();
  }
}

const duckKeysMissing = (info: DatasetInfo) =>
  new AppError('engine.refresh_needed', `Dataset "${info.name}" lives in the DuckDB engine and its customer keys changed since they were read: run segmint identity (or any analysis job) to read them again.`, `数据集“${info.name}”存放在 DuckDB 引擎中，其客户键在上次读取后已变化：请运行 segmint identity（或任一分析任务）重新读取。`);

/** The DuckDB datasets whose key tuples or status counts are out of date (a role changed, rows appended). */
export function duckStale(db: DB): boolean {
  return identitySources(db).some((s) => s.info.engine === 'duckdb' && !duckKeysCurrent(db, s));
}

/** Whether a DuckDB dataset's key tuples (and person copy) were read for its rows and roles as they are. */
const duckKeysCurrent = (db: DB, s: IdentitySource, sig = keySignature(db, s)) => !!db.prepare('SELECT 1 FROM engine_key_signatures WHERE dataset_id = ? AND signature = ?').get(s.info.id, sig);

/**
 * Read every DuckDB dataset's key tuples (where out of date) into the workspace, for the synchronous build.
 * `personsWritten`: the dataset whose person copy its import has just written (duckPersonWriter).
 */
async function refreshDuckKeys(db: DB, c: DuckConnection, personsWritten?: string): Promise<void> {
  for (const s of identitySources(db)) {
    if (s.info.engine !== 'duckdb') continue;
    const sig = keySignature(db, s);
    if (duckKeysCurrent(db, s, sig)) continue;
    db.prepare('DELETE FROM engine_key_tuples WHERE dataset_id = ?').run(s.info.id);
    if (!(s.person && s.info.id === personsWritten)) await copyDuckPersons(db, c, s);
    if (s.person) {
      // the person copy holds every key column and the time, as DuckDB's text casts give them: the tuples are
      // counted from it here rather than copied over too (an order file with names: 1M rows crossed once, not twice)
      withSmallSortRuns(db, () => db.prepare(`INSERT INTO engine_key_tuples SELECT ?, ${keyTuplesSql(s, personTable(s))}`).run(s.info.id));
    } else {
      // texts in halves (readInHalves): phones and times are longer than DuckDB's 12 inline bytes
      const read = readInHalves([['id', true], ['phone', true], ['email', true], ['n', false], ['events', false], ['first', true], ['last', true]]);
      await copyDuckRows(db, c, `SELECT ${read.select} FROM (SELECT ${keyTuplesSql(s)})`, 'engine_key_tuples', 8, [s.info.id], read.join);
    }
    db.prepare('INSERT INTO engine_key_signatures VALUES (?, ?) ON CONFLICT (dataset_id) DO UPDATE SET signature = excluded.signature').run(s.info.id, sig);
  }
}

/**
 * What the synchronous readers need of DuckDB datasets, read there where out of date: key tuples and status counts
 * (after an import, before an analysis). `personsWritten`: the dataset whose person copy its import wrote.
 */
export async function refreshDuckCaches(db: DB, c: DuckConnection, o: { personsWritten?: string } = {}): Promise<void> {
  await refreshDuckKeys(db, c, o.personsWritten);
  await refreshDuckValueCounts(db, c);
  // whether each orders dataset has one row per order (RFM's frequency then counts rows) and no cancellation
  // invoice 'C…' (its filter is moot), and no absurd amount (one exact sum of money)
  for (const info of listDatasets(db)) {
    if (info.engine !== 'duckdb') continue;
    const orderId = roleColumn(info, 'order_id');
    const amount = roleColumn(info, 'amount');
    const type = info.columns.find((col) => col.name === amount)?.type;
    const numeric = type !== undefined && duckType(type) !== 'VARCHAR';
    if (orderId) await readDuckFact(db, c, info, orderId, 'unique');
    if (orderId) await readDuckFact(db, c, info, orderId, 'no_c_prefix');
    if (amount && numeric) await readDuckFact(db, c, info, amount, 'modest');
  }
}

/** For a synchronous reader outside a job (definitions): DuckDB datasets' key tuples and status counts up to date first. */
export async function ensureDuckCaches(db: DB): Promise<void> {
  if (db.readonly || !listDatasets(db).some((i) => i.engine === 'duckdb')) return;
  await withDuck(db, (c) => refreshDuckCaches(db, c));
}

/** Whether the identity is up to date for every keyed dataset (DuckDB ones too): a reader that must not wait for a build asks first. */
export function identityCurrent(db: DB): boolean {
  const meta = identityMeta(db);
  return !!meta && meta.fingerprint === fingerprint(db, identitySources(db)) && !duckStale(db);
}

/** `segmint identity` with DuckDB datasets: the build, and its maps copied into the DuckDB file (so the first analysis there does not pay it). */
export async function ensureDuckIdentity(db: DB): Promise<IdentityState | null> {
  if (db.readonly || !listDatasets(db).some((i) => i.engine === 'duckdb')) return null;
  return withDuck(db, (c) => prepareDuck(db, c));
}

/** The identity in force, as the DuckDB file's copy of its maps is tagged (with a version: maps synced before the customers' numbers were copied too are copied again). */
const duckMapsTag = (db: DB) => `${identityMeta(db)?.fingerprint ?? ''}:numbers`;

/** The identity maps, copied into the DuckDB file when the identity was rebuilt since (analyses there join them like SQLite's). */
async function syncDuckMaps(db: DB, c: DuckConnection): Promise<void> {
  await c.run('CREATE TABLE IF NOT EXISTS segmint_meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
  const tag = duckMapsTag(db);
  const have = (await (await c.runAndReadAll("SELECT value FROM segmint_meta WHERE key = 'identity'")).getRows())[0]?.[0];
  if (have === tag) return;
  for (const [table, shared] of [['identity_ids', false], ['identity_phones', true], ['identity_emails', true]] as const) {
    await c.run(`CREATE OR REPLACE TABLE ${table} (raw VARCHAR, customer_id VARCHAR${shared ? ', shared INTEGER' : ''})`);
    const a = await c.createAppender(table);
    for (const r of db.prepare(`SELECT * FROM ${table}`).raw(true).iterate() as IterableIterator<[string, string, number?]>) {
      a.appendVarchar(r[0]);
      a.appendVarchar(r[1]);
      if (shared) a.appendInteger(r[2]!);
      a.endRow();
    }
    a.closeSync();
  }
  // what customerNames gives, for per-customer results written in DuckDB (RFM of a DuckDB dataset), and each
  // customer's number: its place in key order (the workspace's text order, which DuckDB's VARCHAR order is too)
  await c.run('CREATE OR REPLACE TABLE identity_names (no INTEGER, customer_id VARCHAR, member_id VARCHAR, phone VARCHAR)');
  const a = await c.createAppender('identity_names');
  let no = 0;
  for (const r of db.prepare('SELECT customer_id, member_id, phone FROM customers ORDER BY customer_id').raw(true).iterate() as IterableIterator<[string, string | null, string | null]>) {
    a.appendInteger(++no);
    a.appendVarchar(r[0]);
    for (const v of [r[1], r[2]]) {
      if (v === null) a.appendNull();
      else a.appendVarchar(v);
    }
    a.endRow();
  }
  a.closeSync();
  await c.run(`INSERT OR REPLACE INTO segmint_meta VALUES ('identity', '${tag}')`);
}

/**
 * Before an analysis runs on DuckDB datasets: their key tuples and status counts read (where out of
 * date), the identity brought up to date, and its maps copied into the DuckDB file.
 */
export async function prepareDuck(db: DB, c: DuckConnection): Promise<IdentityState> {
  await refreshDuckCaches(db, c);
  const state = ensureIdentity(db);
  await syncDuckMaps(db, c);
  await numberDuckRows(db, c);
  return state;
}

/** The DuckDB datasets whose per-row customer numbers prepareDuck found current, with the identity they were checked against. */
const numbered = new WeakMap<DB, { tag: string; ids: Map<string, { bounds: RowBounds; timed: boolean }> }>();

/** How a numbered dataset's rows are read: in row ranges [bounds[j], bounds[j + 1]) side by side, or whole (null). */
type RowBounds = number[] | null;

/** DuckDB's row group: the parts' bounds fall on its multiples, so each part reads whole groups. */
const ROW_GROUP = 122_880;

/**
 * Row ranges for `threads` parts of a table of `rows` rows whose row ids are 0 … rows − 1 (`dense`), or
 * null (one part): a POSITIONAL JOIN is read by one thread, so a grouping over it used one core of two;
 * read as a UNION ALL of ranges, each range's pair of scans runs on its own thread (the RFM summary's
 * grouping at 5M orders 1.1–1.2 → 0.7–0.9 s, same result, 2026-12-07).
 */
function numberedBounds(rows: number, dense: boolean, threads: number): RowBounds {
  const groups = Math.ceil(rows / ROW_GROUP);
  const parts = Math.min(Math.max(1, Math.floor(threads)), groups);
  if (!dense || parts < 2) return null;
  const bounds = [0];
  for (let j = 1; j < parts; j++) bounds.push(Math.round((j * groups) / parts) * ROW_GROUP);
  bounds.push(rows);
  return bounds;
}

/**
 * Each row's customer number (identity_names.no) of every keyed DuckDB dataset, in `<dataset>__customers`,
 * one row per dataset row in the same order: analyses read it beside the rows with a POSITIONAL JOIN
 * instead of joining each row's id and phone texts to the maps, and group by an integer instead of a
 * text. At 5M orders RFM's summary took 1.2–1.7 s in DuckDB against 1.9–2.2 s through the maps (2026-12-07).
 * Rebuilt when the identity, the table's row count or its columns' types changed since, or the numbers are
 * gone: nothing in Segmint rewrites a DuckDB dataset's rows in place (a retype builds the table again in
 * its order, an import appends or takes back, a delete drops the numbers with the rows).
 * Where the dataset's time is a date or datetime column, each row's time is kept beside its number as a
 * TIMESTAMP (`t`): a summary's earliest, latest and as-of then read it instead of casting the time text of
 * every row (RFM's grouping at 5M orders 0.60–0.91 → 0.47–0.63 s, 2026-12-07; the numbering 1.86 → 2.24 s).
 */
async function numberDuckRows(db: DB, c: DuckConnection): Promise<void> {
  const tag = duckMapsTag(db);
  const ids = new Map<string, { bounds: RowBounds; timed: boolean }>();
  for (const s of identitySources(db)) {
    if (s.info.engine !== 'duckdb') continue;
    const table = tableNames(s.info.id).customers;
    const [[rows, made, lastRowId, threads]] = (await duckAll(c, `SELECT (SELECT count(*) FROM ${qid(s.info.id)}), (SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ${sqlText(table)}), (SELECT max(rowid) FROM ${qid(s.info.id)}), current_setting('threads')`)) as [unknown, unknown, unknown, unknown][];
    // (DuckDB's table oids are not kept from one opening of the file to the next: the catalogue's column types tell a retyped table)
    // the import writes a date or datetime column's cells as canonical text, which DuckDB reads as a TIMESTAMP
    const timeType = s.time ? s.info.columns.find((col) => col.name === s.time)?.type : undefined;
    const time = timeType === 'date' || timeType === 'datetime' ? s.time : null;
    const sig = `${tag}:${rows}:${JSON.stringify(s.info.columns.map((col) => [col.name, col.type]))}:${time ?? ''}`;
    const key = sqlText(`rows:${s.info.id}`);
    const have = (await duckAll(c, `SELECT value FROM segmint_meta WHERE key = ${key}`))[0]?.[0];
    if (have !== sig || Number(made) === 0) {
      const k = keyedRows(s);
      // in the rows' own order (rowid), as a POSITIONAL JOIN pairs them; NULL: a row that resolves to nobody.
      // Held to 256 MB: this runs in the process that may have just built the identity, whose JavaScript still
      // holds it; with DuckDB's whole 1 GB for the sort, `segmint identity` at 50M orders peaked at 2.45 GB
      await withDuckMemory(c, '256MB', () => c.run(`CREATE OR REPLACE TABLE ${qid(table)} AS SELECT _n.no${time ? `, TRY_CAST(t.${qid(time)} AS TIMESTAMP) AS t` : ''} FROM ${k.from} LEFT JOIN identity_names _n ON _n.customer_id = ${k.key} ORDER BY t.rowid`));
      await c.run(`INSERT OR REPLACE INTO segmint_meta VALUES (${key}, ${sqlText(sig)})`);
    }
    // the numbers' row ids are 0 … rows − 1 (made in row order); the dataset's too unless rows were ever taken out
    ids.set(s.info.id, { bounds: numberedBounds(Number(rows), Number(lastRowId ?? -1) === Number(rows) - 1, Number(threads)), timed: time !== null });
  }
  numbered.set(db, { tag, ids });
}

/**
 * A DuckDB dataset's rows `t` with each one's customer number `_segmint_no` (rows of nobody left out), when
 * prepareDuck numbered them under the identity in force; else null (read through the maps, keyedRows). A
 * dataset of several row groups is read as a UNION ALL of row ranges, side by side (numberedBounds).
 * `time`: each row's time as a TIMESTAMP (`t._segmint_t`), where it was kept with the numbers.
 */
export function numberedRows(db: DB, info: DatasetInfo): { from: string; time: string | null } | null {
  const n = numbered.get(db);
  const at = n?.ids.get(info.id);
  if (info.engine !== 'duckdb' || !at || n!.tag !== duckMapsTag(db)) return null;
  const [rows, numbers] = [qid(info.id), qid(tableNames(info.id).customers)];
  const side = at.timed ? 'no, t' : 'no';
  const pair = (range: string) => `SELECT _r.no AS _segmint_no${at.timed ? ', _r.t AS _segmint_t' : ''}, t.* FROM ${range ? `(SELECT * FROM ${rows} WHERE ${range})` : rows} t POSITIONAL JOIN ${range ? `(SELECT ${side} FROM ${numbers} WHERE ${range})` : numbers} _r WHERE _r.no IS NOT NULL`;
  const b = at.bounds;
  return { from: `(${b ? b.slice(1).map((to, j) => pair(`rowid >= ${b[j]} AND rowid < ${to}`)).join(' UNION ALL ') : pair('')}) t`, time: at.timed ? 't._segmint_t' : null };
}

/** The key columns of a dataset, as the identity layer reads them. */
type KeyColumns = Pick<IdentitySource, 'id' | 'phone' | 'email'>;

/**
 * How a dataset's rows find their customer: the table `t` LEFT JOINed to the identity maps on
 * its raw id / phone / e-mail text, and the customer key — the row's own member id first, then an
 * unshared phone or e-mail, then a shared one (resolved at build) — NULL when nothing resolves.
 * `rule` names which kind of key matched.
 */
export function keyedRows(k: KeyColumns & { info?: DatasetInfo }, alias = 't', table = qid(k.info!.id)): { from: string; key: string; rule: string } {
  const map = { id: '_ki', phone: '_kp', email: '_ke' } as const;
  const joins = [
    k.id ? `LEFT JOIN identity_ids _ki ON _ki.raw = ${txt(k.id, alias)}` : '',
    k.phone ? `LEFT JOIN identity_phones _kp ON _kp.raw = ${txt(k.phone, alias)}` : '',
    k.email ? `LEFT JOIN identity_emails _ke ON _ke.raw = ${txt(k.email, alias)}` : '',
  ].filter(Boolean);
  const cands = KEY_PRECEDENCE.filter(([kind]) => k[kind]).map(([kind, which]) => (which === 'unshared' ? `CASE WHEN ${map[kind]}.shared = 0 THEN ${map[kind]}.customer_id END` : `${map[kind]}.customer_id`));
  const rules = (['id', 'phone', 'email'] as const).filter((kind) => k[kind]).map((kind) => `WHEN ${map[kind]}.customer_id IS NOT NULL THEN '${kind === 'id' ? 'customer_id' : kind}'`);
  return {
    from: [`${table} ${alias}`, ...joins].join(' '),
    key: cands.length ? `coalesce(${cands.join(', ')}, NULL)` : 'NULL',
    rule: rules.length ? `CASE ${rules.join(' ')} END` : 'NULL',
  };
}

/**
 * Which of a row's keys names its customer, first match wins: its member id, then an unshared
 * phone or e-mail, then a shared one (resolved at build). keyedRows writes it as SQL, the build's
 * per-row table (writeRowCustomers) applies it in JavaScript.
 */
const KEY_PRECEDENCE: ['id' | 'phone' | 'email', 'any' | 'unshared'][] = [['id', 'any'], ['phone', 'unshared'], ['email', 'unshared'], ['phone', 'any'], ['email', 'any']];

/** Raw key text → [customer key, shared (1) or not (0)], per kind: the identity maps, in memory during a build. */
type KeyMaps = Record<'id' | 'phone' | 'email', Map<string, [string, number]>>;

/**
 * Every row's customer key of a workspace dataset, written once per build into `<dataset>__customers`
 * (rows that resolve to nobody are absent). Analyses then join a dataset to it by row number
 * instead of looking up each row's raw texts in the maps: at 5M order lines that lookup cost
 * ~20 s per analysis, a row-number join ~1 s. DuckDB datasets join the maps by hash and need none.
 */
function writeRowCustomers(db: DB, s: IdentitySource, maps: KeyMaps): number {
  const table = tableNames(s.info.id).customers;
  db.exec(`CREATE TABLE ${qid(table)} (_row INTEGER PRIMARY KEY, customer_id TEXT NOT NULL)`);
  const present = KEY_PRECEDENCE.filter(([kind]) => s[kind]);
  const column = { id: 1, phone: 2, email: 3 } as const;
  const read = db.prepare(`SELECT t._row, ${txt(s.id)}, ${txt(s.phone)}, ${txt(s.email)} FROM ${qid(s.info.id)} t WHERE t._row > ? ORDER BY t._row LIMIT 20000`).raw(true);
  const out = rowBatcher(db, table, 2);
  let last = -Infinity;
  let written = 0;
  for (;;) {
    const rows = read.all(last) as [number, string | null, string | null, string | null][];
    if (!rows.length) break;
    for (const r of rows) {
      last = r[0];
      let customer: string | undefined;
      for (const [kind, which] of present) {
        const raw = r[column[kind]];
        const hit = raw === null ? undefined : maps[kind].get(raw);
        if (hit && (which === 'any' || hit[1] === 0)) {
          customer = hit[0];
          break;
        }
      }
      if (customer === undefined) continue;
      const at = out.at();
      out.buf[at] = r[0];
      out.buf[at + 1] = customer;
      out.commit();
      written++;
    }
  }
  out.flush();
  return written;
}

/**
 * `keyedRows` for a dataset as analyses read it: through its per-row customer table when the build
 * wrote one (workspace datasets), else through the maps (DuckDB datasets, analysis outputs, a
 * workspace opened read-only before its first build here). Same rows, same keys; no `rule`.
 */
export function customerKeyed(db: DB, info: DatasetInfo, alias = 't'): { from: string; key: string } {
  const table = tableNames(info.id).customers;
  if (info.engine !== 'duckdb' && db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table))
    return { from: `${qid(info.id)} ${alias} LEFT JOIN ${qid(table)} _c ON _c._row = ${alias}._row`, key: '_c.customer_id' };
  return keyedRows(keyColumnsOf(info), alias);
}

/**
 * For readers that resolve rows to customers only when the identity exists (a segment's export, a
 * rule segment's members): a dataset's rows `t` with the customer key each resolves to (customerKeyed)
 * when the dataset is evidence of the identity and the identity was ever built — brought up to date,
 * DuckDB maps included, on the first call — else null (the caller keys rows by their text).
 */
export function keyedThroughIdentity(db: DB): (info: DatasetInfo) => Promise<{ from: string; key: string } | null> {
  let ready: Promise<boolean> | null = null;
  const bringUpToDate = async () => {
    if (!identityMeta(db)) return false;
    if (!(await ensureDuckIdentity(db))) ensureIdentity(db);
    return true;
  };
  return async (info) => {
    if (!isIdentitySource(info) || !(await (ready ??= bringUpToDate()))) return null;
    return customerKeyed(db, info, 't');
  };
}

/** The key columns of any dataset (by role). */
export function keyColumnsOf(info: DatasetInfo): KeyColumns & { info: DatasetInfo } {
  return { info, id: roleCol(info, 'customer_id'), phone: roleCol(info, 'phone'), email: roleCol(info, 'email') };
}

/** Forget a link run's per-row links and timeline: after a build, the customer view reads rows through the maps. */
function dropLinks(db: DB): void {
  db.exec('DELETE FROM customer_links; DELETE FROM customer_events;');
}

export interface CustomerLink { dataset_id: string; source_row: number; rule: string; score: number }
export interface CustomerEvent { at: string; dataset_id: string; source_row: number; kind: ReturnType<typeof eventKind>; amount: number | null; detail: string }

/**
 * One customer's rows in every keyed dataset (with the kind of key that linked each) and their
 * timeline, read through the maps: each dataset is narrowed to the rows whose raw id / phone /
 * e-mail text maps to this customer, then the key rule decides. Null when the identity layer is
 * not built (a link run's own links are on file then).
 */
export async function customerRows(db: DB, customerId: string): Promise<{ links: CustomerLink[]; events: CustomerEvent[]; values: Map<string, Record<string, unknown>> } | null> {
  if (!identityMeta(db)) return null;
  const links: CustomerLink[] = [];
  const events: CustomerEvent[] = [];
  // a DuckDB dataset's row values come with its rows (the view cannot read them by _row from the workspace)
  const values = new Map<string, Record<string, unknown>>();
  const sources = identitySources(db);
  const read = async (c?: DuckConnection) => {
    for (const s of sources) {
      const duck = s.info.engine === 'duckdb';
      const k = keyedRows(s);
      const mine = [
        s.id && `${txt(s.id)} IN (SELECT raw FROM identity_ids WHERE customer_id = $c)`,
        s.phone && `${txt(s.phone)} IN (SELECT raw FROM identity_phones WHERE customer_id = $c)`,
        s.email && `${txt(s.email)} IN (SELECT raw FROM identity_emails WHERE customer_id = $c)`,
      ].filter(Boolean);
      const where = `(${mine.join(' OR ')}) AND ${k.key} = $c`;
      // one pass per dataset: every row is a link; a row with a time is also a timeline event
      const amount = roleCol(s.info, 'amount');
      const detail = s.info.columns.filter((c) => c.role && EVENT_ROLES.includes(c.role)).map((c) => `json_array(${sqlText(c.name)}, ${sqlText(c.role!)}, t.${qid(c.name)})`);
      const at = s.time ? `nullif(CAST(t.${qid(s.time)} AS TEXT), '')` : 'NULL';
      const amt = !amount ? 'NULL' : duck ? `t.${qid(amount)}` : `CASE WHEN typeof(t.${qid(amount)}) IN ('integer', 'real') THEN t.${qid(amount)} END`;
      const cols = duck ? s.info.columns.map((col) => `, t.${qid(col.name)}`).join('') : '';
      const sql = `SELECT t._row, ${k.rule}, ${at}, ${amt}, ${s.time ? `CAST(json_array(${detail.join(', ')}) AS TEXT)` : 'NULL'}${cols} FROM ${k.from} WHERE ${where} ORDER BY t._row`;
      const rows = (duck ? await duckAll(c!, sql, { c: customerId }) : db.prepare(sql).raw(true).all({ c: customerId })) as [number, string, string | null, number | null, string | null, ...unknown[]][];
      const kind = eventKind(s.info);
      for (const [row, rule, time, amt, det, ...vals] of rows) {
        links.push({ dataset_id: s.info.id, source_row: row, rule, score: 1 });
        if (time !== null) events.push({ at: time, dataset_id: s.info.id, source_row: row, kind, amount: amt, detail: det! });
        if (duck) values.set(`${s.info.id}:${row}`, Object.fromEntries(s.info.columns.map((col, j) => [col.name, vals[j]])));
      }
    }
  };
  if (sources.some((s) => s.info.engine === 'duckdb'))
    await withDuck(db, async (c) => {
      await prepareDuck(db, c);
      await read(c);
    });
  else await read();
  links.sort((a, b) => (a.dataset_id < b.dataset_id ? -1 : a.dataset_id > b.dataset_id ? 1 : a.source_row - b.source_row));
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.dataset_id < b.dataset_id ? -1 : a.dataset_id > b.dataset_id ? 1 : a.source_row - b.source_row));
  return { links, events, values };
}

/** Roles whose values a timeline event carries in its detail. */
export const EVENT_ROLES = ['amount', 'item', 'order_id', 'quantity', 'campaign', 'variant', 'sms_status', 'order_status', 'reply_text', 'message_text', 'channel'];

/** What a dataset's records are on a customer's timeline. */
export function eventKind(info: DatasetInfo): 'order' | 'sms' | 'reply' | 'click' | 'record' | 'event' {
  const roles = new Set(info.columns.map((c) => c.role));
  if (roles.has('amount') || roles.has('order_id')) return 'order';
  if (roles.has('reply_text')) return 'reply';
  if (roles.has('message_text') || roles.has('sms_status') || roles.has('campaign')) return 'sms';
  if (roles.has('name')) return 'record';
  if (info.columns.some((c) => /click|点击|链接|url|link/i.test(c.name))) return 'click';
  return 'event';
}

/**
 * SQL for a dataset's rows that resolve to a customer: their key as `as` plus every column of the
 * table (t.*). Use as a subquery: `SELECT … FROM (${linkedRows(info)}) x`.
 */
export function linkedRows(db: DB, info: DatasetInfo, alias = 't', as = 'customer_key'): string {
  const k = customerKeyed(db, info, alias);
  return `SELECT ${k.key} AS ${qid(as)}, ${alias}.* FROM ${k.from} WHERE ${k.key} IS NOT NULL`;
}

/** The columns a per-customer result starts with: the identity's customer id, the member id and phone it was known by (customerNames). */
export const CUSTOMER_KEY_COLUMNS: { name: string; type: DatasetColumn['type']; role: DatasetColumn['role'] }[] = [
  { name: 'customer_id', type: 'id', role: 'customer_id' },
  { name: 'member_id', type: 'id', role: null },
  { name: 'phone', type: 'phone', role: null },
];

/**
 * The member id and canonical phone of a customer key. Keys asked in key order (a result of a
 * million customers, as it writes its rows) are read a page at a time from the customers table,
 * not one query each; any other key seeks its own page. Nothing else of the customers is held.
 */
export function customerNames(db: DB): { get(key: string): { memberId: string | null; phone: string | null } | undefined } {
  const PAGE = 512;
  const seek = db.prepare('SELECT customer_id, member_id, phone FROM customers WHERE customer_id >= ? ORDER BY customer_id LIMIT ?').raw(true);
  let page: [string, string | null, string | null][] = [];
  let i = 0;
  let lastKey: string | null = null;
  let last: { memberId: string | null; phone: string | null } | undefined;
  return {
    get(key) {
      if (key === lastKey) return last;
      while (i < page.length && page[i]![0] < key) i++;
      // not on this page (or asked out of order): the page starting at the key itself decides
      if (page[i]?.[0] !== key) {
        page = seek.all(key, PAGE) as typeof page;
        i = 0;
      }
      const r = page[i]?.[0] === key ? page[i] : undefined;
      last = r ? { memberId: r[1], phone: r[2] } : undefined;
      lastKey = key;
      return last;
    },
  };
}

/** The identity layer's state (brought up to date first; `rebuild` forces a rebuild). */
export function identityStatus(db: DB, rebuild = false): import('../../../shared/api/definitions').IdentityStatus {
  if (rebuild && !db.readonly) db.prepare("DELETE FROM customers_meta WHERE key = 'identity'").run();
  const r = ensureIdentity(db);
  const m = identityMeta(db);
  return {
    customers: r.customers,
    rebuilt: r.rebuilt,
    links: m?.links ?? 0,
    sharedKeys: m?.sharedKeys ?? 0,
    builtAt: m?.builtAt ?? null,
    seconds: m?.seconds ?? null,
    steps: m?.steps ?? null,
    datasets: identitySources(db).map((s) => ({ id: s.info.id, name: s.info.name, rows: s.info.rowCount, linked: m?.linked?.[s.info.id] ?? 0 })),
  };
}
