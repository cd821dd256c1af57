/**
 * The 34 province-level divisions of China (GB/T 2260 two-digit codes; 23 provinces including
 * Taiwan, 5 autonomous regions, 4 municipalities, 2 SARs) and a tolerant name normaliser.
 *
 * `normalizeProvince` accepts, case- and space-insensitively: the full name (广东省), the short name
 * (广东), traditional characters (廣東, via opencc-js for anything not in the table), pinyin or
 * English (Guangdong, Inner Mongolia, Nei Mongol, Tibet, Xizang, Hong Kong, Macau/Macao), the
 * ISO 3166-2:CN letter code (GD, CN-GD), the GB/T 2260 code (44 or 440000) and the one-character
 * abbreviation (粤). Suffixes such as 省/市/自治区/特别行政区, "province", "municipality",
 * "autonomous region", "SAR", "sheng"/"shi" and a leading 中国 / trailing ", China" are stripped.
 * Only a whole-string match counts (no guessing from a substring): use `splitProvince` for text
 * that starts with a province (addresses, phone geocodes such as 广西南宁市).
 * Shanxi (山西, 14) and Shaanxi (陕西, 61) follow the official romanisation: "Shanxi" is 14.
 */
import * as OpenCC from 'opencc-js';

export interface ProvinceInfo {
  /** GB/T 2260 two-digit code, e.g. '44'. */
  code: string;
  /** Full official name, e.g. 广东省. */
  name: string;
  /** Short name, e.g. 广东. */
  short: string;
  english: string;
  /** ISO 3166-2:CN subdivision letters (without 'CN-'). */
  iso: string;
  /** One-character abbreviation (简称). */
  abbr: string;
  kind: 'province' | 'municipality' | 'autonomous_region' | 'sar';
}

type Row = [code: string, name: string, short: string, english: string, iso: string, abbr: string, kind: ProvinceInfo['kind'], aliases: string[]];

const ROWS: Row[] = [
  ['11', '北京市', '北京', 'Beijing', 'BJ', '京', 'municipality', ['peking']],
  ['12', '天津市', '天津', 'Tianjin', 'TJ', '津', 'municipality', ['tientsin']],
  ['13', '河北省', '河北', 'Hebei', 'HE', '冀', 'province', ['hopeh', 'hopei']],
  ['14', '山西省', '山西', 'Shanxi', 'SX', '晋', 'province', ['晉']],
  ['15', '内蒙古自治区', '内蒙古', 'Inner Mongolia', 'NM', '蒙', 'autonomous_region', ['nei mongol', 'neimenggu', 'nei menggu', 'neimongol', 'inner mongolia autonomous region', '內蒙古', '内蒙']],
  ['21', '辽宁省', '辽宁', 'Liaoning', 'LN', '辽', 'province', []],
  ['22', '吉林省', '吉林', 'Jilin', 'JL', '吉', 'province', ['kirin']],
  ['23', '黑龙江省', '黑龙江', 'Heilongjiang', 'HL', '黑', 'province', ['heilungkiang']],
  ['31', '上海市', '上海', 'Shanghai', 'SH', '沪', 'municipality', ['滬']],
  ['32', '江苏省', '江苏', 'Jiangsu', 'JS', '苏', 'province', ['kiangsu']],
  ['33', '浙江省', '浙江', 'Zhejiang', 'ZJ', '浙', 'province', ['chekiang']],
  ['34', '安徽省', '安徽', 'Anhui', 'AH', '皖', 'province', ['anhwei']],
  ['35', '福建省', '福建', 'Fujian', 'FJ', '闽', 'province', ['fukien', '閩']],
  ['36', '江西省', '江西', 'Jiangxi', 'JX', '赣', 'province', ['kiangsi', '贛']],
  ['37', '山东省', '山东', 'Shandong', 'SD', '鲁', 'province', ['shantung', '魯']],
  ['41', '河南省', '河南', 'Henan', 'HA', '豫', 'province', ['honan']],
  ['42', '湖北省', '湖北', 'Hubei', 'HB', '鄂', 'province', ['hupeh', 'hupei']],
  ['43', '湖南省', '湖南', 'Hunan', 'HN', '湘', 'province', []],
  ['44', '广东省', '广东', 'Guangdong', 'GD', '粤', 'province', ['kwangtung', '粵']],
  ['45', '广西壮族自治区', '广西', 'Guangxi', 'GX', '桂', 'autonomous_region', ['guangxi zhuang autonomous region', 'kwangsi', '广西自治区', '广西壮族']],
  ['46', '海南省', '海南', 'Hainan', 'HI', '琼', 'province', ['瓊']],
  ['50', '重庆市', '重庆', 'Chongqing', 'CQ', '渝', 'municipality', ['chungking']],
  ['51', '四川省', '四川', 'Sichuan', 'SC', '川', 'province', ['szechuan', 'szechwan', '蜀']],
  ['52', '贵州省', '贵州', 'Guizhou', 'GZ', '黔', 'province', ['kweichow', '贵']],
  ['53', '云南省', '云南', 'Yunnan', 'YN', '滇', 'province', ['云']],
  ['54', '西藏自治区', '西藏', 'Tibet', 'XZ', '藏', 'autonomous_region', ['xizang', 'tibet autonomous region', 'xizang autonomous region']],
  ['61', '陕西省', '陕西', 'Shaanxi', 'SN', '陕', 'province', ['shensi', '秦', '陝']],
  ['62', '甘肃省', '甘肃', 'Gansu', 'GS', '甘', 'province', ['kansu', '陇', '隴']],
  ['63', '青海省', '青海', 'Qinghai', 'QH', '青', 'province', ['tsinghai']],
  ['64', '宁夏回族自治区', '宁夏', 'Ningxia', 'NX', '宁', 'autonomous_region', ['ningxia hui autonomous region', 'ningsia', '宁夏自治区', '寧']],
  ['65', '新疆维吾尔自治区', '新疆', 'Xinjiang', 'XJ', '新', 'autonomous_region', ['xinjiang uygur autonomous region', 'xinjiang uyghur autonomous region', 'sinkiang', '新疆自治区', '新疆维吾尔']],
  ['71', '台湾省', '台湾', 'Taiwan', 'TW', '台', 'province', ['臺灣', '台灣', '臺', 'taiwan province']],
  ['81', '香港特别行政区', '香港', 'Hong Kong', 'HK', '港', 'sar', ['hongkong', 'hong kong sar', 'xianggang', 'hksar', '香港特區', '香港特别行政區']],
  ['82', '澳门特别行政区', '澳门', 'Macao', 'MO', '澳', 'sar', ['macau', 'macao sar', 'macau sar', 'aomen', '澳門', '澳門特別行政區']],
];

