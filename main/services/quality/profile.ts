/**
 * The quality profile of a dataset (a job) and the rows behind each problem count.
 *
 * Each column is profiled where the dataset's rows are, by SQL (./column-sql.ts), with the definitions
 * of main/analysis/quality/profile.ts (`profileColumn`); row lists are `_row` numbers. The dataset score
 * is the documented weighted mean of the column scores (weight 2 for a column with a role, 1 otherwise —
 * the same rule as `profileDataset`); duplicate rows are counted in SQL. The latest profile per dataset
 * is stored in `quality_profiles`.
 *
 * `problemRows` answers "which rows?" for a count of the profile with the same SQL and judgements, so the
 * rows always agree with the profile, and paging is not limited by the stored (capped) row lists.
 */
import type { ProblemRows, QualityProfile } from '../../../shared/api/quality';
import { AppError } from '../../../shared/errors';
import { qid, type DB } from '../../db/open';
import type { JobContext } from '../../jobs/types';
import { getDataset, rowsWhereTheDataIs } from '../datasets';
import { rowsById } from './read';
import { problemRowsSql, profileColumnSql, withColumnRelation } from './column-sql';

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
    // the engine's progress inside a column shows as rows read, under the column's step
    const watch = { progress: (_d: number, _t: number, _p?: string, rows?: number) => job.progress(k, n + 1, c.name, rows), cancelled: () => job.cancelled(), checkCancel: () => job.checkCancel() };
    const p = await withColumnRelation(db, info, c.name, (r) => profileColumnSql(r, { rowCap: ROW_CAP }), watch);
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
  const got = await withColumnRelation(db, info, a.column, (r) => problemRowsSql(r, a));
  if (got === 'no_outliers') throw new AppError('no_outliers', `Column "${a.column}" is not numeric or a date: it has no outliers.`, `列“${a.column}”不是数值或日期列，没有离群值。`);
  const page = await rowsById(db, info, got.rows.map((x) => x.row));
  // Show the value as profiled (raw text where the import could not read the cell).
  const j = page.columns.indexOf(a.column);
  page.rows.forEach((r, k) => (r[j] = got.rows[k]!.value ?? null));
  return { column: a.column, problem: a.problem, columns: page.columns, rows: page.rows, total: got.total, offset: a.offset };
}
