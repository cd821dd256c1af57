/**
 * The quality profile of a dataset (a job) and the rows behind each problem count.
 *
 * The job reads one column at a time (./read.ts) and profiles it with
 * main/analysis/quality/profile.ts (`profileColumn`); row indices are turned into `_row`
 * numbers. The dataset score is the documented weighted mean of the column scores (weight 2 for
 * a column with a role, 1 otherwise — the same rule as `profileDataset`, which needs every
 * column in memory at once); duplicate rows are counted in SQL. The latest profile per dataset
 * is stored in `quality_profiles`.
 *
 * `problemRows` answers "which rows?" for a count of the profile: nulls and patterns by a scan
 * with the profile's own rules, invalid values and outliers by profiling the column again with
 * the row list long enough for the page asked for — so the rows always agree with the profile
 * module, and paging is not limited by the stored (capped) row lists.
 */
import type { ProblemRows, QualityProfile } from '../../../shared/api/quality';
import { AppError } from '../../../shared/errors';
import { qid, type DB } from '../../db/open';
import type { JobContext } from '../../jobs/types';
import { isMissingValue } from '../../kernel/values';
import { patternOf, profileColumn } from '../../analysis/quality/profile';
import { getDataset, rowsWhereTheDataIs } from '../datasets';
import { findColumn, readColumn, rowsById } from './read';

const ROW_CAP = 200;

export async function profileJob(job: JobContext, a: { datasetId: string }): Promise<QualityProfile> {
  const t0 = Date.now();
  const db = job.db;
  const info = getDataset(db, a.datasetId);
  const n = info.columns.length;
  const columns: QualityProfile['columns'] = [];
  for (let k = 0; k < n; k++) {
    const c = info.columns[k]!;
    job.progress(k, n + 1, c.name);
    const { rows, values } = await readColumn(db, info, c.name);
    const p = profileColumn(values, c.type, { rowCap: ROW_CAP });
    const toRow = (xs: number[]) => xs.map((i) => rows[i]!);
    p.invalid.rows = toRow(p.invalid.rows);
    if (p.outliers) {
      p.outliers.iqr.rows = toRow(p.outliers.iqr.rows);
      if (p.outliers.mad) p.outliers.mad.rows = toRow(p.outliers.mad.rows);
    }
    columns.push({ name: c.name, role: c.role, weight: c.role ? 2 : 1, ...p });
    job.checkCancel();
  }
  job.progress(n, n + 1, 'duplicates');
  const cols = info.columns.map((c) => qid(c.name)).join(', ');
  // counted where the rows are (the typed values: the same on either engine)
  const [[dup = 0] = []] = n ? ((await rowsWhereTheDataIs(db, info, `SELECT coalesce(sum(k - 1), 0) FROM (SELECT count(*) AS k FROM ${qid(info.id)} GROUP BY ${cols} HAVING count(*) > 1) d`)) as number[][]) : [];
  let sw = 0;
  let s = 0;
  for (const c of columns) {
    sw += c.weight;
    s += c.weight * c.quality.score;
  }
  const rowsTotal = info.rowCount;
  const profile: QualityProfile = {
    datasetId: info.id,
    datasetName: info.name,
    rows: rowsTotal,
    score: sw ? Math.round((10 * s) / sw) / 10 : 0,
    duplicateRows: dup,
    rowCap: ROW_CAP,
    columns,
    profiledAt: new Date().toISOString(),
    seconds: (Date.now() - t0) / 1000,
  };
  db.prepare('INSERT OR REPLACE INTO quality_profiles (dataset_id, profile, score, created_at) VALUES (?, ?, ?, ?)').run(info.id, JSON.stringify(profile), profile.score, profile.profiledAt);
  job.progress(n + 1, n + 1, 'done');
  return profile;
}

export function getProfile(db: DB, datasetId: string): QualityProfile | null {
  getDataset(db, datasetId);
  const r = db.prepare('SELECT profile FROM quality_profiles WHERE dataset_id = ?').get(datasetId) as { profile: string } | undefined;
  return r ? (JSON.parse(r.profile) as QualityProfile) : null;
}

export async function problemRows(db: DB, a: { datasetId: string; column: string; problem: ProblemRows['problem']; pattern?: string; limit: number; offset: number }): Promise<ProblemRows> {
  const info = getDataset(db, a.datasetId);
  const col = findColumn(info, a.column);
  const { rows, values } = await readColumn(db, info, a.column);
  const typed = col.type !== 'text' && col.type !== 'category' && col.type !== 'id';
  let idx: number[] = [];
  let total = 0;
  const want = a.offset + a.limit;
  if (a.problem === 'null' || a.problem === 'pattern') {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const missing = v === null || v === undefined || (typeof v === 'string' && (v.trim() === '' || (typed && isMissingValue(v))));
      const hit = a.problem === 'null' ? missing : !missing && patternOf(String(v)) === a.pattern;
      if (hit) {
        total++;
        if (idx.length < want) idx.push(i);
      }
    }
  } else {
    const p = profileColumn(values, col.type, { rowCap: want, topK: 1, patternK: 1 });
    if (a.problem === 'invalid') {
      idx = p.invalid.rows;
      total = p.invalid.count;
    } else {
      const hits = a.problem === 'outlier_iqr' ? p.outliers?.iqr : p.outliers?.mad;
      if (!p.outliers) throw new AppError('no_outliers', `Column "${a.column}" is not numeric or a date: it has no outliers.`, `列“${a.column}”不是数值或日期列，没有离群值。`);
      idx = hits?.rows ?? [];
      total = hits?.count ?? 0;
    }
  }
  const page = idx.slice(a.offset, want);
  const got = await rowsById(db, info, page.map((i) => rows[i]!));
  // Show the value as profiled (raw text where the import could not read the cell).
  const j = got.columns.indexOf(a.column);
  got.rows.forEach((r, k) => (r[j] = values[page[k]!] ?? null));
  return { column: a.column, problem: a.problem, columns: got.columns, rows: got.rows, total, offset: a.offset };
}
