/**
 * The single customer view: every record of the chosen datasets joined to one customer by
 * union–find over all the evidence —
 * - exact keys across and inside datasets: customer id, phone (E.164; typed phone columns
 *   already are), e-mail (emailKey: lower case, +tag and gmail dots dropped);
 * - fuzzy matches from the engine among the datasets with names: dedupe inside each one and
 *   link between each pair (config from roles, or the user's), pairs at or above the threshold.
 * Each customer gets an id (its source customer id when it has one, else SCV-n), a golden
 * record by survivorship, the link of every record (with the strongest rule that joined it),
 * and a timeline of every record with a timestamp. The tables are rebuilt on each run.
 */
import { AppError } from '../../../shared/errors';
import type { LinkSummary, MatchConfigInput } from '../../../shared/api/customers';
import type { DatasetInfo, Role } from '../../../shared/types';
import type { JobContext } from '../../jobs/types';
import { qid, type DB } from '../../db/open';
import { getDataset, recordsWhereTheDataIs, roleColumn } from '../datasets';
import { audit } from '../audit/index';
import { dedupe, emailKey, goldenRecord, link, phoneDigits, phoneKey, pinyinInitials, pinyinKey, toSimplified, normalizeText } from '../../analysis/dedupe/index';
import { UnionFind } from '../../kernel/union-find';
import { EVENT_ROLES, eventKind } from '../identity/index';
import { checkConfig, defaultConfig, pairConfig, suspectFields, toEngine } from './config';

type Rule = 'customer_id' | 'phone' | 'email' | 'fuzzy' | 'single';
const RANK: Record<Rule, number> = { customer_id: 4, phone: 3, email: 2, fuzzy: 1, single: 0 };

/** The column of a role, undefined when absent (as the record fields below expect). */
const roleCol = (info: DatasetInfo, role: Role) => roleColumn(info, role) ?? undefined;
type LinkArgs = { datasets: string[]; threshold: number; config?: MatchConfigInput; oneToOne: boolean; dedupeWithin: boolean };
type Row = Record<string, unknown>;

export async function linkJob(job: JobContext, a: LinkArgs): Promise<LinkSummary> {
  const t0 = performance.now();
  const infos = [...new Set(a.datasets)].map((id) => getDataset(job.db, id));
  const person = checkLinkable(infos, a);
  job.progress(0, 5, 'read');
  const rows: Row[][] = [];
  for (const info of infos) rows.push(await recordsWhereTheDataIs(job.db, info));
  const g = new LinkGraph(rows);
  linkExactKeys(g, infos, rows);
  job.progress(1, 5, 'fuzzy');
  const fuzzy = linkFuzzy(job, g, infos, rows, person, a);
  job.progress(2, 5, 'customers');
  const comps = g.components(person);
  const written = writeCustomers(job, g, infos, person, comps);
  job.progress(4, 5, 'save');
  const summary: LinkSummary = {
    linkedAt: new Date().toISOString(),
    datasets: infos.map((info, d) => ({ id: info.id, name: info.name, rows: rows[d]!.length, linked: written.perDs[d]!.linked, customers: written.perDs[d]!.customers.size, person: person[d]! })),
    customers: comps.length,
    links: written.links,
    byRule: written.byRule,
    multiDataset: written.multiDataset,
    multiRecord: written.multiRecord,
    events: written.events,
    fuzzyPairs: fuzzy.pairs.length,
    fuzzyPasses: fuzzy.passes,
    unlinked: g.n - written.links,
    seconds: +((performance.now() - t0) / 1000).toFixed(2),
  };
  saveLinkRun(job.db, a, g, infos, summary, fuzzy.pairs);
  return summary;
}

/** Which datasets hold people (a name column); refuses a dataset with nothing to link by, or a config that does not fit. */
function checkLinkable(infos: DatasetInfo[], a: LinkArgs): boolean[] {
  const person = infos.map((i) => !!roleCol(i, 'name'));
  if (a.config) infos.forEach((info, k) => person[k] && checkConfig(a.config!, info));
  const keyed = infos.map((i) => !!(roleCol(i, 'customer_id') || roleCol(i, 'phone') || roleCol(i, 'email')));
  const bad = infos.filter((_, k) => !person[k] && !keyed[k]);
  if (bad.length)
    throw new AppError('no_identity_columns', `Dataset(s) ${bad.map((b) => `"${b.name}"`).join(', ')} have no customer id, phone, e-mail or name column to link by.`, `数据集 ${bad.map((b) => `“${b.name}”`).join('、')} 没有可用于关联的客户ID、手机号、邮箱或姓名列。`);
  return person;
}

/** Every record of every dataset as one node; union–find over the evidence, with the strongest rule (and score) that joined each node. */
class LinkGraph {
  readonly n: number;
  readonly offset: number[] = [];
  readonly nodeDs: Int32Array;
  readonly uf: UnionFind;
  readonly rule: Rule[];
  readonly score: Float64Array;
  readonly hasKey: Uint8Array;

