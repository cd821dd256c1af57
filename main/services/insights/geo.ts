/**
 * Geography of a customer (or order) dataset: where customers are, where revenue comes from, and
 * where SMS sends convert best — per province (the 34 divisions, zeros kept, for the China map and
 * the tile grid) or per city within a province.
 *
 * Place: the region (province) column normalised with normalizeProvince, the city column with
 * normalizeCity (province as the hint); with no region or city column, the phone number's
 * prefix (phoneGeo). Per customer — the identity layer's customer key, so duplicate member ids
 * and differently written phones are one customer; rows without any key count on their own —
 * the first row's place counts. Values that name no place are counted as unknown and the
 * commonest are listed.
 *
 * Measures: customers; revenue (valid orders by the status definitions: the dataset's own
 * amount, else an orders dataset joined through the customer key, so phone-only order lines
 * count for their customer); response = sends followed by an order by the same phone
 * within the window (sms/report's last-touch attribution) ÷ sends, with a Wilson interval, ranked
 * by the interval's lower end (as the send-time grid does) so a small place does not win by luck. With
 * the phone as the place source, a send is placed by its own phone; otherwise by the customer it
 * belongs to (sends to phones not in the dataset are unknown).
 */
import { AppError } from '../../../shared/errors';
import type { GeoResult, GeoRow } from '../../../shared/api/insights';
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { getDataset } from '../datasets';
import { roleColumn } from '../datasets/index';
import { getSegmentation } from '../segments/store';
import { segmentMembers } from '../segments/membership';
import { withSendOutcomes } from '../sms/outcomes';
import { normalizeProvince, type ProvinceInfo } from '../../analysis/geo/provinces';
import { normalizeCity, type CityInfo } from '../../analysis/geo/cities';
import { phoneGeo } from '../../analysis/geo/phone-data';
import { provinceTotals } from '../../analysis/geo/aggregate';
import { PROVINCE_TILES } from '../../analysis/geo/tilegrid';
import { wilson } from '../../kernel/intervals';
import { customerKey } from './common';
import { customerKeyed, ensureIdentity, keyedRows } from '../identity/index';
import { eachRowWhereTheDataIs, eventSql, numericSql } from '../identity/events';

interface Entity {
  /** Customer key of the identity layer (null: a row without any key). */
  key: string | null;
  id: string | null;
  phone: string | null;
  name: string | null;
  province: ProvinceInfo | null;
  city: CityInfo | null;
  raw: string;
  rawCity: string | null;
  /** Rows of the dataset that belong to this entity, and the sum of their valid amounts. */
  lines: number;
  amount: number;
}

interface Placed {
  source: 'column' | 'phone';
  regionColumn: string | null;
  entities: Entity[];
  hasAmount: boolean;
  byPhone: Map<string, Entity>;
  /** Customer key of the identity layer → entity. */
  byCustomer: Map<string, Entity>;
}

/**
 * One entity per customer of the identity layer (else per id, phone or row), grouped in SQL so
 * memory follows customers, not rows: each group's first row gives the place (SQLite takes the
 * bare columns from the min(_row) row), with its row count and summed valid amount.
 */
