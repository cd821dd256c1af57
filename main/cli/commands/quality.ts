/** `segmint profile`, `segmint profile rows` and `segmint recipe apply` — data-quality profile, the rows behind its counts, and cleaning recipes (issue #5). */
import { readFileSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import { resolveDataset } from '../../services/datasets';
import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';
import { PROBLEMS, type Problem } from '../../../shared/api/quality';
import type { DatasetInfo } from '../../../shared/types';


/** The dataset named first (`segmint profile D`) or by --dataset, resolved against the open workspace. */
function datasetArg(c: CliContext, missing: string): DatasetInfo {
  const idOrName = c.args.positional[0] ?? c.flag('dataset');
  if (!idOrName) throw new UsageError(missing);
  return resolveDataset(c.app.ctx.requireSession().db, idOrName);
}

const profile: CliCommand = {
  name: 'profile',
  usage: 'segmint profile (D | --dataset D) --workspace PATH [--out FILE] [--json]',
  summary: 'Data-quality profile: per column nulls, distinct, invalid values, outliers and a 0–100 score',
  workspace: 'required',
  runsJob: 'quality',
  async run(c) {
    const ds = datasetArg(c, 'profile needs a dataset: segmint profile D');
    const { jobId } = await c.call('quality/profile', { datasetId: ds.id });
    const p = await c.jobResult('quality/profile', jobId);
    const cols = p.columns.map((x) => ({
      name: x.name,
      type: x.type,
      role: x.role,
      count: x.count,
      nulls: x.nulls,
      distinct: x.distinct,
      invalid: x.invalid.count,
      outliersIqr: x.outliers?.iqr.count ?? null,
      outliersMad: x.outliers?.mad?.count ?? null,
      min: x.min,
      max: x.max,
      mean: x.numeric?.mean ?? null,
      median: x.numeric?.median ?? x.dates?.median ?? null,
      score: x.quality.score,
      completeness: x.quality.completeness,
      validity: x.quality.validity,
      uniqueness: x.quality.uniqueness,
      consistency: x.quality.consistency,
      topPattern: x.patterns[0]?.pattern ?? null,
    }));
    const keys = Object.keys(cols[0] ?? { name: '' }) as (keyof (typeof cols)[number])[];
    const out = await c.writeTable(keys, cols.map((x) => keys.map((k) => x[k])));
    c.output({ datasetId: p.datasetId, rows: p.rows, score: p.score, duplicateRows: p.duplicateRows, columns: cols, out }, () =>
      [
        `${ds.name}: ${p.rows.toLocaleString()} rows, quality score ${p.score}, ${p.duplicateRows} duplicate rows`,
        ...cols.map((x) => `  ${x.name}\t${x.type}\tnulls ${x.nulls}\tdistinct ${x.distinct}\tinvalid ${x.invalid}${x.outliersIqr !== null ? `\toutliers ${x.outliersIqr} (IQR) / ${x.outliersMad ?? '—'} (MAD)` : ''}\tscore ${x.score}`),
        out ? `→ ${out}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  },
};


const profileRows: CliCommand = {
  name: 'profile rows',
  usage: 'segmint profile rows (D | --dataset D) --column C --problem null|invalid|outlier_iqr|outlier_mad|pattern [--pattern P] [--limit N (≤ 500)] [--offset N] --workspace PATH [--out FILE] [--json]',
  summary: 'The rows behind one count of the quality profile (missing, invalid, IQR/MAD outliers, a pattern such as ddd-dddd), each with the value as profiled',
  workspace: 'required',
  async run(c) {
    const ds = datasetArg(c, 'profile rows needs a dataset: segmint profile rows D --column C --problem invalid');
    const column = c.requireFlag('column');
    const problem = c.requireFlag('problem') as Problem;
    if (!PROBLEMS.includes(problem)) throw new UsageError(`--problem is one of ${PROBLEMS.join(', ')}`);
    const pattern = c.flag('pattern');
    if (problem === 'pattern' && pattern === undefined) throw new UsageError('--problem pattern needs --pattern P (a pattern of the profile, e.g. ddd-dddd)');
    const limit = Number(c.flag('limit') ?? 50);
    const offset = Number(c.flag('offset') ?? 0);
    const r = await c.call('quality/rows', { datasetId: ds.id, column, problem, ...(pattern !== undefined ? { pattern } : {}), limit, offset });
    const out = await c.writeTable(r.columns, r.rows);
    c.output({ datasetId: ds.id, column, problem, ...(pattern !== undefined ? { pattern } : {}), total: r.total, offset, columns: r.columns, rows: r.rows, out }, () =>
      [
        `${ds.name} · ${column} · ${problem}${pattern !== undefined ? ` ${pattern}` : ''}: ${r.total.toLocaleString()} rows${r.rows.length ? `, ${offset + 1}–${offset + r.rows.length} shown` : ''}`,
        r.columns.join('\t'),
        ...r.rows.map((row) => row.map((v) => (v === null ? '' : String(v))).join('\t')),
        out ? `→ ${out}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  },
};

const apply: CliCommand = {
  name: 'recipe apply',
  usage: 'segmint recipe apply R.json --dataset D [--name N] --workspace PATH [--out FILE] [--json]',
  summary: 'Apply a cleaning recipe (JSON) to a dataset: a cleaned dataset, removed rows kept, misfits reported',
  workspace: 'required',
  runsJob: 'quality',
  async run(c) {
    const file = c.args.positional[0];
    if (!file) throw new UsageError('recipe apply needs a recipe file: segmint recipe apply R.json --dataset D');
    let recipe: unknown;
    try {
      recipe = JSON.parse(readFileSync(file, 'utf8').replace(/^\ufeff/, ''));
    } catch (e) {
      throw new AppError('bad_recipe', `Cannot read the recipe ${file}: ${(e as Error).message}`, `无法读取配方文件 ${file}：${(e as Error).message}`);
    }
    if (!recipe || typeof recipe !== 'object' || Array.isArray(recipe)) throw new AppError('bad_recipe', `The recipe ${file} is not a JSON object.`, `配方文件 ${file} 不是 JSON 对象。`);
    const datasetId = c.dataset();
    const name = c.flag('name');
    const { jobId } = await c.call('quality/apply', { datasetId, recipe: recipe as Record<string, unknown>, ...(name ? { name } : {}) });
    const r = await c.jobResult('quality/apply', jobId);
    let out: string | null = null;
    if (c.flag('out')) {
      const info = c.app.ctx.requireSession().db;
      const cols = resolveDataset(info, r.datasetId).columns.map((x) => x.name);
      out = await c.exportDataset(r.datasetId, cols);
    }
    const steps = r.steps.map((s) => ({ op: s.op, ...(s.label ? { label: s.label } : {}), cellsChanged: s.cellsChanged, rowsChanged: s.rowsChanged, rowsRemoved: s.rowsRemoved, rowsFlagged: s.rowsFlagged, ...(s.skipped ? { skipped: true } : {}) }));
    c.output(
      { datasetId: r.datasetId, datasetName: r.datasetName, ...(r.removedDatasetId ? { removedDatasetId: r.removedDatasetId } : {}), rowsIn: r.rowsIn, rowsOut: r.rowsOut, rowsRemoved: r.rowsRemoved, rowsFlagged: r.rowsFlagged, steps, misfits: r.misfits, fits: r.fits, out },
      () =>
        [
          `${r.datasetName} (${r.datasetId}): ${r.rowsOut.toLocaleString()} of ${r.rowsIn.toLocaleString()} rows, ${r.rowsRemoved} removed${r.removedDatasetId ? ` (kept in ${r.removedDatasetId})` : ''}, ${r.rowsFlagged} flagged`,
          ...steps.map((s, i) => `  ${i + 1}. ${s.op}${'label' in s ? ` ${s.label}` : ''}: ${s.cellsChanged} cells changed, ${s.rowsRemoved} rows removed, ${s.rowsFlagged} rows flagged${s.skipped ? ' (skipped)' : ''}`),
          ...(r.misfits.length ? [`${r.misfits.length} misfit(s):`, ...r.misfits.map((m) => `  step ${m.step + 1} ${m.kind}: ${m.message}`)] : ['the recipe fits this dataset']),
          out ? `→ ${out}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
    );
  },
};

export const qualityCommands: CliCommand[] = [profile, profileRows, apply];
