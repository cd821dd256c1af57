/** `segmint text keywords` — word frequencies and TF-IDF keywords per group. */
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
    const out = c.writeTable(['group', 'term', 'score'], rows);
    c.output({ docs: r.docs, tokens: r.tokens, topTerms: r.topTerms, keywordsByGroup: out ? undefined : r.keywordsByGroup, out }, () => [`${r.docs} texts, ${r.tokens} words`, ...r.topTerms.slice(0, 20).map((x) => `  ${x.term}\t${x.count}`)].join('\n'));
  },
};

export const textCommands: CliCommand[] = [keywords];