async function place(db: DB, info: DatasetInfo): Promise<Placed> {
  const region = roleColumn(info, 'region');
  const city = roleColumn(info, 'city');
  const phone = roleColumn(info, 'phone');
  const idCol = roleColumn(info, 'customer_id', 'email');
  const name = roleColumn(info, 'name');
  const amount = roleColumn(info, 'amount');
  if (!region && !city && !phone)
    throw new AppError('no_place', `Dataset "${info.name}" has no province, city or phone column to place customers.`, `数据集“${info.name}”没有省份、城市或手机号列，无法确定客户所在地。`, { dataset: info.id });
  const col = (c: string | null) => (c ? `CAST(t.${qid(c)} AS TEXT)` : 'NULL');
  const keyed = !!customerKey(info);
  // the group's first row gives the place: SQLite takes bare columns from the min(_row) row; DuckDB
  // groups first (one row number per group, which spills to disk past its memory cap — an arg_min of
  // six texts per group ran out of its 1 GB at 50M rows) and reads that row's columns back by _row
  const duck = info.engine === 'duckdb';
  let group = '';
  let from = '';
  const sql = () => {
    if (keyed) ensureIdentity(db);
    const k = keyed ? customerKeyed(db, info) : keyedRows({ info });
    // only valid orders bring revenue (a dataset without a status column: every row)
    const valid = keyed ? eventSql(db, info).status : "'valid'";
    group = `coalesce(${keyed ? `'k:' || nullif(${k.key}, ''), ` : ''}'i:' || nullif(${col(idCol)}, ''), 'p:' || nullif(${col(phone)}, ''), 'r:' || CAST(t._row AS TEXT))`;
    from = k.from;
    const places = [col(idCol), col(phone), col(name), col(region), col(city), k.key].join(', ');
    const revenue = amount ? `sum(CASE WHEN ${valid} = 'valid' AND ${numericSql(info, `t.${qid(amount)}`)} THEN t.${qid(amount)} END)` : 'NULL';
    if (duck) return `WITH g AS (SELECT min(t._row) AS r, ${group} AS gk, count(*) AS n, ${revenue} AS amt FROM ${k.from} GROUP BY 2) SELECT g.r, g.gk, ${places}, g.n, g.amt FROM g, ${k.from} WHERE t._row = g.r ORDER BY 1`;
    return `SELECT min(t._row), ${group}, ${places}, count(*), ${revenue} FROM ${k.from} GROUP BY ${group} ORDER BY 1`;
  };
  type Row = [number, string, string | null, string | null, string | null, string | null, string | null, string | null, number, number | null];
  const source: 'column' | 'phone' = region || city ? 'column' : 'phone';
  const entities: Entity[] = [];
  const byPhone = new Map<string, Entity>();
  const byCustomer = new Map<string, Entity>();
  const memoP = new Map<string, ProvinceInfo | null>();
  const memoC = new Map<string, CityInfo | null>();
  const byGroup = new Map<string, Entity>();
  await eachRowWhereTheDataIs(db, info.id, sql, (row) => {
    const [, gk, id, ph, nm, reg, ct, ck, lines, amt] = row as Row;
    let province: ProvinceInfo | null = null;
    let cityInfo: CityInfo | null = null;
    let raw = '';
    if (source === 'column') {
      raw = (reg ?? ct ?? '').trim();
      if (reg) {
        if (!memoP.has(reg)) memoP.set(reg, normalizeProvince(reg));
        province = memoP.get(reg)!;
      }
      if (ct) {
        const k = `${province?.code ?? ''}|${ct}`;
        if (!memoC.has(k)) memoC.set(k, normalizeCity(ct, province));
        cityInfo = memoC.get(k)!;
        if (!region && cityInfo) province = cityInfo.province;
        if (cityInfo && province && cityInfo.province.code !== province.code) cityInfo = null;
      }
    } else {
      const g = phoneGeo(ph);
      province = g.province;
      cityInfo = g.city;
      raw = g.location ?? ph ?? '';
    }
    const e: Entity = { key: ck, id, phone: ph, name: nm, province, city: cityInfo, raw, rawCity: ct, lines, amount: Number.isFinite(amt) ? amt! : 0 };
    entities.push(e);
    byGroup.set(gk, e);
    if (ck) byCustomer.set(ck, e);
  });
  // each phone finds the entity of the first row that carries it (a customer's later rows may add phones)
  if (phone) {
    const firstUse = () =>
      duck
        ? `WITH f AS (SELECT ${col(phone)} AS ph, min(t._row) AS r FROM ${from} WHERE nullif(${col(phone)}, '') IS NOT NULL GROUP BY 1) SELECT f.ph, f.r, ${group} FROM f, ${from} WHERE t._row = f.r`
        : `SELECT ${col(phone)}, min(t._row), ${group} FROM ${from} WHERE nullif(${col(phone)}, '') IS NOT NULL GROUP BY 1`;
    await eachRowWhereTheDataIs(db, info.id, firstUse, ([ph, , gk]) => {
      const e = byGroup.get(gk as string);
      if (e) byPhone.set(ph as string, e);
    });
  }
  return { source, regionColumn: region ?? city ?? phone, entities, hasAmount: !!amount, byPhone, byCustomer };
}

const TILE = new Map(PROVINCE_TILES.map((t) => [t.code, { row: t.row, col: t.col }]));

