/** Text analytics over a dataset's text column: frequencies, bigrams, keywords per group, sentiment, classifiers (NB / TF-IDF logistic regression) with k-fold metrics, applied to unlabelled texts. */
import { AppError } from '../../../shared/errors';
import type { ClassifyReport, TextAnalysis } from '../../../shared/api/text';
import { qid, type DB } from '../../db/open';
import { createDerivedDataset, getDataset, rowsWhereTheDataIs } from '../datasets';
import { meta, setMeta } from '../workspace';
import { audit } from '../audit/index';
import type { JobContext } from '../../jobs/types';
import { createTokenizer } from '../../analysis/text/tokenize';
import { removeStopwords } from '../../analysis/text/stopwords';
import { keywordsByGroup, ngrams, termCounts, top } from '../../analysis/text/keywords';
import { crossValidate, predictTexts, trainTextClassifier } from '../../analysis/text/classify';
import { sentimentBatch } from '../../analysis/text/sentiment';

function column(db: DB, datasetId: string, name: string) {
  const info = getDataset(db, datasetId);
  if (!info.columns.some((c) => c.name === name)) throw new AppError('unknown_column', `Unknown column "${name}".`, `未知列“${name}”。`);
  return info;
}

const DICT_KEY = 'text.user_dict';

/** The workspace's user dictionary: words jieba must keep whole. Every analysis and classifier uses it. */
export function userDictionary(db: DB): string[] {
  const raw = meta(db, DICT_KEY);
  return raw ? (JSON.parse(raw) as string[]) : [];
}

export function setUserDictionary(db: DB, words: string[]): { words: string[] } {
  const clean = [...new Set(words.map((w) => w.trim()).filter(Boolean))];
  setMeta(db, DICT_KEY, JSON.stringify(clean));
  audit(db, 'text.dictionary_changed', { details: { words: clean.length } });
  return { words: clean };
}

export async function analyzeText(db: DB, a: { datasetId: string; column: string; groupBy?: string; topK: number; userDict: string[] }): Promise<TextAnalysis> {
  const info = column(db, a.datasetId, a.column);
  if (a.groupBy) column(db, a.datasetId, a.groupBy);
  // in row order, so ties (equal counts, equal scores) fall the same way on either engine
  const rows = (await rowsWhereTheDataIs(db, info, `SELECT CAST(${qid(a.column)} AS TEXT), ${a.groupBy ? `CAST(${qid(a.groupBy)} AS TEXT)` : 'NULL'} FROM ${qid(info.id)} WHERE ${qid(a.column)} IS NOT NULL ORDER BY _row`)) as [string, string | null][];
  const tok = createTokenizer({ userDict: [...userDictionary(db), ...a.userDict] });
  const docs = rows.map((r) => removeStopwords(tok.tokenize(r[0])).filter((t) => t.length > 1 || /[\u3400-\u9fff]/.test(t)));
  return {
    docs: docs.length,
    tokens: docs.reduce((s, d) => s + d.length, 0),
    topTerms: top(termCounts(docs), a.topK),
    bigrams: top(ngrams(docs, 2), Math.min(30, a.topK)),
    keywordsByGroup: a.groupBy ? keywordsByGroup(docs, rows.map((r) => r[1] ?? '—'), Math.min(20, a.topK)) : null,
    sentiment: sentimentSummary(rows.map((r) => r[0]), a.groupBy ? rows.map((r) => r[1] ?? '—') : null),
  };
}

function sentimentSummary(texts: string[], groups: string[] | null): TextAnalysis['sentiment'] {
  const s = sentimentBatch(texts);
  const tally = (idx: number[]) => {
    const c = { positive: 0, neutral: 0, negative: 0, mean: 0 };
    for (const i of idx) {
      c[s[i]!.label]++;
      c.mean += s[i]!.score / idx.length;
    }
    return c;
  };
  const all = tally(texts.map((_, i) => i));
  let byGroup: TextAnalysis['sentiment']['byGroup'] = null;
  if (groups) {
    const idx = new Map<string, number[]>();
    groups.forEach((g, i) => (idx.get(g) ?? idx.set(g, []).get(g)!).push(i));
    byGroup = [...idx].map(([group, ix]) => ({ group, ...tally(ix) })).sort((x, y) => x.mean - y.mean).slice(0, 50);
  }
  // The strongest few each way, distinct texts, with the words that decided.
  const order = texts.map((_, i) => i).filter((i) => s[i]!.label !== 'neutral').sort((x, y) => s[x]!.score - s[y]!.score);
  const seen = new Set<string>();
  const pick = (ix: number[]) => {
    const out: number[] = [];
    for (const i of ix) {
      if (out.length === 6) break;
      if (seen.has(texts[i]!)) continue;
      seen.add(texts[i]!);
      out.push(i);
    }
    return out;
  };
  const examples = [...pick(order), ...pick([...order].reverse())].map((i) => ({ text: texts[i]!.slice(0, 200), score: s[i]!.score, label: s[i]!.label, terms: s[i]!.matches.map((m) => (m.negated ? `¬${m.term}` : m.term)) }));
  return { ...all, byGroup, examples };
}

