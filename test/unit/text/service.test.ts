/** Text analytics through the app on the FBS spam data and the demo replies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, runJob, testApp, type TestApp } from '../../helpers/app';
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
    const cv = await runJob<ClassifyReport>(app, app.call('text/classify', { datasetId: id, textColumn: '短信内容(已分词)', labelColumn: '类别', folds: 3 }));
    expect(cv.docs).toBe(14_074);
    expect(cv.macroF1).toBeGreaterThan(0.8);
  });

  it('word frequencies of Chinese replies respect a user dictionary', async () => {
    const { jobId } = await app.call('demo/open', { seed: 42, customers: 1500 });
    await app.ctx.jobs.wait(jobId);
    const replies = (await app.call('datasets/list', {})).find((d) => d.name === '短信回复')!;
    const r = await app.call('text/analyze', { datasetId: replies.id, column: '回复内容', userDict: ['请帮我退订'] });
    expect(r.docs).toBe(replies.rowCount);
    expect(r.topTerms.some((x) => x.term === '退订')).toBe(true);
    expect(r.topTerms.some((x) => x.term === '请帮我退订')).toBe(true);
  });
});
