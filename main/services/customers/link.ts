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
import type { DatasetInfo } from '../../../shared/types';
import type { JobContext } from '../../jobs/types';
import { qid, type DB } from '../../db/open';
import { getDataset } from '../datasets';
import { audit } from '../audit';
import { dedupe, emailKey, goldenRecord, link, phoneDigits, phoneKey, pinyinInitials, pinyinKey, toSimplified, normalizeText } from '../../analysis/dedupe/index';
import { checkConfig, defaultConfig, pairConfig, suspectFields, toEngine } from './config';

type Rule = 'customer_id' | 'phone' | 'email' | 'fuzzy' | 'single';
const RANK: Record<Rule, number> = { customer_id: 4, phone: 3, email: 2, fuzzy: 1, single: 0 };

class UnionFind {
  parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

const roleCol = (info: DatasetInfo, role: string) => info.columns.find((c) => c.role === role)?.name;
const EVENT_ROLES = ['amount', 'item', 'order_id', 'quantity', 'campaign', 'variant', 'sms_status', 'reply_text', 'message_text', 'channel'];

export function eventKind(info: DatasetInfo): 'order' | 'sms' | 'reply' | 'click' | 'record' | 'event' {
  const roles = new Set(info.columns.map((c) => c.role));
  if (roles.has('amount') || roles.has('order_id')) return 'order';
  if (roles.has('reply_text')) return 'reply';
  if (roles.has('message_text') || roles.has('sms_status') || roles.has('campaign')) return 'sms';
  if (roles.has('name')) return 'record';
  if (info.columns.some((c) => /click|点击|链接|url|link/i.test(c.name))) return 'click';
  return 'event';
}

export async function linkJob(job: JobContext, a: { datasets: string[]; threshold: number; config?: MatchConfigInput; oneToOne: boolean; dedupeWithin: boolean }): Promise<LinkSummary> {
  const t0 = performance.now();
  const infos = [...new Set(a.datasets)].map((id) => getDataset(job.db, id));
  const person = infos.map((i) => !!roleCol(i, 'name'));
  if (a.config) infos.forEach((info, k) => person[k] && checkConfig(a.config!, info));
  const keyed = infos.map((i) => !!(roleCol(i, 'customer_id') || roleCol(i, 'phone') || roleCol(i, 'email')));
  const bad = infos.filter((_, k) => !person[k] && !keyed[k]);
  if (bad.length)
    throw new AppError('no_identity_columns', `Dataset(s) ${bad.map((b) => `"${b.name}"`).join(', ')} have no customer id, phone, e-mail or name column to link by.`, `数据集 ${bad.map((b) => `“${b.name}”`).join('、')} 没有可用于关联的客户ID、手机号、邮箱或姓名列。`);
  job.progress(0, 5, 'read');
  const rows = infos.map((info) => job.db.prepare(`SELECT * FROM ${qid(info.id)} ORDER BY _row`).all() as Record<string, unknown>[]);
  const offset: number[] = [];
  let n = 0;
  for (const r of rows) (offset.push(n), (n += r.length));
  const uf = new UnionFind(n);
  const rule = new Array<Rule>(n).fill('single');
  const score = new Float64Array(n);
  const hasKey = new Uint8Array(n);
  const mark = (i: number, r: Rule, s: number) => {
    if (RANK[r] > RANK[rule[i]!] || (r === rule[i] && s > score[i]!)) {
      rule[i] = r;
      score[i] = s;
    }
  };
  // 1. exact keys
  const first = new Map<string, number>();
  infos.forEach((info, d) => {
    const cols: [Rule, string | undefined, (v: unknown) => string][] = [
      ['customer_id', roleCol(info, 'customer_id'), (v) => normalizeText(v)],
      ['phone', roleCol(info, 'phone'), (v) => phoneKey(v, 'CN')],
      ['email', roleCol(info, 'email'), emailKey],
    ];
    rows[d]!.forEach((row, i) => {
      const node = offset[d]! + i;
      for (const [r, col, key] of cols) {
        if (!col) continue;
        const k = key(row[col]);
        if (!k) continue;
        hasKey[node] = 1;
        const id = `${r}\u0001${k}`;
        const f = first.get(id);
        if (f === undefined) first.set(id, node);
        else {
          uf.union(f, node);
          mark(f, r, 1);
          mark(node, r, 1);
        }
      }
    });
  });
  job.progress(1, 5, 'fuzzy');
  // 2. fuzzy evidence among the datasets with names
  let fuzzyPairs = 0;
  const fuzzyList: [number, number][] = [];
  const addPair = (x: number, y: number, p: number) => {
    fuzzyList.push([x, y]);
    uf.union(x, y);
    mark(x, 'fuzzy', p);
    mark(y, 'fuzzy', p);
    fuzzyPairs++;
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
        if (usePass(infos[d]!.name, r)) for (const p of r.matches) addPair(offset[d]! + r.pairs.a[p]!, offset[d]! + r.pairs.b[p]!, r.pairs.probability[p]!);
        job.checkCancel();
      }
    for (let x = 0; x < persons.length; x++)
      for (let y = x + 1; y < persons.length; y++) {
        const [da, db] = [persons[x]!, persons[y]!];
        const cfg = a.config ?? pairConfig(infos[da]!, infos[db]!);
        if (!cfg || !rows[da]!.length || !rows[db]!.length) continue;
        if (a.config) checkConfig(a.config, infos[db]!, 'B');
        const r = link(rows[da]!, rows[db]!, toEngine(cfg, a.threshold, { oneToOne: a.oneToOne }), hooks);
        if (usePass(`${infos[da]!.name} ↔ ${infos[db]!.name}`, r)) for (const p of r.matches) addPair(offset[da]! + r.pairs.a[p]!, offset[db]! + r.pairs.b[p]!, r.pairs.probability[p]!);
        job.checkCancel();
      }
  } catch (e) {
    job.checkCancel();
    throw e;
  }
  job.progress(2, 5, 'customers');
  // 3. components → customers (records without any key or name stay unlinked)
  const linked = (node: number, d: number) => hasKey[node] === 1 || person[d] || rule[node] !== 'single';
  const comps = new Map<number, number[]>();
  const nodeDs = new Int32Array(n);
  infos.forEach((_, d) => nodeDs.fill(d, offset[d]!, offset[d]! + rows[d]!.length));
  for (let node = 0; node < n; node++) {
    if (!linked(node, nodeDs[node]!)) continue;
    const r = uf.find(node);
    (comps.get(r) ?? comps.set(r, []).get(r)!).push(node);
  }
  const rowOf = (node: number) => rows[nodeDs[node]!]![node - offset[nodeDs[node]!]!]!;
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
  }));
  const db = job.db;
  db.exec('DELETE FROM customers; DELETE FROM customer_links; DELETE FROM customer_events;');
  const insC = db.prepare(
    'INSERT INTO customers (customer_id, name, phone, email, province, city, gender, birthday, name_pinyin, name_initials, name_simplified, phone_digits, records, datasets, events, first_seen, last_seen, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insL = db.prepare('INSERT INTO customer_links (dataset_id, source_row, customer_id, rule, score) VALUES (?, ?, ?, ?, ?)');
  const insE = db.prepare('INSERT INTO customer_events (customer_id, at, dataset_id, source_row, kind, amount, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const kinds = infos.map(eventKind);
  const detailCols = infos.map((info) => {
    const roleCols = info.columns.filter((c) => c.role && EVENT_ROLES.includes(c.role));
    const extra = info.columns.find((c) => !c.role && (c.type === 'category' || c.type === 'text'));
    return [...roleCols, ...(extra && !person[infos.indexOf(info)] ? [extra] : [])].map((c) => ({ column: c.name, role: c.role }));
  });
  const usedIds = new Set<string>();
  let generated = 0;
  const perDs = infos.map(() => ({ linked: 0, customers: new Set<string>() }));
  const byRule: LinkSummary['byRule'] = { customer_id: 0, phone: 0, email: 0, fuzzy: 0, single: 0 };
  let multiDataset = 0;
  let multiRecord = 0;
  let events = 0;
  let links = 0;
  let done = 0;
  const ordered = [...comps.values()].sort((x, y) => x[0]! - y[0]!);
  for (const nodes of ordered) {
    if ((++done & 0x3ff) === 0) job.progress(2 + done / ordered.length, 5, 'customers');
    const ids = new Map<string, number>();
    for (const node of nodes) {
      const c = cols[nodeDs[node]!]!;
      const v = c.id ? normalizeText(rowOf(node)[c.id]) : '';
      if (v) ids.set(String(rowOf(node)[c.id!]).trim(), (ids.get(String(rowOf(node)[c.id!]).trim()) ?? 0) + 1);
    }
    let customerId = [...ids].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0];
    if (!customerId || usedIds.has(customerId)) {
      do customerId = `SCV-${String(++generated).padStart(6, '0')}`;
      while (usedIds.has(customerId));
    }
    usedIds.add(customerId);
    // golden record over canonical fields; person datasets first, then events (for phone/e-mail)
    const canon = nodes.map((node) => {
      const c = cols[nodeDs[node]!]!;
      const r = rowOf(node);
      const get = (k: keyof typeof c) => (c[k] ? r[c[k]!] ?? null : null);
      // source tier: records with a customer id in a dataset with names, then other records with names, then events
      const src = c.name ? (c.id && normalizeText(r[c.id]) ? 'person_id' : 'person') : 'event';
      return { name: get('name'), phone: get('phone'), email: get('email'), province: get('province'), city: get('city'), gender: get('gender'), birthday: get('birthday'), at: get('time'), src, node };
    });
    const g = goldenRecord(canon, {
      fields: ['name', 'phone', 'email', 'province', 'city', 'gender', 'birthday'],
      rules: { name: 'source_priority', phone: 'most_frequent', email: 'most_frequent', province: 'most_complete', city: 'most_frequent', gender: 'source_priority', birthday: 'source_priority' },
      dateField: 'at',
      sourceField: 'src',
      sourcePriority: ['person_id', 'person', 'event'],
      idField: 'node',
    });
    const prov: Record<string, { datasetId: string; row: number; candidates: number }> = {};
    for (const [f, p] of Object.entries(g.provenance))
      if (p.row >= 0) {
        const node = p.id as number;
        prov[f] = { datasetId: infos[nodeDs[node]!]!.id, row: Number(rowOf(node)._row), candidates: p.candidates };
      }
    const dsSet = new Set<number>();
    let personRecords = 0;
    let first: string | null = null;
    let last: string | null = null;
    let nEvents = 0;
    for (const node of nodes) {
      const d = nodeDs[node]!;
      dsSet.add(d);
      if (person[d]) personRecords++;
      const r = rowOf(node);
      insL.run(infos[d]!.id, Number(r._row), customerId, rule[node], rule[node] === 'single' ? 1 : score[node]!);
      links++;
      byRule[rule[node]!]++;
      perDs[d]!.linked++;
      perDs[d]!.customers.add(customerId);
      const tcol = cols[d]!.time;
      const at = tcol ? r[tcol] : null;
      if (at !== null && at !== undefined && at !== '') {
        const s = String(at);
        if (first === null || s < first) first = s;
        if (last === null || s > last) last = s;
        const amountCol = roleCol(infos[d]!, 'amount');
        const amount = amountCol && typeof r[amountCol] === 'number' ? (r[amountCol] as number) : null;
        insE.run(customerId, s, infos[d]!.id, Number(r._row), kinds[d], amount, JSON.stringify(detailCols[d]!.map((x) => [x.column, x.role, r[x.column] ?? null])));
        nEvents++;
      }
    }
    events += nEvents;
    if (dsSet.size > 1) multiDataset++;
    if (personRecords > 1) multiRecord++;
    const name = g.record.name === null ? null : String(g.record.name).trim();
    const phone = g.record.phone === null ? null : String(g.record.phone);
    insC.run(
      customerId,
      name,
      phone,
      g.record.email === null ? null : String(g.record.email),
      g.record.province as string | null,
      g.record.city as string | null,
      g.record.gender === null ? null : String(g.record.gender),
      g.record.birthday === null ? null : String(g.record.birthday),
      name ? pinyinKey(name).replace(/\s+/g, '') : null,
      name ? pinyinInitials(name) : null,
      name ? normalizeText(toSimplified(name)) : null,
      phone ? phoneDigits(phone) : null,
      nodes.length,
      dsSet.size,
      nEvents,
      first,
      last,
      JSON.stringify(prov),
    );
  }
  job.progress(4, 5, 'save');
  const summary: LinkSummary = {
    linkedAt: new Date().toISOString(),
    datasets: infos.map((info, d) => ({ id: info.id, name: info.name, rows: rows[d]!.length, linked: perDs[d]!.linked, customers: perDs[d]!.customers.size, person: person[d]! })),
    customers: ordered.length,
    links,
    byRule,
    multiDataset,
    multiRecord,
    events,
    fuzzyPairs,
    fuzzyPasses: passes,
    unlinked: n - links,
    seconds: +((performance.now() - t0) / 1000).toFixed(2),
  };
  db.prepare("INSERT INTO customers_meta (key, value) VALUES ('link', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify({ ...summary, args: { datasets: a.datasets, threshold: a.threshold, oneToOne: a.oneToOne, dedupeWithin: a.dedupeWithin, config: a.config ?? null } }));
  // The identity layer (services/identity) keeps these fuzzy matches as evidence and rebuilds the
  // customer tables for every keyed dataset at the next analysis.
  db.prepare("INSERT INTO customers_meta (key, value) VALUES ('link_fuzzy', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
    JSON.stringify(fuzzyList.map(([x, y]) => [infos[nodeDs[x]!]!.id, Number(rowOf(x)._row), infos[nodeDs[y]!]!.id, Number(rowOf(y)._row)])),
  );
  db.prepare("DELETE FROM customers_meta WHERE key = 'identity'").run();
  audit(db, 'customers.linked', { objectType: 'customers', rows: links, details: { datasets: a.datasets, customers: summary.customers, threshold: a.threshold } });
  return summary;
}

export function linkSummary(db: DB): LinkSummary | null {
  const r = db.prepare("SELECT value FROM customers_meta WHERE key = 'link'").get() as { value: string } | undefined;
  if (!r) return null;
  const { args: _args, ...s } = JSON.parse(r.value) as LinkSummary & { args: unknown };
  return s;
}
