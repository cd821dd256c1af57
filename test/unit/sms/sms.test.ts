import { describe, expect, it } from 'vitest';
import { countSmsSegments } from '../../../main/analysis/sms/segments';
import { detectUnsubscribe } from '../../../main/analysis/sms/unsubscribe';
import { power, sampleSize, verdict, versusControl } from '../../../main/analysis/sms/abtest';
import { holm, newcombe, twoProportionZTest, wilson } from '../../../main/kernel/intervals';

describe('SMS segment counts', () => {
  it('GSM-7: 160 in one, then parts of 153; extension characters count 2', () => {
    expect(countSmsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(countSmsSegments('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153 });
    expect(countSmsSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSmsSegments('a'.repeat(307)).segments).toBe(3);
    expect(countSmsSegments('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(countSmsSegments('€'.repeat(81)).segments).toBe(2);
    // An escape is never split: 152 plain + '€' does not fit the first part's last septet.
    expect(countSmsSegments('a'.repeat(152) + '€' + 'a'.repeat(152)).segments).toBe(3);
  });

  it('UCS-2: 70 in one, then parts of 67; 【品牌】 and emoji force UCS-2; emoji take 2 units', () => {
    expect(countSmsSegments('好'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(countSmsSegments('好'.repeat(71)).segments).toBe(2);
    expect(countSmsSegments('好'.repeat(134)).segments).toBe(2);
    expect(countSmsSegments('好'.repeat(135)).segments).toBe(3);
    expect(countSmsSegments('【优品汇】Hello').encoding).toBe('UCS-2');
    expect(countSmsSegments('Hi 😀')).toMatchObject({ encoding: 'UCS-2', units: 5 });
    // 134 units would fit two parts of 67, but the emoji cannot straddle the boundary.
    expect(countSmsSegments('好'.repeat(66) + '😀' + '好'.repeat(66))).toMatchObject({ units: 134, segments: 3 });
  });
});

describe('unsubscribe detection', () => {
  it('matches the usual replies in any width and case', () => {
    for (const r of ['T', 'TD', 'td', 'Td', 'ＴＤ', '退订', '退', 'N', 'STOP', 'sToP', 'unsubscribe', '取消', ' TD。', '请帮我退订', '退订！！']) expect(detectUnsubscribe(r).matched, r).toBe(true);
  });
  it('does not match lookalikes', () => {
    for (const r of ['TDK', 'Thanks', '退款', 'Nice', 'tt', '好的', '']) expect(detectUnsubscribe(r).matched, r).toBe(false);
  });
  it('uses editable rules', () => {
    expect(detectUnsubscribe('别再发了', [{ kind: 'contains', pattern: '别再发' }])).toEqual({ matched: true, rule: 'contains:别再发' });
    expect(detectUnsubscribe('R', [{ kind: 'regex', pattern: '^r$' }]).matched).toBe(true);
  });
});

describe('A/B statistics', () => {
  it('two-proportion z-test: 5/83 vs 12/99 → z −1.408, p 0.159', () => {
    const r = twoProportionZTest(5, 83, 12, 99);
    expect(r.z).toBeCloseTo(-1.408, 3);
    expect(r.p).toBeCloseTo(0.159, 3);
  });
  it('Wilson and Newcombe intervals (Newcombe 1998: 56/70 vs 48/80 → 0.0524 to 0.3339)', () => {
    const [lo, hi] = newcombe(56, 70, 48, 80);
    expect(lo).toBeCloseTo(0.0524, 4);
    expect(hi).toBeCloseTo(0.3339, 4);
    const [wl, wu] = wilson(81, 263);
    expect(wl).toBeCloseTo(0.2553, 3);
    expect(wu).toBeCloseTo(0.3662, 3);
  });
  it('Holm adjustment and several variants against a control', () => {
    expect(holm([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
    const r = versusControl([{ name: 'A', x: 50, n: 1000 }, { name: 'B', x: 80, n: 1000 }, { name: 'C', x: 55, n: 1000 }]);
    expect(r.map((t) => t.name)).toEqual(['B', 'C']);
    expect(r[0]!.pHolm).toBeLessThan(0.05);
    expect(r[1]!.pHolm).toBeGreaterThan(0.5);
  });
  it('sample size and power', () => {
    expect(sampleSize(0.1, 0.12)).toBe(3841);
    expect(power(3841, 0.1, 0.12)).toBeCloseTo(0.8, 2);
  });
  it('plain-language verdicts in zh and en', () => {
    const r = twoProportionZTest(80, 1000, 50, 1000);
    expect(verdict(r, ['B', 'A'], 'zh')).toMatch(/^B 的转化率高 3\.0 个百分点.*显著/);
    expect(verdict(twoProportionZTest(5, 83, 12, 99), ['A', 'B'], 'en')).toMatch(/not significant/);
  });
});
