/** Comparators: published reference values, missing values, and the fast paths against plain versions. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  jaroWinkler,
  jaro,
  levenshtein,
  levenshteinSim,
  lcsLength,
  indelRatio,
  tokenSetRatio,
  qgramJaccard,
  pinyinEqual,
  tradSimpEqual,
  nameSim,
  numericSim,
  dateSim,
  dateDistanceDays,
  parseYmd,
  exact,
  tfidfCosine,
  comparatorFor,
} from '../../../main/analysis/dedupe/compare';

function lcsDp(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = a[i - 1] === b[j - 1] ? d[i - 1]![j - 1]! + 1 : Math.max(d[i - 1]![j]!, d[i]![j - 1]!);
  return d[a.length]![b.length]!;
}

describe('string comparators', () => {
  it('Jaro-Winkler reference values (Winkler 1990 / Wikipedia)', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')!).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')!).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')!).toBeCloseTo(0.84, 3);
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.944, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  it('Levenshtein: kitten/sitting = 3, with an early exit that never under-reports', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshteinSim('kitten', 'sitting')!).toBeCloseTo(1 - 3 / 7, 10);
    expect(levenshtein('kitten', 'sitting', 1)).toBe(2); // stopped: more than 1
    expect(levenshteinSim('kitten', 'sitting', { maxDist: 2 })).toBe(0);
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.nat(6), (a, b, k) => {
        const full = levenshtein(a, b);
        const capped = levenshtein(a, b, k);
        return full <= k ? capped === full : capped === k + 1;
      }),
    );
  });

  it('bit-parallel LCS equals the dynamic programme (strings longer than one 32-bit word)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'é', '张'), maxLength: 80 }), fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'é', '张'), maxLength: 80 }), (a, b) => lcsLength(a, b) === lcsDp(a, b)),
      { numRuns: 300 },
    );
    expect(indelRatio('abc', 'abc')).toBe(1);
  });

  it('token-set ratio ignores word order and scores a word subset 1', () => {
    expect(tokenSetRatio('steak house the', 'the steak house')).toBe(1);
    expect(tokenSetRatio("art's deli", "art's deli restaurant")).toBe(1);
    const r = tokenSetRatio("art's deli", "art's delicatessen")!;
    expect(r).toBeGreaterThan(0.6);
    expect(r).toBeLessThan(1);
    expect(tokenSetRatio('palace court', 'cafe roma')!).toBeLessThan(0.5);
  });

  it('q-gram Jaccard', () => {
    expect(qgramJaccard('abc', 'abc')).toBe(1);
    // padded bigrams: #a ab bc c# vs #a ab bd d#: 2 shared of 6
    expect(qgramJaccard('abc', 'abd')!).toBeCloseTo(2 / 6, 10);
    expect(qgramJaccard('abc', 'xyz')).toBe(0);
  });

  it('missing values give null, not 0', () => {
    for (const name of ['exact', 'jaroWinkler', 'levenshtein', 'tokenSet', 'qgram', 'pinyin', 'tradSimp', 'name', 'numeric', 'date'] as const) {
      const c = comparatorFor(name);
      expect(c(null, 'x')).toBeNull();
      expect(c('12', undefined)).toBeNull();
      expect(c('  ', '12')).toBeNull();
    }
  });
});

describe('Chinese names', () => {
  it('homophones share pinyin; traditional and simplified forms are equal', () => {
    expect(pinyinEqual('张伟', '章伟')).toBe(1);
    expect(pinyinEqual('张伟', '张玮')).toBe(1); // wei = wei
    expect(pinyinEqual('张伟', '李伟')).toBe(0);
    expect(tradSimpEqual('張偉', '张伟')).toBe(1);
    expect(tradSimpEqual('臺灣', '台湾')).toBe(1);
    expect(tradSimpEqual('张伟', '章伟')).toBe(0);
  });

  it('nameSim ranks same name > homophone > different name', () => {
    const same = nameSim('張偉', '张伟')!;
    const homophone = nameSim('张伟', '章伟')!;
    const other = nameSim('张伟', '王芳')!;
    expect(same).toBe(1);
    expect(homophone).toBe(0.9);
    expect(other).toBeLessThan(0.85);
    expect(nameSim('Martha', 'Marhta')!).toBeCloseTo(0.961, 3);
  });
});

describe('numbers and dates', () => {
  it('numeric similarity decays linearly with the scale', () => {
    expect(numericSim('100', '100', { scale: 50 })).toBe(1);
    expect(numericSim('100', '125', { scale: 50 })).toBe(0.5);
    expect(numericSim('1,000', '¥1000', { scale: 10 })).toBe(1);
    expect(numericSim('100', '300', { scale: 50 })).toBe(0);
    expect(numericSim('n/a', '3')).toBeNull();
  });

  it('dates: formats, distance in days, day/month swaps', () => {
    expect(parseYmd('19081209')).toEqual({ y: 1908, m: 12, d: 9 });
    expect(parseYmd('2020年3月5日')).toEqual({ y: 2020, m: 3, d: 5 });
    expect(parseYmd('05/03/2020')).toEqual({ y: 2020, m: 3, d: 5 });
    expect(parseYmd('05/03/2020', 'mdy')).toEqual({ y: 2020, m: 5, d: 3 });
    expect(parseYmd('2021-02-29')).toBeNull();
    expect(dateDistanceDays('2020-01-01', '2020-03-01')).toBe(60);
    expect(dateSim('2020-03-05', '2020-03-05')).toBe(1);
    expect(dateSim('2020-03-05', '2020-03-15', { scaleDays: 100 })!).toBeCloseTo(0.9, 10);
    expect(dateSim('2020-03-05', '2020-05-03', { scaleDays: 30 })).toBe(0.9); // swapped day and month
    expect(dateSim('2020-03-03', '2020-03-03')).toBe(1);
    expect(dateSim('19990231', '19990231')).toBe(1); // not a date: exact text
    expect(dateSim('19990231', '19990232')).toBe(0);
  });

  it('exact', () => {
    expect(exact('a', 'a')).toBe(1);
    expect(exact('a', 'b')).toBe(0);
  });
});

describe('TF-IDF cosine', () => {
  it('rare shared words weigh more than common ones', () => {
    const corpus = ['machine learning theory', 'machine learning practice', 'machine learning cmu-cs-90-100', 'cascade correlation cmu-cs-90-100', 'machine vision'];
    const cos = tfidfCosine(corpus);
    expect(cos('machine learning theory', 'machine learning theory')).toBeCloseTo(1, 10);
    const common = cos('machine learning theory', 'machine learning practice')!;
    const rare = cos('cascade correlation cmu-cs-90-100', 'cascade correlation')!;
    expect(rare).toBeGreaterThan(common);
    expect(cos('abc', null)).toBeNull();
  });
});