  constructor(readonly rows: Row[][]) {
    let n = 0;
    for (const r of rows) (this.offset.push(n), (n += r.length));
    this.n = n;
    this.uf = new UnionFind(n);
    this.rule = new Array<Rule>(n).fill('single');
    this.score = new Float64Array(n);
    this.hasKey = new Uint8Array(n);
    this.nodeDs = new Int32Array(n);
    rows.forEach((r, d) => this.nodeDs.fill(d, this.offset[d]!, this.offset[d]! + r.length));
  }

  node(d: number, i: number): number {
    return this.offset[d]! + i;
  }

  rowOf(node: number): Row {
    const d = this.nodeDs[node]!;
    return this.rows[d]![node - this.offset[d]!]!;
  }

  mark(i: number, r: Rule, s: number): void {
    if (RANK[r] > RANK[this.rule[i]!] || (r === this.rule[i] && s > this.score[i]!)) {
      this.rule[i] = r;
      this.score[i] = s;
    }
  }

  join(x: number, y: number, r: Rule, s: number): void {
    this.uf.union(x, y);
    this.mark(x, r, s);
    this.mark(y, r, s);
  }

  /** Connected records, in order of their first record; records without any key, name or match stay out (unlinked). */
  components(person: boolean[]): number[][] {
    const comps = new Map<number, number[]>();
    for (let node = 0; node < this.n; node++) {
      const linked = this.hasKey[node] === 1 || person[this.nodeDs[node]!] || this.rule[node] !== 'single';
      if (!linked) continue;
      const r = this.uf.find(node);
      (comps.get(r) ?? comps.set(r, []).get(r)!).push(node);
    }
    return [...comps.values()].sort((x, y) => x[0]! - y[0]!);
  }
}

/** 1. Exact keys across and inside datasets: customer id, phone, e-mail. */
function linkExactKeys(g: LinkGraph, infos: DatasetInfo[], rows: Row[][]): void {
  const first = new Map<string, number>();
  infos.forEach((info, d) => {
    const cols: [Rule, string | undefined, (v: unknown) => string][] = [
      ['customer_id', roleCol(info, 'customer_id'), (v) => normalizeText(v)],
      ['phone', roleCol(info, 'phone'), (v) => phoneKey(v, 'CN')],
      ['email', roleCol(info, 'email'), emailKey],
    ];
    rows[d]!.forEach((row, i) => {
      const node = g.node(d, i);
      for (const [r, col, key] of cols) {
        if (!col) continue;
        const k = key(row[col]);
        if (!k) continue;
        g.hasKey[node] = 1;
        const id = `${r}\u0001${k}`;
        const f = first.get(id);
        if (f === undefined) first.set(id, node);
        else g.join(f, node, r, 1);
      }
    });
  });
}

/** 2. Fuzzy evidence among the datasets with names: dedupe inside each, link each pair; a pass whose model looks wrong is skipped and said so. */
function linkFuzzy(job: JobContext, g: LinkGraph, infos: DatasetInfo[], rows: Row[][], person: boolean[], a: LinkArgs): { pairs: [number, number][]; passes: LinkSummary['fuzzyPasses'] } {
  const pairs: [number, number][] = [];
  const addPair = (x: number, y: number, p: number) => {
    pairs.push([x, y]);
    g.join(x, y, 'fuzzy', p);
  };
  const persons = infos.map((_, d) => d).filter((d) => person[d]);
  const hooks = { shouldCancel: job.cancelled };
  const passes: LinkSummary['fuzzyPasses'] = [];
  const usePass = (name: string, r: { blocking: { pairs: number }; matches: number[]; model: { fields: string[]; weights: number[][] } }) => {
    const suspect = suspectFields(r.model);
    passes.push({ name, pairsCompared: r.blocking.pairs, matches: r.matches.length, skipped: suspect.length > 0, suspectFields: suspect });
    return suspect.length === 0;
  };
  try {
    if (a.dedupeWithin)
      for (const d of persons) {
        if (rows[d]!.length < 2) continue;
        const cfg = a.config ?? defaultConfig(infos[d]!).config;
        const r = dedupe(rows[d]!, toEngine(cfg, a.threshold), hooks);
        if (usePass(infos[d]!.name, r)) for (const p of r.matches) addPair(g.node(d, r.pairs.a[p]!), g.node(d, r.pairs.b[p]!), r.pairs.probability[p]!);
        job.checkCancel();
      }
    for (let x = 0; x < persons.length; x++)
      for (let y = x + 1; y < persons.length; y++) {
        const [da, db] = [persons[x]!, persons[y]!];
        const cfg = a.config ?? pairConfig(infos[da]!, infos[db]!);
        if (!cfg || !rows[da]!.length || !rows[db]!.length) continue;
        if (a.config) checkConfig(a.config, infos[db]!, 'B');
        const r = link(rows[da]!, rows[db]!, toEngine(cfg, a.threshold, { oneToOne: a.oneToOne }), hooks);
        if (usePass(`${infos[da]!.name} ↔ ${infos[db]!.name}`, r)) for (const p of r.matches) addPair(g.node(da, r.pairs.a[p]!), g.node(db, r.pairs.b[p]!), r.pairs.probability[p]!);
        job.checkCancel();
      }
  } catch (e) {
    job.checkCancel();
    throw e;
  }
  return { pairs, passes };
}

