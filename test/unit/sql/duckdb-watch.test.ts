/**
 * A long DuckDB query under a job's eye (`watchedQuery`): DuckDB's own row counts reach the job as
 * progress, and a cancel interrupts the running query, which ends as cancelled. Real DuckDB, a query
 * long enough to be watched (tens of billions of rows to sum), stopped at its first progress report.
 */
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { watchedQuery } from '../../../main/db/duckdb';
import { CancelledError } from '../../../shared/errors';

describe('a watched DuckDB query', () => {
  it('reports DuckDB\'s rows processed as progress and stops when the job is cancelled', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    const reports: { done: number; total: number; phase?: string }[] = [];
    let cancel = false;
    const watch = {
      progress(done: number, total: number, phase?: string) {
        reports.push({ done, total, phase });
        cancel = true; // the user presses cancel once the first figures show
      },
      cancelled: () => cancel,
      checkCancel() {
        if (cancel) throw new CancelledError();
      },
    };
    const started = performance.now();
    const run = watchedQuery(c, watch, 'duckdb', () => c.runAndReadAll('SELECT sum(i % 7) FROM range(50000000000) t(i)'));
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports[0]!.phase).toBe('duckdb');
    expect(reports[0]!.total).toBeGreaterThanOrEqual(50_000_000_000); // DuckDB's own count of what it will read
    expect(reports[0]!.done).toBeGreaterThanOrEqual(0);
    // the 50-billion-row sum (minutes on this machine) did not run to its end
    expect(performance.now() - started).toBeLessThan(60_000);
    // and the connection is usable afterwards
    expect(Number((await c.runAndReadAll('SELECT 42')).getRows()[0]![0])).toBe(42);
    c.closeSync();
    inst.closeSync();
  });

  it('without a job it just runs the query', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    const r = await watchedQuery(c, undefined, 'duckdb', () => c.runAndReadAll('SELECT sum(i) FROM range(1000) t(i)'));
    expect(Number(r.getRows()[0]![0])).toBe(499500);
    c.closeSync();
    inst.closeSync();
  });
});
