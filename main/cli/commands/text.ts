/** `segmint text keywords|sentiment|classify` — word frequencies, TF-IDF keywords, sentiment, classifiers. */
import { resolveDataset } from '../../services/datasets';
import { UsageError } from '../args';
import type { CliCommand } from '../context';

const keywords: CliCommand = {
  name: 'text keywords',
  usage: 'segmint text keywords --dataset D --column C [--by COL] [--top 30] --workspace PATH [--out FILE] [--json]',
  summary: 'Chinese/English word segmentation, frequencies and TF-IDF keywords per group',
  workspace: 'required',
  async run(c) {
    const column = c.flag('column');
    if (!column) throw new UsageError('text keywords needs --column C');
    const r = await c.call('text/analyze', { datasetId: c.dataset(), column, groupBy: c.flag('by'), topK: Number(c.flag('top') ?? 30) });
    const rows = r.keywordsByGroup ? r.keywordsByGroup.flatMap((g) => g.terms.map((x) => [g.group, x.term, x.score])) : r.topTerms.map((x) => ['(all)', x.term, x.count]);
    const out = await c.writeTable(['group', 'term', 'score'], rows);
    c.output({ docs: r.docs, tokens: r.tokens, topTerms: r.topTerms, keywordsByGroup: out ? undefined : r.keywordsByGroup, sentiment: { positive: r.sentiment.positive, neutral: r.sentiment.neutral, negative: r.sentiment.negative, mean: r.sentiment.mean }, out }, () => [`${r.docs} texts, ${r.tokens} words`, ...r.topTerms.slice(0, 20).map((x) => `  ${x.term}\t${x.count}`)].join('\n'));
  },
};

const sentimentCmd: CliCommand = {
  name: 'text sentiment',
  usage: 'segmint text sentiment --dataset D --column C [--by COL] --workspace PATH [--out FILE] [--json]',
  summary: 'Sentiment (zh + en, lexicon and rules) of a text column, overall and per group',
  workspace: 'required',
  async run(c) {
    const column = c.flag('column');
    if (!column) throw new UsageError('text sentiment needs --column C');
    const r = await c.call('text/analyze', { datasetId: c.dataset(), column, groupBy: c.flag('by'), topK: 5 });
    const s = r.sentiment;
    const out = await c.writeTable(['group', 'positive', 'neutral', 'negative', 'mean'], s.byGroup ? s.byGroup.map((g) => [g.group, g.positive, g.neutral, g.negative, g.mean]) : [['(all)', s.positive, s.neutral, s.negative, s.mean]]);
    c.output({ docs: r.docs, ...s, out }, () => `${r.docs} texts: ${s.positive} positive, ${s.neutral} neutral, ${s.negative} negative (mean ${s.mean.toFixed(3)})`);
  },
};

const classify: CliCommand = {
  name: 'text classify',
  usage: 'segmint text classify --dataset D --text C --label L [--method logreg|nb] [--folds 5] [--apply-to D2:COLUMN] --workspace PATH [--out FILE] [--json]',
  summary: 'Train a text classifier on a labelled column: k-fold precision/recall/F1, then label the unlabelled texts',
  workspace: 'required',
  runsJob: 'text',
  async run(c) {
    const text = c.flag('text');
    const label = c.flag('label');
    if (!text || !label) throw new UsageError('text classify needs --text C and --label L');
    const method = (c.flag('method') ?? 'logreg') as 'logreg' | 'nb';
    if (method !== 'logreg' && method !== 'nb') throw new UsageError('--method is logreg or nb');
    const target = c.flag('apply-to');
    let applyTo: { datasetId: string; textColumn: string } | undefined;
    if (target) {
      const m = /^(.+):([^:]+)$/.exec(target);
      if (!m) throw new UsageError('--apply-to looks like DATASET:COLUMN');
      applyTo = { datasetId: resolveDataset(c.app.ctx.requireSession().db, m[1]!).id, textColumn: m[2]! };
    }
    const { jobId } = await c.call('text/classify', { datasetId: c.dataset(), textColumn: text, labelColumn: label, method, folds: Number(c.flag('folds') ?? 5), applyTo });
    const r = await c.jobResult('text/classify', jobId);
    const out = r.predictions ? await c.exportDataset(r.predictions.datasetId, ['source', 'source_row', 'text', 'predicted', 'probability']) : undefined;
    c.output({ ...r, out }, () => [`${method}, ${r.folds}-fold on ${r.docs} texts: accuracy ${r.accuracy.toFixed(4)}, macro-F1 ${r.macroF1.toFixed(4)}`, ...r.perClass.map((p) => `  ${p.label}\tP ${p.precision.toFixed(3)}  R ${p.recall.toFixed(3)}  F1 ${p.f1.toFixed(3)}  n ${p.support}`), r.predictions ? `predicted ${r.predictions.rows} unlabelled texts → ${r.predictions.datasetId}${out ? ` → ${out}` : ''}` : 'every text is labelled'].join('\n'));
  },
};

const dictionary: CliCommand = {
  name: 'text dictionary',
  usage: 'segmint text dictionary --workspace PATH [--set w1,w2 | --add w1,w2 | --remove w1,w2] [--json]',
  summary: 'The workspace dictionary for Chinese word segmentation (words kept whole by every analysis)',
  workspace: 'required',
  async run(c) {
    const list = (f: string) => (c.flag(f) ?? '').split(/[,，\s]+/).filter(Boolean);
    const { words } = await c.call('text/dictionary/get', {});
    let next: string[] | null = null;
    if (c.flag('set') !== undefined) next = list('set');
    else if (c.flag('add') !== undefined) next = [...words, ...list('add')];
    else if (c.flag('remove') !== undefined) next = words.filter((w) => !list('remove').includes(w));
    const r = next ? await c.call('text/dictionary/set', { words: next }) : { words };
    c.output(r, () => (r.words.length ? r.words.join(' ') : '(empty)'));
  },
};

export const textCommands: CliCommand[] = [keywords, sentimentCmd, classify, dictionary];
