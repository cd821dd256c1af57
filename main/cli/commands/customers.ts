/** `segmint dedupe`, `segmint link` — record dedupe and the single customer view (issue #5, CLI contract of #10). */
import { readFileSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { MatchConfigInput } from '../../../shared/api/customers';
import { resolveDataset } from '../../services/datasets';
import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';

function threshold(c: CliContext): number | undefined {
  const v = c.flag('threshold');
  if (v === undefined) return undefined;
  const t = Number(v);
  if (!Number.isFinite(t) || t < 0 || t > 1) throw new UsageError('--threshold is a match probability between 0 and 1');
  return t;
}

function config(c: CliContext): MatchConfigInput | undefined {
  const file = c.flag('config');
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as MatchConfigInput;
  } catch (e) {
    throw new AppError('bad_config', `Cannot read the match config ${file}: ${(e as Error).message}`, `无法读取匹配配置 ${file}：${(e as Error).message}`);
  }
}

const dedupe: CliCommand = {
  name: 'dedupe',
  usage: 'segmint dedupe --dataset D --workspace PATH [--threshold 0.5] [--config CONFIG.json] [--out FILE] [--json]',
  summary: 'Duplicate records inside a dataset (Fellegi-Sunter with EM, config from column roles); --out: source_row, cluster_id, score',
  workspace: 'required',
  runsJob: 'customers',
  async run(c) {
    const datasetId = c.dataset();
    const t = threshold(c);
    const { jobId } = await c.call('customers/dedupe', { datasetId, config: config(c), threshold: t ?? 0.5 });
    const r = await c.jobResult('customers/dedupe', jobId);
    const { rowClusters } = await import('../../services/customers/dedupe'); // loaded by the command that uses it (CLI start-up)
    const rows = rowClusters(c.app.ctx.requireSession().db, r.runId);
    const out = await c.writeTable(['source_row', 'cluster_id', 'score'], rows.map((x) => [x.row, x.cluster, x.score === null ? null : +x.score.toFixed(6)]));
    c.output(
      { runId: r.runId, datasetId: r.datasetId, rows: r.rows, clusters: r.stats.clusters, rowsInClusters: r.stats.rowsInClusters, pairs: r.stats.pairs, pairsCompared: r.pairsCompared, reductionRatio: r.reductionRatio, threshold: r.threshold, sizes: r.stats.sizes, fields: r.fields.map((f) => f.name), ignoredColumns: r.ignoredColumns, seconds: r.seconds, out },
      () =>
        [
          `${r.datasetName}: ${r.rows} rows, ${r.pairsCompared} pairs compared (reduction ${(r.reductionRatio * 100).toFixed(2)}%), ${r.seconds}s`,
          `fields: ${r.fields.map((f) => f.name).join(', ')}${r.ignoredColumns.length ? ` (left out: ${r.ignoredColumns.join(', ')})` : ''}`,
          `at ${r.threshold}: ${r.stats.clusters} clusters, ${r.stats.rowsInClusters} rows, ${r.stats.pairs} matching pairs; sizes ${r.stats.sizes.map((s) => `${s.size}×${s.clusters}`).join(' ')}`,
          `run ${r.runId}${out ? ` → ${out}` : ''}`,
        ].join('\n'),
    );
  },
};

const link: CliCommand = {
  name: 'link',
  usage: 'segmint link --datasets D1,D2… --workspace PATH [--threshold 0.5] [--config CONFIG.json] [--one-to-one] [--no-dedupe-within] [--out FILE] [--json]',
  summary: 'Single customer view: link records across datasets by customer id, phone, e-mail and fuzzy name; --out: dataset, source_row, customer_id',
  workspace: 'required',
  runsJob: 'customers',
  booleanFlags: ['one-to-one', 'no-dedupe-within'],
  async run(c) {
    const names = c.requireFlag('datasets').split(',').map((s) => s.trim()).filter(Boolean);
    if (!names.length) throw new UsageError('--datasets lists dataset ids or names, separated by commas');
    const db = c.app.ctx.requireSession().db;
    const datasets = names.map((n) => resolveDataset(db, n).id);
    const { jobId } = await c.call('customers/link', { datasets, threshold: threshold(c) ?? 0.5, config: config(c), oneToOne: c.bool('one-to-one'), dedupeWithin: !c.bool('no-dedupe-within') });
    const r = await c.jobResult('customers/link', jobId);
    const file = c.flag('out');
    const out = file ? await c.writeTable(['dataset', 'source_row', 'customer_id', 'rule', 'score'], db.prepare('SELECT dataset_id, source_row, customer_id, rule, score FROM customer_links ORDER BY dataset_id, source_row').raw(true).all() as unknown[][]) : null;
    c.output({ customers: r.customers, links: r.links, byRule: r.byRule, multiDataset: r.multiDataset, multiRecord: r.multiRecord, events: r.events, unlinked: r.unlinked, datasets: r.datasets, seconds: r.seconds, out }, () =>
      [
        `${r.customers} customers from ${r.links} records (${r.unlinked} unlinked), ${r.multiDataset} in two or more datasets, ${r.multiRecord} with duplicate records; ${r.events} timeline events; ${r.seconds}s`,
        `joined by: ${Object.entries(r.byRule).map(([k, v]) => `${k} ${v}`).join(', ')}`,
        ...r.datasets.map((d) => `  ${d.name} (${d.id}): ${d.linked}/${d.rows} records → ${d.customers} customers`),
        out ? `→ ${out}` : '',
      ].filter(Boolean).join('\n'),
    );
  },
};

export const customersCommands: CliCommand[] = [dedupe, link];
