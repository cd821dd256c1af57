/**
 * Text benchmarks: jieba segmentation + keywords over the 14,074 FBS messages (raw text with the
 * pre-segmentation spaces removed, so jieba really segments), and naive Bayes training and
 * 5-fold evaluation on the 5,574 UCI messages, TF-IDF + logistic regression on both (naive Bayes is
 * its baseline in the same run), and sentiment over the FBS texts; the whitespace split of the same
 * FBS texts is the segmentation baseline.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { createTokenizer } from '../../main/analysis/text/tokenize';
import { keywordsByGroup } from '../../main/analysis/text/keywords';
import { crossValidate, crossValidateNb, fitTfidf, trainLogReg, trainNb } from '../../main/analysis/text/classify';
import { sentimentBatch } from '../../main/analysis/text/sentiment';
import { round } from './sqlite';

const datasets = process.env.SEGMINT_DATASETS ?? path.resolve('test', 'datasets');
const time = <T>(fn: () => T): [T, number] => {
  const t0 = performance.now();
  const r = fn();
  return [r, round((performance.now() - t0) / 1000)];
};

export function textBench() {
  const fbs = Papa.parse<string[]>(readFileSync(path.join(datasets, 'fbs-sms-spam-zh.csv'), 'utf8'), { skipEmptyLines: true }).data.slice(1);
  const raw = fbs.map((r) => r[1]!.replace(/\s+/g, ''));
  const tok = createTokenizer();
  tok.tokenize('预热'); // load the dictionary outside the timing
  const [docs, jiebaSeconds] = time(() => raw.map((t) => tok.tokenize(t)));
  const [, baselineSeconds] = time(() => fbs.map((r) => r[1]!.split(/\s+/)));
  const [, keywordSeconds] = time(() => keywordsByGroup(docs, fbs.map((r) => r[0]!), 20));
  const uci = readFileSync(path.join(datasets, 'sms-spam-collection.tsv'), 'utf8').split('\n').filter(Boolean);
  const labels = uci.map((l) => l.slice(0, l.indexOf('\t')));
  const [udocs, uciTokSeconds] = time(() => uci.map((l) => tok.tokenize(l.slice(l.indexOf('\t') + 1))));
  const [, trainSeconds] = time(() => trainNb(udocs, labels));
  const [cv, cvSeconds] = time(() => crossValidateNb(udocs, labels, { folds: 5, seed: 0 }));
  const [, tfidfSeconds] = time(() => fitTfidf(docs, { sublinearTf: true }));
  const [, lrTrainSeconds] = time(() => trainLogReg(udocs, labels, { seed: 0 }));
  const [lrCv, lrCvSeconds] = time(() => crossValidate(udocs, labels, { method: 'logreg', folds: 5, seed: 0 }));
  const fbsLabels = fbs.map((r) => r[0]!);
  const [, fbsLrSeconds] = time(() => trainLogReg(docs, fbsLabels, { seed: 0 }));
  const [, fbsNbSeconds] = time(() => trainNb(docs, fbsLabels));
  const [, sentimentSeconds] = time(() => sentimentBatch(raw));
  return {
    fbsTfidfLogReg: { messages: raw.length, tfidfSeconds, trainSeconds: fbsLrSeconds, naiveBayesBaselineTrainSeconds: fbsNbSeconds },
    uciLogReg: { trainSeconds: lrTrainSeconds, fiveFoldSeconds: lrCvSeconds, accuracy: round(lrCv.accuracy, 4), spamF1: round(lrCv.perClass.find((c) => c.label === 'spam')!.f1, 4) },
    fbsSentiment: { messages: raw.length, seconds: sentimentSeconds },
    fbsSegmentation: { messages: raw.length, tokens: docs.reduce((s, d) => s + d.length, 0), jiebaSeconds, whitespaceSplitBaselineSeconds: baselineSeconds, keywordsByGroupSeconds: keywordSeconds },
    uciNaiveBayes: { messages: uci.length, tokenizeSeconds: uciTokSeconds, trainSeconds, fiveFoldSeconds: cvSeconds, accuracy: round(cv.accuracy, 4), spamF1: round(cv.perClass.find((c) => c.label === 'spam')!.f1, 4) },
  };
}
