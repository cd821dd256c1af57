/** Keyed pseudonyms: stable, normalised, key-separated, collision-free at scale, and the format pinned. */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { datasetPath } from '../../helpers/datasets';
import { createRng, randInt } from '../../../main/kernel/random';
import { base32, createPseudonymizer, createSecret, decodeSecret, encodeSecret, normaliseForPseudonym, pseudonymize } from '../../../main/privacy/pseudonym';

const fixed = Buffer.alloc(32, 7);

/** Base32 the slow way (bit string), to check the module's packing independently. */
function base32Slow(bytes: Uint8Array): string {
  const bits = [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
  const padded = bits + '0'.repeat((5 - (bits.length % 5)) % 5);
  return (padded.match(/.{5}/g) ?? []).map((g) => 'abcdefghijklmnopqrstuvwxyz234567'[parseInt(g, 2)]).join('');
}

describe('pseudonyms', () => {
  it('base32 follows RFC 4648 (lower case, no padding)', () => {
    expect(base32(Buffer.from('foobar'))).toBe('mzxw6ytboi');
    expect(base32(Buffer.from('f'))).toBe('my');
    expect(base32(new Uint8Array())).toBe('');
    const rng = createRng(3);
    for (let i = 0; i < 50; i++) {
      const b = Uint8Array.from({ length: randInt(rng, 40) }, () => randInt(rng, 256));
      expect(base32(b)).toBe(base32Slow(b));
    }
  });

  it('the token format is pinned: HMAC(HMAC(secret, context ‖ 0 ‖ namespace), normalised value)', () => {
    const sub = createHmac('sha256', fixed).update('segmint/pseudonym/v1\u0000crm').digest();
    const mac = createHmac('sha256', sub).update('+8613812341234').digest();
    expect(pseudonymize('138 1234 1234', fixed, { namespace: 'crm' })).toBe('p_' + base32Slow(mac).slice(0, 16));
  });

  it('stable and normalised: spellings of one phone, email or ID share a token', () => {
    const s = createSecret();
    expect(s.length).toBe(32);
    const p = createPseudonymizer(s);
    const phones = ['13812341234', '138 1234 1234', '+8613812341234', '+86 138-1234-1234', '0086 13812341234', '１３８１２３４１２３４'];
    expect(new Set(phones.map(p)).size).toBe(1);
    expect(p('13812341234')).toMatch(/^p_[a-z2-7]{16}$/);
    expect(p('13812341235')).not.toBe(p('13812341234'));
    expect(p(' Alice@Example.COM')).toBe(p('alice@example.com'));
    expect(pseudonymize('11010519491231002x', s, { kind: 'id_number' })).toBe(pseudonymize('110105-19491231-002X', s, { kind: 'id_number' }));
    expect(p('张  三')).toBe(p('张 三'));
    expect(p('張三')).not.toBe(p('张三')); // scripts are not merged (documented)
    expect(p(null)).toBeNull();
    expect(p('  ')).toBe('');
    expect(p(13812341234)).toBe(p('13812341234'));
    expect(normaliseForPseudonym('+1 (310) 246-1501', 'phone', 'US')).toBe('+13102461501');
    expect(normaliseForPseudonym('310/246-1501', 'phone', 'US')).toBe('+13102461501');
  });

  it('key separation: another secret or namespace gives an unrelated token; never a plain hash', () => {
    const a = createSecret();
    const b = createSecret();
    const v = '13812341234';
    const t = pseudonymize(v, a)!;
    expect(pseudonymize(v, b)).not.toBe(t);
    expect(pseudonymize(v, a, { namespace: 'shop-2' })).not.toBe(t);
    expect(pseudonymize(v, a, { namespace: '' })).toBe(t);
    const plain = [createHash('sha256').update(v).digest(), createHash('sha256').update('+86' + v).digest()].map((d) => base32(d).slice(0, 16));
    expect(plain).not.toContain(t.slice(2));
    // Tokens of different secrets share no more characters in place than chance (1/32 each).
    const rng = createRng(11);
    let same = 0;
    let total = 0;
    for (let i = 0; i < 500; i++) {
      const phone = '13' + String(randInt(rng, 1e9)).padStart(9, '0');
      const x = pseudonymize(phone, a)!;
      const y = pseudonymize(phone, b)!;
      for (let k = 2; k < x.length; k++, total++) if (x[k] === y[k]) same++;
    }
    expect(same / total).toBeLessThan(0.05);
  });

  it('length, prefix and secrets are validated', () => {
    const s = createSecret();
    expect(pseudonymize('x', s, { length: 8, prefix: 'c_' })).toMatch(/^c_[a-z2-7]{8}$/);
    expect(pseudonymize('x', s, { length: 52 })).toMatch(/^p_[a-z2-7]{52}$/);
    expect(() => pseudonymize('x', s, { length: 7 })).toThrow();
    expect(() => pseudonymize('x', Buffer.alloc(8))).toThrow();
    expect(decodeSecret(encodeSecret(s)).equals(s)).toBe(true);
    expect(() => decodeSecret('c2hvcnQ')).toThrow();
  });

  it('100,000 seeded mobiles: distinct numbers get distinct 80-bit tokens', () => {
    const rng = createRng(2024);
    const p = createPseudonymizer(fixed);
    const numbers = new Set<string>();
    const tokens = new Set<string>();
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) {
      const n = '1' + (3 + randInt(rng, 7)) + String(randInt(rng, 1e9)).padStart(9, '0');
      numbers.add(n);
      tokens.add(p(n)!);
    }
    const ms = performance.now() - t0;
    expect(tokens.size).toBe(numbers.size);
    expect(ms).toBeLessThan(20_000); // measured 0.75 s on the 2-core box
  });

  it('restaurant duplicates: the same phone written 310/246-1501 and 310-246-1501 gets one token', () => {
    const read = (name: string) => Papa.parse<Record<string, string>>(readFileSync(datasetPath(name), 'utf8'), { header: true, skipEmptyLines: true }).data;
    const rows = read('restaurant-fodors-zagat.csv');
    const gold = read('restaurant-fodors-zagat-gold.csv');
    expect(gold.length).toBe(112);
    const p = createPseudonymizer(fixed, { kind: 'phone', defaultCountry: 'US' });
    let raw = 0;
    let tok = 0;
    let sameDigits = 0;
    for (const g of gold) {
      const a = rows[Number(g.id_1) - 1]!.phone!;
      const b = rows[Number(g.id_2) - 1]!.phone!;
      if (a === b) raw++;
      if (a.replace(/\D/g, '') === b.replace(/\D/g, '')) sameDigits++;
      if (p(a) === p(b)) tok++;
    }
    expect(raw).toBe(0); // the two guides always write phones differently
    expect(tok).toBe(sameDigits); // every pair with the same number matches, no other does
    expect(tok).toBeGreaterThanOrEqual(105); // measured 108 of 112
  });
});
