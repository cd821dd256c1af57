/** TF-IDF + softmax logistic regression on real SMS data, and the serialisable model. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import iconv from 'iconv-lite';
import { datasetPath } from '../../helpers/datasets';
import { createTokenizer } from '../../../main/analysis/text/tokenize';
import {
  crossValidate,
  crossValidateLogReg,
  fitTfidf,
  predictTexts,
  trainLogReg,
  trainTextClassifier,
  transformTfidf,
  type TextClassifierModel,
} from '../../../main/analysis/text/classify';

function uci() {
  const lines = readFileSync(datasetPath('sms-spam-collection.tsv'), 'utf8').split('\n').filter(Boolean);
  const tok = createTokenizer();
  return { labels: lines.map((l) => l.slice(0, l.indexOf('\t'))), docs: lines.map((l) => tok.tokenize(l.slice(l.indexOf('\t') + 1))) };
}

describe('TF-IDF', () => {
  it('smoothed idf, sublinear tf, unit rows; unknown tokens are ignored', () => {
    const vec = fitTfidf([['a', 'b'], ['a', 'c', 'c']]);
    expect(vec.vocabulary).toEqual(['a', 'b', 'c']);
    expect(vec.idf[0]).toBeCloseTo(1, 12); // in every document: ln(3/3) + 1
    expect(vec.idf[1]).toBeCloseTo(Math.log(3 / 2) + 1, 12);
    const [row] = transformTfidf(vec, [['c', 'c', 'a', 'zzz']]);
    expect([...row!.idx]).toEqual([0, 2]);
    const c = (1 + Math.log(2)) * vec.idf[2]!;
    const norm = Math.hypot(1, c);
    expect(row!.val[0]).toBeCloseTo(1 / norm, 12);
    expect(row!.val[1]).toBeCloseTo(c / norm, 12);
  });
});

describe('logistic regression', () => {
  it('UCI SMS spam, stratified 3-fold: accuracy ≥ 0.98, spam F1 ≥ 0.92 (L-BFGS), and nb|logreg share the API', () => {
    const { docs, labels } = uci();
    const r = crossValidateLogReg(docs, labels, { folds: 3, seed: 0 });
    expect(r.accuracy).toBeGreaterThanOrEqual(0.98);
    expect(r.perClass.find((c) => c.label === 'spam')!.f1).toBeGreaterThanOrEqual(0.92);
    expect(r.confusion.labels).toEqual(['ham', 'spam']);
    expect(r.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(labels.length);
    const nb = crossValidate(docs, labels, { method: 'nb', folds: 3, seed: 0 });
    expect(nb.accuracy).toBeGreaterThanOrEqual(0.98);
    // The SGD solver reaches nearly the same optimum on this problem.
    const sgd = crossValidateLogReg(docs, labels, { folds: 3, seed: 0, solver: 'sgd' });
    expect(Math.abs(sgd.accuracy - r.accuracy)).toBeLessThan(0.005);
  });

  it('FBS Chinese spam, 14 classes: 3-fold macro-F1 ≥ 0.89 with the auto (SGD) solver; full training in seconds; deterministic', () => {
    const rows = Papa.parse<string[]>(readFileSync(datasetPath('fbs-sms-spam-zh.csv'), 'utf8'), { skipEmptyLines: true }).data.slice(1);
    const docs = rows.map((r) => r[1]!.split(/\s+/).filter(Boolean));
    const labels = rows.map((r) => r[0]!);
    const r = crossValidateLogReg(docs, labels, { folds: 3, seed: 0 });
    expect(r.macroF1).toBeGreaterThanOrEqual(0.89);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.95);
    const nb = crossValidate(docs, labels, { method: 'nb', folds: 3, seed: 0 });
    expect(r.macroF1).toBeGreaterThan(nb.macroF1);
    const t = performance.now();
    const m1 = trainLogReg(docs, labels, { seed: 7 });
    const seconds = (performance.now() - t) / 1000;
    expect(m1.solver).toBe('sgd');
    expect(seconds).toBeLessThan(15); // ~1 s measured; generous for a loaded CI machine
    const m2 = trainLogReg(docs, labels, { seed: 7 });
    expect(Buffer.from(m2.weights.buffer).equals(Buffer.from(m1.weights.buffer))).toBe(true);
    const m3 = trainLogReg(docs.slice(0, 2000), labels.slice(0, 2000), { seed: 8, solver: 'sgd', epochs: 3 });
    const m4 = trainLogReg(docs.slice(0, 2000), labels.slice(0, 2000), { seed: 9, solver: 'sgd', epochs: 3 });
    expect(Buffer.from(m3.weights.buffer).equals(Buffer.from(m4.weights.buffer))).toBe(false);
  }, 120_000);
});

describe('trained model applied to unlabelled texts', () => {
  const utf = Papa.parse<string[]>(readFileSync(datasetPath('sms-zh-labelled-sample.csv'), 'utf8'), { skipEmptyLines: true }).data.slice(1);

  for (const method of ['logreg', 'nb'] as const)
    it(`${method}: trains on the Chinese labelled sample, survives JSON round-trip, predicts the same`, () => {
      const texts = utf.map((r) => r[2]!);
      const labels = utf.map((r) => r[1]!);
      const model = trainTextClassifier(texts, labels, { method });
      expect(model.classes).toEqual(['0', '1']);
      const back = JSON.parse(JSON.stringify(model)) as TextClassifierModel;
      expect(back).toEqual(model);
      const unseen = ['亲爱的会员，本店春装全场五折，详询x号店', '今天晚上一起吃饭吧', '商业秘密的保护需要法律支持'];
      const a = predictTexts(model, [...texts, ...unseen]);
      const b = predictTexts(back, [...texts, ...unseen]);
      expect(b).toEqual(a);
      for (const p of a) {
        expect(p.probability).toBeGreaterThanOrEqual(0.5);
        expect(Object.values(p.probabilities).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 9);
      }
      const spam = a.slice(0, texts.length).filter((_, i) => labels[i] === '1');
      expect(spam.filter((p) => p.label === '1').length / spam.length).toBeGreaterThan(0.8);
      const ham = a.slice(0, texts.length).filter((_, i) => labels[i] === '0');
      expect(ham.filter((p) => p.label === '0').length / ham.length).toBeGreaterThan(0.95);
    });

  it('the GBK copy (decoded with iconv-lite) gives an identical model and predictions', () => {
    const gbk = Papa.parse<string[]>(iconv.decode(readFileSync(datasetPath('sms-zh-labelled-sample-gbk.csv')), 'gbk'), { skipEmptyLines: true }).data;
    expect(gbk[0]).toEqual(['编号', '标签', '短信内容']);
    const rowsGbk = gbk.slice(1);
    const rowsUtf = utf.filter((r) => r[0] !== '2'); // row 2 holds an emoji GBK cannot encode
    expect(rowsGbk).toEqual(rowsUtf);
    const mUtf = trainTextClassifier(rowsUtf.map((r) => r[2]!), rowsUtf.map((r) => r[1]!));
    const mGbk = trainTextClassifier(rowsGbk.map((r) => r[2]!), rowsGbk.map((r) => r[1]!));
    expect(JSON.stringify(mGbk)).toBe(JSON.stringify(mUtf));
    expect(predictTexts(mGbk, rowsUtf.map((r) => r[2]!))).toEqual(predictTexts(mUtf, rowsUtf.map((r) => r[2]!)));
  });
});
