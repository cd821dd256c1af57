/** Blocking: union of passes, no true pair lost on a small case, reduction ratio, giant-block cap. */
import { describe, expect, it } from 'vitest';
import { candidatePairs, pairsCompleteness } from '../../../main/analysis/dedupe/blocking';
import { soundex, normalizeText } from '../../../main/analysis/dedupe/keys';

const people = [
  { surname: 'smith', postcode: '2000', dob: '19800101' }, // 0
  { surname: 'smyth', postcode: '2000', dob: '19800101' }, // 1 dup of 0 (typo in surname)
  { surname: 'jones', postcode: '3000', dob: '19751212' }, // 2
  { surname: 'jones', postcode: '3001', dob: '19751212' }, // 3 dup of 2 (typo in postcode)
  { surname: 'brown', postcode: '4000', dob: '19600505' }, // 4
  { surname: 'browne', postcode: '4000', dob: '' }, // 5 dup of 4 (no dob)
  { surname: 'taylor', postcode: '5000', dob: '19900909' }, // 6
  { surname: 'wilson', postcode: '6000', dob: '19851111' }, // 7
];
const truth: [number, number][] = [
  [0, 1],
  [2, 3],
  [4, 5],
];

describe('blocking', () => {
  it('union of standard passes keeps every true pair and reports the reduction', () => {
    const c = candidatePairs(
      [
        { kind: 'standard', name: 'postcode', keysA: people.map((p) => p.postcode) },
        { kind: 'standard', name: 'surname', keysA: people.map((p) => soundex(p.surname)) },
        { kind: 'standard', name: 'dob', keysA: people.map((p) => p.dob) },
      ],
      people.length,
    );
    expect(pairsCompleteness(c, truth)).toBe(1);
    expect(c.possible).toBe(28);
    expect(c.pairs).toBe(3);
    expect(c.reductionRatio).toBeCloseTo(1 - 3 / 28, 10);
    // pairs are i < j, sorted, unique
    for (let p = 0; p < c.pairs; p++) expect(c.a[p]!).toBeLessThan(c.b[p]!);
    // postcode finds smith/smyth and brown/browne; soundex adds jones/jones; dob adds nothing new
    expect(c.passes.map((p) => p.newPairs)).toEqual([2, 1, 0]);
    // one pass alone loses a pair
    const only = candidatePairs([{ kind: 'standard', keysA: people.map((p) => p.postcode) }], people.length);
    expect(pairsCompleteness(only, truth)).toBeCloseTo(2 / 3, 10);
  });

  it('sorted neighbourhood pairs each record with the next window − 1 by key', () => {
    const keys = ['b', 'a', 'c', 'a2', 'd'];
    const c = candidatePairs([{ kind: 'sorted', keysA: keys, window: 2 }], keys.length);
    // order a(1) a2(3) b(0) c(2) d(4) → neighbours (1,3) (0,3) (0,2) (2,4)
    expect(Array.from(c.a, (a, p) => [a, c.b[p]])).toEqual([
      [0, 2],
      [0, 3],
      [1, 3],
      [2, 4],
    ]);
  });

  it('token blocking skips blocks over the cap and counts them', () => {
    const toks = Array.from({ length: 30 }, (_, i) => ['the', `w${Math.floor(i / 2)}`]);
    const c = candidatePairs([{ kind: 'tokens', tokensA: toks, maxBlockSize: 10 }], toks.length);
    expect(c.passes[0]!.skippedBlocks).toBe(1); // "the": 30 records
    expect(c.passes[0]!.skippedRecords).toBe(30);
    expect(c.pairs).toBe(15); // one pair per w_k
  });

  it('links two tables: only cross pairs, reduction against nA·nB', () => {
    const a = ['smith', 'jones', 'brown'];
    const b = ['smyth', 'jonas', 'white', 'browne'];
    const c = candidatePairs([{ kind: 'standard', keysA: a.map(soundex), keysB: b.map(soundex) }], a.length, b.length);
    expect(c.mode).toBe('link');
    expect(c.possible).toBe(12);
    expect(Array.from(c.a, (x, p) => [x, c.b[p]])).toEqual([
      [0, 0],
      [1, 1],
      [2, 3],
    ]);
    const sn = candidatePairs([{ kind: 'sorted', keysA: a.map(normalizeText), keysB: b.map(normalizeText), window: 2 }], a.length, b.length);
    for (let p = 0; p < sn.pairs; p++) {
      expect(sn.a[p]!).toBeLessThan(a.length);
      expect(sn.b[p]!).toBeLessThan(b.length);
    }
    expect(() => candidatePairs([{ kind: 'standard', keysA: a }], a.length, b.length)).toThrow(/keysB/);
  });
});