export const PROVINCES: readonly ProvinceInfo[] = ROWS.map(([code, name, short, english, iso, abbr, kind]) => ({ code, name, short, english, iso, abbr, kind }));

const BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));

export function provinceByCode(code: string): ProvinceInfo | null {
  return BY_CODE.get(code.slice(0, 2)) ?? null;
}

let t2s: ((s: string) => string) | null = null;
const HAN = /\p{Script=Han}/u;

/** Traditional → simplified (opencc-js, Taiwan + Hong Kong + generic variants); others unchanged. */
export function toSimplifiedZh(s: string): string {
  if (!HAN.test(s)) return s;
  if (!t2s) {
    const a = OpenCC.Converter({ from: 'tw', to: 'cn' });
    const b = OpenCC.Converter({ from: 'hk', to: 'cn' });
    const c = OpenCC.Converter({ from: 't', to: 'cn' });
    t2s = (x) => c(b(a(x)));
  }
  return t2s(s);
}

/** Lower case, NFKC (full-width → ASCII), no spaces, dots, hyphens, apostrophes or underscores. */
export function geoKey(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s.\-'’_·•]/g, '');
}

const ZH_SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '特別行政區', '自治区', '自治區', '省', '市'];
const EN_SUFFIXES = ['specialadministrativeregion', 'autonomousregion', 'municipality', 'province', 'sheng', 'zizhiqu', 'region', 'city', 'sar', 'shi'];

function stripKey(k: string): string {
  k = k.replace(/^(中国|中國|china|cn|prc)[,，]?/, '').replace(/[,，](china|中国|中國|prc|cn)$/, '').replace(/[,，]/g, '');
  return k;
}

const ALIASES = new Map<string, ProvinceInfo>();
function addAlias(a: string, p: ProvinceInfo) {
  const k = geoKey(a);
  if (k && !ALIASES.has(k)) ALIASES.set(k, p);
}
ROWS.forEach((r, i) => {
  const p = PROVINCES[i]!;
  for (const a of [p.name, p.short, p.english, p.iso, `cn${p.iso}`, p.abbr, p.code, `${p.code}0000`, ...r[7]]) addAlias(a, p);
});
// Pinyin of the short names is the English name except for these.
addAlias('neimenggu', PROVINCES[4]!);
addAlias('shaanxi', BY_CODE.get('61')!);
addAlias('xianggang', BY_CODE.get('81')!);

function lookup(k: string): ProvinceInfo | null {
  const hit = ALIASES.get(k);
  if (hit) return hit;
  for (const suf of [...ZH_SUFFIXES, ...EN_SUFFIXES]) {
    if (k.length > suf.length && k.endsWith(suf)) {
      const h = ALIASES.get(k.slice(0, -suf.length));
      if (h) return h;
    }
  }
  return null;
}

/** Canonical province for a name in any common spelling, or null. */
export function normalizeProvince(name: string | null | undefined): ProvinceInfo | null {
  if (name == null) return null;
  const raw = String(name).trim();
  if (!raw) return null;
  const k = stripKey(geoKey(raw));
  const hit = lookup(k);
  if (hit) return hit;
  if (HAN.test(raw)) {
    const s = stripKey(geoKey(toSimplifiedZh(raw)));
    if (s !== k) return lookup(s);
  }
  return null;
}

// Prefixes usable at the start of Chinese text: full names, short names (2+ characters).
const ZH_PREFIXES: [string, ProvinceInfo][] = [];
for (const p of PROVINCES) {
  for (const a of [p.name, p.short]) ZH_PREFIXES.push([a, p]);
}
ZH_PREFIXES.push(['内蒙', PROVINCES[4]!]);
ZH_PREFIXES.sort((a, b) => b[0].length - a[0].length);

/**
 * The province at the start of a Chinese text and the rest (广西南宁市 → 广西, 南宁市;
 * 广东省深圳市 → 广东, 深圳市). Longest full or short name first; traditional text is converted.
 */
export function splitProvince(text: string): { province: ProvinceInfo; rest: string } | null {
  let s = text.trim().replace(/^(中国|中國)/, '');
  if (!s) return null;
  for (let pass = 0; pass < 2; pass++) {
    for (const [a, p] of ZH_PREFIXES) if (s.startsWith(a)) return { province: p, rest: s.slice(a.length) };
    const simp = toSimplifiedZh(s);
    if (simp === s) break;
    s = simp;
  }
  return null;
}