export async function geo(
  db: DB,
  a: { datasetId: string; measure: 'customers' | 'revenue' | 'response'; by: 'province' | 'city'; province?: string; orders?: string; sends?: string; receipts?: string; windowDays: number; segmentationId?: string; minCount: number },
): Promise<GeoResult> {
  const info = getDataset(db, a.datasetId);
  const prov = a.province ? normalizeProvince(a.province) : null;
  if (a.province && !prov) throw new AppError('unknown_province', `"${a.province}" is not a province of China.`, `“${a.province}”不是中国的省级行政区。`);
  const p = await place(db, info);
  const inScope = (e: Entity) => !prov || e.province?.code === prov.code;

  // Observations: (entity or a directly placed send, weight, responded).
  // n: the rows an observation stands for (the unknown count stays a count of rows)
  type Obs = { province: ProvinceInfo | null; city: CityInfo | null; raw: string; w: number; hit: number; n: number };
  const obs: Obs[] = [];
  const ofEntity = (e: Entity, w: number, hit = 0, n = 1): Obs => ({ province: e.province, city: e.city, raw: e.raw, w, hit, n });
  if (a.measure === 'customers') for (const e of p.entities) obs.push(ofEntity(e, 1));
  else if (a.measure === 'revenue') {
    if (p.hasAmount) for (const e of p.entities) obs.push(ofEntity(e, e.amount, 0, e.lines));
    else {
      if (!a.orders) throw new AppError('need_orders', `Dataset "${info.name}" has no amount column: choose an orders dataset for revenue.`, `数据集“${info.name}”没有金额列：请选择订单数据集来计算销售额。`);
      const oi = getDataset(db, a.orders);
      const amt = roleColumn(oi, 'amount');
      if (!customerKey(info) || !customerKey(oi) || !amt) throw new AppError('cannot_join', `Orders "${oi.name}" need an amount and a customer id, phone or e-mail, and so does "${info.name}".`, `订单“${oi.name}”需要金额列和客户ID、手机号或邮箱列，“${info.name}”也需要客户ID、手机号或邮箱列。`);
      // every valid order line of a linked customer counts for that customer's place (summed per customer in SQL, where the orders are)
      const perCustomer = () => {
        const o = eventSql(db, oi);
        const ok = customerKeyed(db, oi);
        return `SELECT ${ok.key}, sum(t.${qid(amt)}), count(*) FROM ${ok.from} WHERE ${numericSql(oi, `t.${qid(amt)}`)} AND ${o.status} = 'valid' GROUP BY 1`;
      };
      await eachRowWhereTheDataIs(db, oi.id, perCustomer, (r) => {
        const [k, v, n] = r as [string | null, number, number];
        const e = k ? p.byCustomer.get(k) : undefined;
        obs.push(e ? ofEntity(e, v, 0, n) : { province: null, city: null, raw: k ? `(${k})` : '', w: v, hit: 0, n });
      });
    }
  } else {
    if (!a.sends) throw new AppError('need_sends', 'Response rates need an SMS sends dataset.', '响应率需要短信发送数据集。');
    const orders = a.orders ?? (roleColumn(info, 'amount') && roleColumn(info, 'phone') ? info.id : undefined);
    if (!orders) throw new AppError('need_orders', 'Response rates need an orders dataset (phone, time, amount) to see which sends were followed by an order.', '响应率需要订单数据集（手机号、时间、金额），用来判断发送后是否下单。');
    if (p.source === 'column' && !roleColumn(info, 'phone')) throw new AppError('missing_role', `Dataset "${info.name}" needs a phone column to match SMS sends.`, `数据集“${info.name}”需要手机号列来匹配短信发送。`);
    // sends and conversions per phone, counted in SQL, in the order each phone was first sent to
    const perPhone = await withSendOutcomes(db, { sends: a.sends, receipts: a.receipts, orders, windowDays: a.windowDays }, (o) => o.all('SELECT phone, count(*), sum(converted) FROM sms_sends GROUP BY phone ORDER BY min(row)'), { phones: true });
    for (const [ph, sent, converted] of perPhone as [string | null, number, number][]) {
      if (p.source === 'phone') {
        // the send's own phone says where it went (its customer key may be a member id)
        const g = phoneGeo(ph ?? '');
        obs.push({ province: g.province, city: g.city, raw: g.location ?? ph ?? '', w: sent, hit: converted, n: sent });
      } else {
        const e = p.byPhone.get(ph ?? '');
        obs.push(e ? ofEntity(e, sent, converted, sent) : { province: null, city: null, raw: '(—)', w: sent, hit: converted, n: sent });
      }
    }
  }

  const scoped = prov ? obs.filter((o) => o.province?.code === prov.code) : obs;
  const rate = a.measure === 'response';
  let rows: GeoRow[];
  let unknown = 0;
  let unknownValues: { value: string; count: number }[] = [];
  if (a.by === 'province') {
    const w = provinceTotals(scoped.map((o) => o.province), scoped.map((o) => o.w));
    const hits = rate ? provinceTotals(scoped.map((o) => o.province), scoped.map((o) => o.hit)) : null;
    const customers = provinceTotals(p.entities.filter(inScope).map((e) => e.province));
    const cust = new Map(customers.rows.map((r) => [r.code, r.count]));
    const hitBy = new Map(hits?.rows.map((r) => [r.code, r.value]) ?? []);
    rows = w.rows.map((r) => {
      const responded = hitBy.get(r.code) ?? 0;
      return {
        code: r.code,
        name: r.name,
        mapName: r.mapName,
        english: r.english,
        tile: TILE.get(r.code) ?? null,
        customers: cust.get(r.code) ?? 0,
        value: rate ? (r.value ? responded / r.value : 0) : r.value,
        share: rate ? (w.rows.reduce((s, x) => s + x.value, 0) ? r.value / w.rows.reduce((s, x) => s + x.value, 0) : 0) : r.share,
        ...(rate ? { sent: r.value, responded, ci: r.value ? wilson(responded, r.value) : ([0, 0] as [number, number]) } : {}),
        sparse: rate ? r.value < a.minCount : false,
        rank: null,
      };
    });
    // Unknown: the observations that named no province (their raw values).
    const unk = new Map<string, number>();
    for (const o of scoped) if (!o.province) unk.set(o.raw, (unk.get(o.raw) ?? 0) + o.n);
    unknown = [...unk.values()].reduce((s, x) => s + x, 0);
    unknownValues = [...unk].sort((x, y) => y[1] - x[1]).slice(0, 20).map(([value, count]) => ({ value, count }));
  } else {
    const m = new Map<string, GeoRow & { _w: number }>();
    const unk = new Map<string, number>();
    let total = 0;
    for (const o of scoped) {
      if (!o.city) {
        const k = o.raw || '';
        unk.set(k, (unk.get(k) ?? 0) + o.n);
        continue;
      }
      let r = m.get(o.city.code);
      if (!r) m.set(o.city.code, (r = { code: o.city.code, name: o.city.name, mapName: o.city.short, english: o.city.name, tile: null, customers: 0, value: 0, share: 0, sparse: false, rank: null, _w: 0, ...(rate ? { sent: 0, responded: 0 } : {}) }));
      r._w += o.w;
      total += o.w;
      if (rate) {
        r.sent! += 1;
        r.responded! += o.hit;
      }
    }
    for (const e of p.entities.filter(inScope)) if (e.city) {
      const r = m.get(e.city.code);
      if (r) r.customers++;
    }
    rows = [...m.values()].map(({ _w, ...r }) => ({ ...r, value: rate ? r.responded! / r.sent! : _w, share: total ? _w / total : 0, ...(rate ? { ci: wilson(r.responded!, r.sent!) } : {}), sparse: rate ? r.sent! < a.minCount : false }));
    unknown = [...unk.values()].reduce((s, x) => s + x, 0);
    unknownValues = [...unk].sort((x, y) => y[1] - x[1]).slice(0, 20).map(([value, count]) => ({ value, count }));
  }
  // Rates rank by the lower end of their 95 % interval, so a small province cannot top the list by luck.
  const score = (r: GeoRow) => (rate ? r.ci![0] : r.value);
  const ranked = rows.filter((r) => !r.sparse && r.value !== 0).sort((x, y) => score(y) - score(x) || y.customers - x.customers);
  ranked.forEach((r, i) => (r.rank = i + 1));
  rows.sort((x, y) => (x.rank ?? Infinity) - (y.rank ?? Infinity) || y.customers - x.customers || x.code.localeCompare(y.code));

  // Segment mix per place.
  let segments: GeoResult['segments'] = null;
  if (a.segmentationId) {
    const seg = getSegmentation(db, a.segmentationId);
    segments = seg.segments.map((s) => ({ key: s.key, name: s.name, nameEn: s.nameEn, color: s.color }));
    const mem = await segmentMembers(db, a.segmentationId);
    const byCode = new Map(rows.map((r) => [r.code, r]));
    for (const e of p.entities.filter(inScope)) {
      const k = (e.key && mem.get(e.key)) || (e.id && mem.get(e.id)) || (e.phone && mem.get(e.phone));
      const code = a.by === 'province' ? e.province?.code : e.city?.code;
      const r = k && code ? byCode.get(code) : undefined;
      if (!r || !k) continue;
      r.mix ??= {};
      r.mix[k] = (r.mix[k] ?? 0) + 1;
    }
  }

  // A first page of the customers of the chosen province (drill-down list).
  let customers: GeoResult['customers'] = null;
  if (prov) {
    const list = p.entities.filter(inScope);
    customers = {
      columns: ['id', 'name', 'phone', 'province', 'city'],
      rows: list.slice(0, 200).map((e) => [e.id, e.name, e.phone, e.province?.name ?? null, e.city?.name ?? e.rawCity ?? null]),
      total: list.length,
    };
  }
  return {
    measure: a.measure,
    by: a.by,
    province: prov ? { code: prov.code, name: prov.name, mapName: prov.short } : null,
    source: p.source,
    regionColumn: p.regionColumn,
    rows,
    unknown,
    unknownValues,
    total: rows.reduce((s, r) => s + (rate ? (r.sent ?? 0) : r.value), 0),
    segments,
    customers,
  };
}