/** 3. Each component → one customer: its id, golden record, the link of every record and its timeline (tables rebuilt). */
function writeCustomers(job: JobContext, g: LinkGraph, infos: DatasetInfo[], person: boolean[], comps: number[][]) {
  const cols = infos.map((info) => ({
    id: roleCol(info, 'customer_id'),
    name: roleCol(info, 'name'),
    phone: roleCol(info, 'phone'),
    email: roleCol(info, 'email'),
    province: roleCol(info, 'region'),
    city: roleCol(info, 'city'),
    gender: roleCol(info, 'gender'),
    birthday: roleCol(info, 'birthday'),
    time: roleCol(info, 'timestamp'),
    amount: roleCol(info, 'amount'),
  }));
  const db = job.db;
  db.exec('DELETE FROM customers; DELETE FROM customer_links; DELETE FROM customer_events;');
  const insC = db.prepare(
    'INSERT INTO customers (customer_id, name, phone, email, province, city, gender, birthday, name_pinyin, name_initials, name_simplified, phone_digits, records, datasets, events, first_seen, last_seen, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insL = db.prepare('INSERT INTO customer_links (dataset_id, source_row, customer_id, rule, score) VALUES (?, ?, ?, ?, ?)');
  const insE = db.prepare('INSERT INTO customer_events (customer_id, at, dataset_id, source_row, kind, amount, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const kinds = infos.map(eventKind);
  const detailCols = infos.map((info, d) => {
    const roleCols = info.columns.filter((c) => c.role && EVENT_ROLES.includes(c.role));
    const extra = info.columns.find((c) => !c.role && (c.type === 'category' || c.type === 'text'));
    return [...roleCols, ...(extra && !person[d] ? [extra] : [])].map((c) => ({ column: c.name, role: c.role }));
  });
  const ids = new CustomerIds();
  const out = {
    perDs: infos.map(() => ({ linked: 0, customers: new Set<string>() })),
    byRule: { customer_id: 0, phone: 0, email: 0, fuzzy: 0, single: 0 } as LinkSummary['byRule'],
    multiDataset: 0,
    multiRecord: 0,
    events: 0,
    links: 0,
  };
  let done = 0;
  for (const nodes of comps) {
    if ((++done & 0x3ff) === 0) job.progress(2 + done / comps.length, 5, 'customers');
    const customerId = ids.next(nodes.map((node) => {
      const c = cols[g.nodeDs[node]!]!;
      return c.id && normalizeText(g.rowOf(node)[c.id]) ? String(g.rowOf(node)[c.id]).trim() : '';
    }));
    const golden = goldenOf(g, infos, cols, nodes);
    const dsSet = new Set<number>();
    let personRecords = 0;
    let first: string | null = null;
    let last: string | null = null;
    let nEvents = 0;
    for (const node of nodes) {
      const d = g.nodeDs[node]!;
      dsSet.add(d);
      if (person[d]) personRecords++;
      const r = g.rowOf(node);
      const rule = g.rule[node]!;
      insL.run(infos[d]!.id, Number(r._row), customerId, rule, rule === 'single' ? 1 : g.score[node]!);
      out.links++;
      out.byRule[rule]++;
      out.perDs[d]!.linked++;
      out.perDs[d]!.customers.add(customerId);
      const tcol = cols[d]!.time;
      const at = tcol ? r[tcol] : null;
      if (at !== null && at !== undefined && at !== '') {
        const s = String(at);
        if (first === null || s < first) first = s;
        if (last === null || s > last) last = s;
        const amountCol = cols[d]!.amount;
        const amount = amountCol && typeof r[amountCol] === 'number' ? (r[amountCol] as number) : null;
        insE.run(customerId, s, infos[d]!.id, Number(r._row), kinds[d], amount, JSON.stringify(detailCols[d]!.map((x) => [x.column, x.role, r[x.column] ?? null])));
        nEvents++;
      }
    }
    out.events += nEvents;
    if (dsSet.size > 1) out.multiDataset++;
    if (personRecords > 1) out.multiRecord++;
    const rec = golden.record;
    const name = rec.name === null ? null : String(rec.name).trim();
    const phone = rec.phone === null ? null : String(rec.phone);
    insC.run(
      customerId,
      name,
      phone,
      rec.email === null ? null : String(rec.email),
      rec.province as string | null,
      rec.city as string | null,
      rec.gender === null ? null : String(rec.gender),
      rec.birthday === null ? null : String(rec.birthday),
      name ? pinyinKey(name).replace(/\s+/g, '') : null,
      name ? pinyinInitials(name) : null,
      name ? normalizeText(toSimplified(name)) : null,
      phone ? phoneDigits(phone) : null,
      nodes.length,
      dsSet.size,
      nEvents,
      first,
      last,
      JSON.stringify(golden.provenance),
    );
  }
  return out;
}

/** A customer's id: the customer id most of its records carry (ties: the smallest), unless taken; else SCV-n. */
class CustomerIds {
  private used = new Set<string>();
  private generated = 0;
  next(candidates: string[]): string {
    const ids = new Map<string, number>();
    for (const v of candidates) if (v) ids.set(v, (ids.get(v) ?? 0) + 1);
    let id = [...ids].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0];
    if (!id || this.used.has(id)) {
      do id = `SCV-${String(++this.generated).padStart(6, '0')}`;
      while (this.used.has(id));
    }
    this.used.add(id);
    return id;
  }
}

type RoleCols = { id?: string; name?: string; phone?: string; email?: string; province?: string; city?: string; gender?: string; birthday?: string; time?: string; amount?: string };

/** The golden record by survivorship over the canonical fields (person datasets first, then events for phone/e-mail), with where each value came from. */
function goldenOf(g: LinkGraph, infos: DatasetInfo[], cols: RoleCols[], nodes: number[]) {
  const canon = nodes.map((node) => {
    const c = cols[g.nodeDs[node]!]!;
    const r = g.rowOf(node);
    const get = (k: keyof RoleCols) => (c[k] ? r[c[k]!] ?? null : null);
    // source tier: records with a customer id in a dataset with names, then other records with names, then events
    const src = c.name ? (c.id && normalizeText(r[c.id]) ? 'person_id' : 'person') : 'event';
    return { name: get('name'), phone: get('phone'), email: get('email'), province: get('province'), city: get('city'), gender: get('gender'), birthday: get('birthday'), at: get('time'), src, node };
  });
  const golden = goldenRecord(canon, {
    fields: ['name', 'phone', 'email', 'province', 'city', 'gender', 'birthday'],
    rules: { name: 'source_priority', phone: 'most_frequent', email: 'most_frequent', province: 'most_complete', city: 'most_frequent', gender: 'source_priority', birthday: 'source_priority' },
    dateField: 'at',
    sourceField: 'src',
    sourcePriority: ['person_id', 'person', 'event'],
    idField: 'node',
  });
  const provenance: Record<string, { datasetId: string; row: number; candidates: number }> = {};
  for (const [f, p] of Object.entries(golden.provenance))
    if (p.row >= 0) {
      const node = p.id as number;
      provenance[f] = { datasetId: infos[g.nodeDs[node]!]!.id, row: Number(g.rowOf(node)._row), candidates: p.candidates };
    }
  return { record: golden.record, provenance };
}

/** 4. The run's summary and arguments, the fuzzy matches as evidence for the identity layer, and the audit entry. */
function saveLinkRun(db: DB, a: LinkArgs, g: LinkGraph, infos: DatasetInfo[], summary: LinkSummary, fuzzyPairs: [number, number][]): void {
  db.prepare("INSERT INTO customers_meta (key, value) VALUES ('link', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify({ ...summary, args: { datasets: a.datasets, threshold: a.threshold, oneToOne: a.oneToOne, dedupeWithin: a.dedupeWithin, config: a.config ?? null } }));
  // The identity layer (services/identity) keeps these fuzzy matches as evidence and rebuilds the
  // customer tables for every keyed dataset at the next analysis.
  db.prepare("INSERT INTO customers_meta (key, value) VALUES ('link_fuzzy', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
    JSON.stringify(fuzzyPairs.map(([x, y]) => [infos[g.nodeDs[x]!]!.id, Number(g.rowOf(x)._row), infos[g.nodeDs[y]!]!.id, Number(g.rowOf(y)._row)])),
  );
  db.prepare("DELETE FROM customers_meta WHERE key = 'identity'").run();
  audit(db, 'customers.linked', { objectType: 'customers', rows: summary.links, details: { datasets: a.datasets, customers: summary.customers, threshold: a.threshold } });
}

export function linkSummary(db: DB): LinkSummary | null {
  const r = db.prepare("SELECT value FROM customers_meta WHERE key = 'link'").get() as { value: string } | undefined;
  if (!r) return null;
  const { args: _args, ...s } = JSON.parse(r.value) as LinkSummary & { args: unknown };
  return s;
}
