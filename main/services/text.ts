/** Text analytics over a dataset's text column: frequencies, bigrams, keywords per group, NB cross-validation. */
import { AppError } from '../../shared/errors';
import type { ClassifyReport, TextAnalysis } from '../../shared/api/text';
import { qid, type DB } from '../db/open';
import { getDataset } from './datasets';
import type { JobContext } from '../jobs/types';
import { createTokenizer } from '../analysis/text/tokenize';
import { removeStopwords } from '../analysis/text/stopwords';
import { keywordsByGroup, ngrams, termCounts, top } from '../analysis/text/keywords';
import { crossValidateNb } from '../analysis/text/classify';

function column(db: DB, datasetId: string, name: string) {
  const info = getDataset(db, datasetId);
  if (!info.columns.some((c) => c.name === name)) throw new AppError('unknown_column', `Unknown column "${name}".`, `未知列“${name}”。`);
  return info;
}

export function analyzeText(db: DB, a: { datasetId: string; column: string; groupBy?: string; topK: number; userDict: string[] }): TextAnalysis {
  const info = column(db, a.datasetId, a.column);
  if (a.groupBy) column(db, a.datasetId, a.groupBy);
  const rows = db.prepare(`SELECT CAST(${qid(a.column)} AS TEXT), ${a.groupBy ? `CAST(${qid(a.groupBy)} AS TEXT)` : 'NULL'} FROM ${qid(info.id)} WHERE ${qid(a.column)} IS NOT NULL`).raw(true).all() as [string, string | null][];
  const tok = createTokenizer({ userDict: a.userDict });
  const docs = rows.map((r) => removeStopwords(tok.tokenize(r[0])).filter((t) => t.length > 1 || /[\u3400-\u9fff]/.test(t)));
  return {
    docs: docs.length,
    tokens: docs.reduce((s, d) => s + d.length, 0),
    topTerms: top(termCounts(docs), a.topK),
    bigrams: top(ngrams(docs, 2), Math.min(30, a.topK)),
    keywordsByGroup: a.groupBy ? keywordsByGroup(docs, rows.map((r) => r[1] ?? '—'), Math.min(20, a.topK)) : null,
  };
}

export async function classifyJob(job: JobContext, a: { datasetId: string; textColumn: string; labelColumn: string; folds: number; seed: number }): Promise<ClassifyReport> {
  const info = column(job.db, a.datasetId, a.textColumn);
  column(job.db, a.datasetId, a.labelColumn);
  const rows = job.db.prepare(`SELECT CAST(${qid(a.textColumn)} AS TEXT), CAST(${qid(a.labelColumn)} AS TEXT) FROM ${qid(info.id)} WHERE ${qid(a.textColumn)} IS NOT NULL AND ${qid(a.labelColumn)} IS NOT NULL`).raw(true).all() as [string, string][];
  if (new Set(rows.map((r) => r[1])).size < 2) throw new AppError('one_class', 'The label column needs at least two classes.', '标签列至少需要两个类别。');
  job.progress(0, 2, 'tokenize');
  const tok = createTokenizer();
  const docs = rows.map((r) => tok.tokenize(r[0]));
  job.progress(1, 2, `${a.folds}-fold`);
  const r = crossValidateNb(docs, rows.map((x) => x[1]), { folds: a.folds, seed: a.seed });
  return { docs: rows.length, folds: a.folds, ...r };
}
