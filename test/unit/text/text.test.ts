import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { datasetPath } from '../../helpers/datasets';
import { createTokenizer } from '../../../main/analysis/text/tokenize';
import { removeStopwords } from '../../../main/analysis/text/stopwords';
import { crossValidateNb, trainNb } from '../../../main/analysis/text/classify';

describe('tokenizer', () => {
  it('jieba: 我来到北京清华大学 → 我/来到/北京/清华大学', () => {
    expect(createTokenizer().tokenize('我来到北京清华大学')).toEqual(['我', '来到', '北京', '清华大学']);
  });
  it('respects a user dictionary and mixes Chinese with English', () => {
    const plain = createTokenizer().tokenize('优品汇会员日来了');
    const custom = createTokenizer({ userDict: ['优品汇'] }).tokenize('优品汇会员日来了');
    expect(plain).not.toContain('优品汇');
    expect(custom).toContain('优品汇');
    expect(removeStopwords(createTokenizer().tokenize('Free entry in 2 a wkly comp! 回复TD退订'))).toEqual(['free', 'entry', 'wkly', 'comp', '回复', 'td', '退订']);
  });
});

describe('naive Bayes text classifier', () => {
  it('UCI SMS spam, stratified 5-fold: accuracy ≥ 0.98, spam F1 ≥ 0.92', () => {
    const lines = readFileSync(datasetPath('sms-spam-collection.tsv'), 'utf8').split('\n').filter(Boolean);
    const labels = lines.map((l) => l.slice(0, l.indexOf('\t')));
    const tok = createTokenizer();
    const docs = lines.map((l) => tok.tokenize(l.slice(l.indexOf('\t') + 1)));
    const r = crossValidateNb(docs, labels, { folds: 5, seed: 0 });
    expect(r.accuracy).toBeGreaterThanOrEqual(0.98);
    expect(r.perClass.find((c) => c.label === 'spam')!.f1).toBeGreaterThanOrEqual(0.92);
  });

  it('FBS Chinese spam (14 categories), 3-fold: macro-F1 reported; the GBK copy gives identical results', () => {
    const utf = Papa.parse<string[]>(readFileSync(datasetPath('fbs-sms-spam-zh.csv'), 'utf8'), { skipEmptyLines: true }).data.slice(1);
    const gbk = Papa.parse<string[]>(new TextDecoder('gb18030').decode(readFileSync(datasetPath('fbs-sms-spam-zh-gbk.csv'))), { skipEmptyLines: true }).data.slice(1);
    expect(gbk).toEqual(utf);
    const docs = utf.map((r) => r[1]!.split(/\s+/).filter(Boolean));
    const labels = utf.map((r) => r[0]!);
    expect(new Set(labels).size).toBe(14);
    const r = crossValidateNb(docs, labels, { folds: 3, seed: 0 });
    expect(r.macroF1).toBeGreaterThan(0.8);
    expect(r.accuracy).toBeGreaterThan(0.9);
  });

  it('trains on the Chinese labelled sample and predicts', () => {
    const rows = Papa.parse<string[]>(readFileSync(datasetPath('sms-zh-labelled-sample.csv'), 'utf8'), { skipEmptyLines: true }).data.slice(1);
    const tok = createTokenizer();
    const m = trainNb(rows.map((r) => tok.tokenize(r[2]!)), rows.map((r) => r[1]!));
    expect(m.labels).toEqual(['0', '1']);
    const spamRows = rows.filter((r) => r[1] === '1');
    const hits = spamRows.filter((r) => m.predict(tok.tokenize(r[2]!)) === '1').length;
    expect(hits / spamRows.length).toBeGreaterThan(0.8);
  });
});
