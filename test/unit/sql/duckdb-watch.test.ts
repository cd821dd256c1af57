/**
 * A long DuckDB query under a job's eye (`watchedQuery`): a cancel interrupts the running query, which
 * ends as cancelled, and DuckDB's own row counts reach the job as progress when DuckDB has them. Real
 * DuckDB, a query long enough to be watched (tens of billions of rows to sum), cancelled while it runs.
 */
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { watchedQuery } from '../../../main/db/duckdb';
import { CancelledError } from '../../../shared/errors';

describe('a watched DuckDB query', () => {
  it('stops the running query when the job is cancelled, and reports DuckDB\'s row counts when DuckDB has them', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    const reports: { done: number; total: number; phase?: string }[] = [];
    let polls = 0;
    const watch = {
      progress(done: number, total: number, phase?: string) {
        reports.push({ done, total, phase });
      },
      // the user presses cancel while the query runs: the watcher has polled twice since it started
      cancelled: () => ++polls > 2,
      checkCancel() {
        if (polls > 2) throw new CancelledError();
      },
    };
    const started = performance.now();
    const run = watchedQuery(c, watch, 'duckdb', () => c.runAndReadAll('SELECT sum(i % 7) FROM range(50000000000) t(i)'));
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    // the 50-billion-row sum (minutes on this machine) did not run to its end
    expect(performance.now() - started).toBeLessThan(60_000);
    // DuckDB's progress is -1 until it has figures (under load it may have none before the cancel)
    for (const r of reports) {
      expect(r.phase).toBe('duckdb');
      expect(r.total).toBeGreaterThanOrEqual(50_000_000_000); // DuckDB's own count of what it will read
      expect(r.done).toBeGreaterThanOrEqual(0);
    }
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
