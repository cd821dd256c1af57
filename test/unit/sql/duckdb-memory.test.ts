/**
 * DuckDB out of its memory cap: the analyst reads which setting is theirs (SEGMINT_DUCKDB_MEMORY),
 * in both languages, instead of DuckDB's advice about settings they cannot reach.
 */
import { describe, expect, it } from 'vitest';
import { duckApi, engineError } from '../../../main/db/duckdb';

describe('DuckDB out of memory', () => {
  it('a real out-of-memory error of DuckDB becomes a clear message naming SEGMINT_DUCKDB_MEMORY (zh/en)', async () => {
    const { DuckDBInstance } = duckApi();
    const instance = await DuckDBInstance.create(':memory:', { memory_limit: '8MB', threads: '1' });
    const c = await instance.connect();
    let caught: unknown = null;
    try {
      // a million distinct 32-character texts: far past 8 MB
      await c.run('CREATE TABLE t AS SELECT DISTINCT md5(CAST(i AS VARCHAR)) AS h FROM range(1000000) r(i)');
    } catch (e) {
      caught = e;
    } finally {
      c.closeSync();
      instance.closeSync();
    }
    expect(String((caught as Error)?.message)).toMatch(/^Out of Memory Error/);
    const friendly = engineError(null, caught);
    expect(friendly?.code).toBe('engine.out_of_memory');
    expect(friendly?.message).toContain('SEGMINT_DUCKDB_MEMORY');
    expect(friendly?.zh).toContain('SEGMINT_DUCKDB_MEMORY');
    expect(friendly?.zh).toContain('内存');
    // any other DuckDB error is not called a memory problem
    expect(engineError(null, new Error('Binder Error: column "x" not found'))).toBeNull();
  });
});
