/** Text analytics through the app on the FBS spam data and the demo replies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importFile, runJob, tempDir, testApp, type TestApp } from '../../helpers/app';
import { datasetPath } from '../../helpers/datasets';
import type { ClassifyReport } from '../../../shared/api/text';

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'text' });
});
afterAll(() => app.close());

describe('text services', () => {
  it('keywords per category on the GBK FBS file, and k-fold naive Bayes', async () => {
    const id = await importFile(app, datasetPath('fbs-sms-spam-zh-gbk.csv'), 'fbs');
    const r = await app.call('text/analyze', { datasetId: id, column: '短信内容(已分词)', groupBy: '类别', topK: 20 });
    expect(r.docs).toBe(14_074);
    expect(r.topTerms).toHaveLength(20);
    expect(r.keywordsByGroup).toHaveLength(14);
    // Placeholders of the data set are kept as tokens and are among the most frequent words.
    expect(r.topTerms.map((x) => x.term)).toContain('DIGIT');
    const nb = await runJob<ClassifyReport>(app, app.call('text/classify', { datasetId: id, textColumn: '短信内容(已分词)', labelColumn: '类别', folds: 3, method: 'nb' }));
    expect(nb.docs).toBe(14_074);
    expect(nb.macroF1).toBeGreaterThan(0.8);
    expect(nb.predictions).toBeNull(); // every row is labelled
    const lr = await runJob<ClassifyReport>(app, app.call('text/classify', { datasetId: id, textColumn: '短信内容(已分词)', labelColumn: '类别', folds: 3 }));
    expect(lr.method).toBe('logreg');
    expect(lr.macroF1).toBeGreaterThan(nb.macroF1);
  });

  it('trains on the labelled rows and labels the rest: hidden UCI labels recovered', async () => {
    const t = tempDir();
    const lines = readFileSync(datasetPath('sms-spam-collection.tsv'), 'utf8').trim().split(/\r?\n/).map((l) => l.split('\t'));
    // Every fifth message loses its label; the model must find it again.
    const hidden = new Map<number, string>();
    const out = ['label\ttext', ...lines.map(([label, text], i) => {
      if (i % 5 === 0) hidden.set(i + 1, label!);
      return `${i % 5 === 0 ? '' : label}\t${(text ?? '').replace(/["\t]/g, ' ')}`;
    })];
    const file = path.join(t.dir, 'uci-partly-labelled.tsv');
    writeFileSync(file, out.join('\n') + '\n');
    const id = await importFile(app, file, 'uci-partly');
    const r = await runJob<ClassifyReport>(app, app.call('text/classify', { datasetId: id, textColumn: 'text', labelColumn: 'label', folds: 3 }));
    expect(r.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(r.predictions!.rows).toBe(hidden.size);
    const pred = app.ctx.requireSession().db.prepare(`SELECT source_row, predicted, probability FROM ${r.predictions!.datasetId}`).all() as { source_row: number; predicted: string; probability: number }[];
    const right = pred.filter((p) => hidden.get(p.source_row) === p.predicted).length;
    expect(right / pred.length).toBeGreaterThanOrEqual(0.97);
    expect(pred.every((p) => p.probability >= 0.5 && p.probability <= 1)).toBe(true);
    t.cleanup();
  });

  it('word frequencies of Chinese replies respect a user dictionary', async () => {
    const { jobId } = await app.call('demo/open', { seed: 42, customers: 1500 });
    await app.ctx.jobs.wait(jobId);
    const replies = (await app.call('datasets/list', {})).find((d) => d.name === '短信回复')!;
    // Without the word, jieba cuts 请帮我退订 apart; the workspace dictionary keeps it whole for every analysis.
    const plain = await app.call('text/analyze', { datasetId: replies.id, column: '回复内容' });
    expect(plain.topTerms.some((x) => x.term === '请帮我退订')).toBe(false);
    expect((await app.call('text/dictionary/set', { words: [' 请帮我退订 ', '请帮我退订'] })).words).toEqual(['请帮我退订']);
    expect((await app.call('text/dictionary/get', {})).words).toEqual(['请帮我退订']);
    const r = await app.call('text/analyze', { datasetId: replies.id, column: '回复内容' });
    expect(r.docs).toBe(replies.rowCount);
    expect(r.topTerms.some((x) => x.term === '退订')).toBe(true);
    expect(r.topTerms.some((x) => x.term === '请帮我退订')).toBe(true);
    // Sentiment of the replies: thanks are positive, '太贵了' and unsubscribes negative.
    expect(r.sentiment.positive + r.sentiment.neutral + r.sentiment.negative).toBe(r.docs);
    expect(r.sentiment.positive).toBeGreaterThan(0);
    expect(r.sentiment.negative).toBeGreaterThan(0);
    const ex = new Map(r.sentiment.examples.map((e) => [e.text, e.label]));
    if (ex.has('太贵了')) expect(ex.get('太贵了')).toBe('negative');
    expect([...ex].filter(([text]) => text.includes('谢谢')).every(([, label]) => label === 'positive')).toBe(true);
    expect(r.sentiment.examples.some((e) => e.label === 'positive')).toBe(true);
    expect(r.sentiment.examples.some((e) => e.label === 'negative')).toBe(true);
  });
});
