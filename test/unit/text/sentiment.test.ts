/** Sentiment rules (zh + en) and accuracy floors on the hand-labelled evaluation set. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { fixturePath } from '../../helpers/datasets';
import { detectLang, sentiment, sentimentBatch, stripOptOutFooter } from '../../../main/analysis/text/sentiment';
import { evaluate } from '../../../main/analysis/text/classify';

const s = (t: string, lang?: 'zh' | 'en' | 'auto') => sentiment(t, lang);

describe('sentiment rules', () => {
  it('negation: 不满意 is negative, 不错 positive, 不是很好 negative, "not bad" mildly positive', () => {
    expect(s('满意').label).toBe('positive');
    expect(s('不满意').label).toBe('negative');
    expect(s('不满意').matches[0]).toMatchObject({ term: '满意', negated: true });
    expect(s('不错').label).toBe('positive');
    expect(s('很不错').label).toBe('positive');
    expect(s('不是很好').label).toBe('negative');
    expect(s('一点都不好用').label).toBe('negative');
    expect(s('一点都不失望').label).toBe('positive');
    expect(s('not good').label).toBe('negative');
    expect(s("I don't like it").label).toBe('negative');
    const notBad = s('not bad');
    expect(notBad.label).toBe('positive');
    expect(notBad.score).toBeLessThan(s('good').score);
  });

  it('expectation words count only when negated: 没收到货, never received, don\'t text me again', () => {
    expect(s('收到了').label).toBe('neutral');
    expect(s('没收到货').label).toBe('negative');
    expect(s('打了五个电话都没人接').label).toBe('negative');
    expect(s('Received, thanks').label).toBe('positive');
    expect(s('never received my parcel').label).toBe('negative');
    expect(s("don't text me again").label).toBe('negative');
    expect(s('see you again').label).toBe('neutral');
  });

  it('intensifiers raise and softeners lower the magnitude', () => {
    expect(s('很满意').score).toBeGreaterThan(s('满意').score);
    expect(s('非常满意').score).toBeGreaterThan(s('很满意').score);
    expect(s('太差了').score).toBeLessThan(s('差').score);
    expect(s('very good').score).toBeGreaterThan(s('good').score);
    expect(s('a bit slow').score).toBeGreaterThan(s('slow').score);
    expect(s('a bit slow').score).toBeLessThan(0);
  });

  it('contrast: the clause after but/但是 outweighs the one before', () => {
    expect(s('The room was nice but the service was terrible').label).toBe('negative');
    expect(s('It was a bit late, but the quality is great').label).toBe('positive');
    expect(s('虽然贵了点，但是质量真的好').label).toBe('positive');
    expect(s('看着不错，但是用了两天就坏了').label).toBe('negative');
    const m = s('nice but slow').matches;
    expect(m.find((x) => x.term === 'nice')!.modifiers).toContain('before but');
  });

  it('emoji, emoticons and exclamation marks', () => {
    expect(s('😊').label).toBe('positive');
    expect(s('👍👍').label).toBe('positive');
    expect(s('😡').label).toBe('negative');
    expect(s(':)').label).toBe('positive');
    expect(s('ok :(').label).toBe('negative');
    expect(s('收到 😡😡').label).toBe('negative');
    expect(s('great!!!').score).toBeGreaterThan(s('great').score);
    expect(s('退订！！！').score).toBeLessThan(s('退订').score);
  });

  it('acknowledgements, questions and plain facts stay neutral; opt-out replies are negative', () => {
    for (const t of ['好的', '好的，收到', '嗯', 'OK', 'Sure', '请问几点开门？', 'What time do you close?', '我明天过去', '1']) expect(s(t).label, t).toBe('neutral');
    for (const t of ['退订', 'TD', 'STOP', 'Unsubscribe me', '别再发了', '垃圾短信', '骗子']) expect(s(t).label, t).toBe('negative');
  });

  it('scores are in [-1, 1], matches explain the score, language is detected', () => {
    const r = s('服务很好，但是物流太慢了！');
    expect(r.lang).toBe('zh');
    expect(r.matches.map((m) => m.term)).toEqual(['好', '太慢']);
    expect(Math.sign(r.matches.reduce((a, m) => a + m.weight, 0))).toBe(Math.sign(r.score));
    for (const t of ['', '!!!', '非常非常非常非常好！！！！', 'worst worst worst scam scam!!!']) {
      const x = s(t);
      expect(Math.abs(x.score)).toBeLessThanOrEqual(1);
    }
    expect(s('').label).toBe('neutral');
    expect(detectLang('Thanks 谢谢')).toBe('zh');
    expect(detectLang('Thanks a lot')).toBe('en');
    expect(sentimentBatch(['好评', 'scam']).map((x) => x.label)).toEqual(['positive', 'negative']);
  });
});

function load(name: string) {
  return Papa.parse<string[]>(readFileSync(fixturePath(`sentiment/${name}.csv`), 'utf8'), { skipEmptyLines: true }).data.slice(1);
}

describe('sentiment on the hand-labelled evaluation set (docs/methods/text.md)', () => {
  const halves = { dev: load('dev'), heldout: load('heldout') };
  it('has ≥ 200 texts per language, three balanced labels, no text in both halves', () => {
    const all = [...halves.dev, ...halves.heldout];
    for (const lang of ['zh', 'en']) {
      const rows = all.filter((r) => r[1] === lang);
      expect(rows.length).toBeGreaterThanOrEqual(200);
      for (const l of ['positive', 'neutral', 'negative']) expect(rows.filter((r) => r[2] === l).length).toBeGreaterThanOrEqual(60);
    }
    const dev = new Set(halves.dev.map((r) => r[0]));
    expect(halves.heldout.filter((r) => dev.has(r[0])).length).toBe(0);
  });

  // Measured: held-out zh 0.950 / 0.950, en 0.950 / 0.950 (blind run before the TD fix: zh 0.942); dev zh 0.983, en 0.992.
  const floors = { heldout: { acc: 0.92, f1: 0.92 }, dev: { acc: 0.96, f1: 0.96 } };
  for (const half of ['heldout', 'dev'] as const)
    for (const lang of ['zh', 'en'] as const)
      it(`${half} ${lang}: accuracy ≥ ${floors[half].acc}, macro-F1 ≥ ${floors[half].f1}`, () => {
        const rows = halves[half].filter((r) => r[1] === lang);
        const pred = rows.map((r) => sentiment(r[0]!).label);
        const ev = evaluate(rows.map((r) => r[2]!), pred);
        expect(ev.accuracy).toBeGreaterThanOrEqual(floors[half].acc);
        expect(ev.macroF1).toBeGreaterThanOrEqual(floors[half].f1);
        // Auto-detection gives the same labels as the declared language.
        expect(rows.map((r) => sentiment(r[0]!, lang).label)).toEqual(pred);
      });
});

describe('marketing opt-out footers', () => {
  it('are instructions, not a negative mood; an unsubscribe reply stays negative', () => {
    expect(stripOptOutFooter('【优品汇】会员日双倍积分，到店即享，回TD退订')).toBe('【优品汇】会员日双倍积分，到店即享');
    expect(stripOptOutFooter('新品上市，退订回T')).toBe('新品上市');
    expect(stripOptOutFooter('Big sale today! Reply STOP to opt out')).toBe('Big sale today!');
    expect(sentiment('【优品汇】新品上市，龙井绿茶限时8折，回T退订').label).not.toBe('negative');
    expect(sentiment('TD').label).toBe('negative');
    expect(sentiment('退订').label).toBe('negative');
  });
});
