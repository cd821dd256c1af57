/**
 * Money summed where the rows are is the same in every run and exact: DuckDB's threads add a group's
 * doubles in whatever order they meet them, so a plain sum() of the same rows could differ in the last
 * bits from run to run (a quarter of the customers at 5M orders). moneySum adds exact decimals: each
 * group's total is the double nearest to its sum in cents, whichever thread order.
 */
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { moneySum } from '../../../main/services/identity/events';
import type { DatasetInfo } from '../../../shared/types';
import { createRng, randInt } from '../../../main/kernel/random';

describe('moneySum', () => {
  it('on DuckDB with two threads over 600k amounts: each group is its exact sum in cents, in three runs', async () => {
    const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
    const c = await inst.connect();
    await c.run('CREATE TABLE t (g INTEGER, amount DOUBLE)');
    const rng = createRng(3);
    const cents = new Map<number, number>();
    const a = await c.createAppender('t');
    for (let i = 0; i < 600_000; i++) {
      const g = randInt(rng, 50);
      const v = 1 + randInt(rng, 1_000_000); // 0.01 … 10,000.00
      cents.set(g, (cents.get(g) ?? 0) + v);
      a.appendInteger(g);
      a.appendDouble(v / 100);
      a.endRow();
    }
    a.closeSync();
    const duck = { engine: 'duckdb' } as DatasetInfo;
    // the general form, and the one sum for a column known to hold no absurd amount with one in every group
    for (const o of [{}, { modest: true, present: true }]) {
      for (let run = 0; run < 3; run++) {
        const rows = (await c.runAndReadAll(`SELECT g, ${moneySum(duck, 'amount', o)} FROM t GROUP BY g`)).getRows() as [number, number][];
        expect(rows.length).toBe(50);
        for (const [g, s] of rows) expect(s).toBe(cents.get(g)! / 100);
      }
    }
    // an absurd amount (the import takes numbers up to 1e308) is added, not a failed cast; no amount is NULL
    await c.run('INSERT INTO t VALUES (50, 1e38), (50, 2.5), (51, NULL)');
    const odd = (await c.runAndReadAll(`SELECT g, ${moneySum(duck, 'amount')} FROM t WHERE g >= 50 GROUP BY g ORDER BY g`)).getRows();
    expect(odd).toEqual([[50, 1e38], [51, null]]);
    c.closeSync();
    inst.closeSync();
    expect(moneySum({ engine: 'sqlite' } as DatasetInfo, 'x')).toBe('sum(x)');
  });
});
