/** Benchmark runner: `npm run bench [-- section …]`; writes bench-results/bench.json. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sqliteCeiling } from './sqlite';
import { importBench } from './import';
import { segmentsBench } from './segments';
import { gridBench } from './grid';
import { valueBench } from './value';
import { textBench } from './text';
import { datasets as dedupeSets, evaluate as evaluateDedupe } from '../eval';

const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const wanted = new Set(process.argv.slice(2));
const want = (s: string) => wanted.size === 0 || wanted.has(s);

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segmint-bench-'));
  const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, rows: N, at: new Date().toISOString() };
  const save = () => {
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/bench.json', JSON.stringify(results, null, 2));
  };
  try {
    if (want('sqlite') || want('import')) {
      console.error(`[bench] SQLite bulk-insert ceiling, ${N} rows …`);
      const stock = await sqliteCeiling(dir, N, 'better-sqlite3');
      const mc = await sqliteCeiling(dir, N, 'better-sqlite3-multiple-ciphers');
      results.sqliteCeiling = { stock, workspaceDriver: mc };
      console.error(`[bench]   ${stock.rowsPerSecond} rows/s (better-sqlite3), ${mc.rowsPerSecond} rows/s (multiple-ciphers)`);
      save();
      if (want('import')) {
        results.import = await importBench(dir, N, mc.rowsPerSecond);
        save();
        console.error('[bench] grid paging on the imported 1M rows …');
        results.grid = await gridBench(dir, path.join(dir, 'bench-utf8.segmint'));
        save();
      }
    }
    if (want('value')) {
      console.error('[bench] BG/NBD on CDNOW master, FP-growth on retail baskets …');
      results.value = valueBench();
      save();
    }
    if (want('text')) {
      console.error('[bench] jieba on FBS, naive Bayes on UCI …');
      results.text = textBench();
      save();
    }
    if (want('dedupe')) {
      // Record linkage quality and speed on the gold-labelled sets (same code as `npm run eval`).
      console.error('[bench] dedupe/link on FEBRL 1, FEBRL 4, restaurants, Cora …');
      results.dedupe = Object.fromEntries(Object.entries(dedupeSets).map(([name, load]) => [name, evaluateDedupe(load()).summary]));
      save();
    }
    if (want('segments')) {
      console.error('[bench] k-means on CDNOW RFM and on 1M × 8 …');
      results.segments = segmentsBench();
      save();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  save();
  console.log(JSON.stringify(results, null, 2));
}

void main();