export async function classifyJob(job: JobContext, a: { datasetId: string; textColumn: string; labelColumn: string; method: 'logreg' | 'nb'; folds: number; seed: number; apply: boolean; applyTo?: { datasetId: string; textColumn: string } }): Promise<ClassifyReport> {
  const info = column(job.db, a.datasetId, a.textColumn);
  column(job.db, a.datasetId, a.labelColumn);
  if (a.applyTo) column(job.db, a.applyTo.datasetId, a.applyTo.textColumn);
  const all = (await rowsWhereTheDataIs(job.db, info, `SELECT _row, CAST(${qid(a.textColumn)} AS TEXT), CAST(${qid(a.labelColumn)} AS TEXT) FROM ${qid(info.id)} WHERE ${qid(a.textColumn)} IS NOT NULL ORDER BY _row`)) as [number, string, string | null][];
  const rows = all.filter((r) => r[2] !== null && r[2].trim() !== '');
  if (new Set(rows.map((r) => r[2])).size < 2) throw new AppError('one_class', 'The label column needs at least two classes.', '标签列至少需要两个类别。');
  job.progress(0, 3, 'tokenize');
  const userDict = userDictionary(job.db);
  const tok = createTokenizer({ userDict });
  const docs = rows.map((r) => tok.tokenize(r[1]));
  const labels = rows.map((x) => x[2]!);
  job.progress(1, 3, `${a.folds}-fold ${a.method}`);
  const r = crossValidate(docs, labels, { method: a.method, folds: a.folds, seed: a.seed, shouldCancel: job.cancelled });
  let predictions: ClassifyReport['predictions'] = null;
  const targets: { source: string; row: number; text: string }[] = [];
  if (a.apply) for (const x of all) if (x[2] === null || x[2].trim() === '') targets.push({ source: info.name, row: x[0], text: x[1] });
  if (a.applyTo) {
    const other = getDataset(job.db, a.applyTo.datasetId);
    for (const x of (await rowsWhereTheDataIs(job.db, other, `SELECT _row, CAST(${qid(a.applyTo.textColumn)} AS TEXT) FROM ${qid(other.id)} WHERE ${qid(a.applyTo.textColumn)} IS NOT NULL ORDER BY _row`)) as [number, string][]) targets.push({ source: other.name, row: x[0], text: x[1] });
  }
  if (targets.length) {
    job.progress(2, 3, 'apply');
    // The final model learns from every labelled row; cross-validation above is its honest estimate.
    const model = trainTextClassifier(rows.map((x) => x[1]), labels, { method: a.method, seed: a.seed, shouldCancel: job.cancelled, tokenizer: { userDict } });
    const p = predictTexts(model, targets.map((t) => t.text));
    const ds = createDerivedDataset(job.db, {
      name: `${a.method === 'nb' ? 'NB' : 'LogReg'} ${a.labelColumn} predictions`,
      parentId: info.id,
      columns: [
        { name: 'source', type: 'category', role: null },
        { name: 'source_row', type: 'integer', role: null },
        { name: 'text', type: 'text', role: 'message_text' },
        { name: 'predicted', type: 'category', role: 'label' },
        { name: 'probability', type: 'decimal', role: null },
      ],
      rows: targets.map((t, i) => [t.source, t.row, t.text, p[i]!.label, +p[i]!.probability.toFixed(4)]),
      settings: { analysis: 'text-classify', ...a },
    });
    const counts = new Map<string, number>();
    for (const x of p) counts.set(x.label, (counts.get(x.label) ?? 0) + 1);
    predictions = { datasetId: ds.id, rows: targets.length, byLabel: [...counts].map(([label, count]) => ({ label, count })).sort((x, y) => y.count - x.count) };
  }
  return { docs: rows.length, folds: a.folds, method: a.method, ...r, predictions };
}
