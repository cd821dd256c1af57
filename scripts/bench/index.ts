/** Benchmark runner: `npm run bench [-- section …]`; writes bench-results/bench.json. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sqliteCeiling } from './sqlite';
import { importBench } from './import';
import { segmentsBench } from './segments';
import { duckdbImport, machine, pandasImport, pythonVersions } from './peers';
import { gridBench } from './grid';
import { serveBench, startupBench } from './startup';
import { valueBench } from './value';
import { textBench } from './text';
import { bigdataBench } from './bigdata';
import { smsBench } from './sms';
import { datasets as dedupeSets, evaluate as evaluateDedupe } from '../eval';

const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const wanted = new Set(process.argv.slice(2));
const want = (s: string) => wanted.size === 0 || wanted.has(s);

/** DuckDB and pandas on the same UTF-8 CSV the import section wrote; ratios = Segmint's whole-process time / peer's (vsDuckdbInside: job / DuckDB's load inside its process). */
async function importPeers(dir: string, ours: { utf8: { wallSeconds: number; seconds: number }; duckdbEngine: { wallSeconds: number } }) {
  const csv = path.join(dir, 'bench-utf8.csv');
  console.error('[bench] import peers: DuckDB read_csv, pandas read_csv + to_sql …');
  const duckdb = await duckdbImport(dir, csv);
  const pandas = pandasImport(dir, csv);
  const ratio = (p: { seconds?: number; wallSeconds?: number }) => Math.round((ours.utf8.wallSeconds / (p.wallSeconds ?? p.seconds!)) * 100) / 100;
  // and inside both processes: Segmint's job against DuckDB's load from opening its file to closing it
  const inside = 'peer' in duckdb ? null : Math.round((ours.utf8.seconds / duckdb.seconds) * 100) / 100;
  // the DuckDB engine's import against DuckDB's own load, both whole processes (aim: 1.0)
  const duckEngineVsDuckdb = 'peer' in duckdb ? null : Math.round((ours.duckdbEngine.wallSeconds / duckdb.wallSeconds) * 100) / 100;
  return { duckdb, pandas, segmintWallSeconds: ours.utf8.wallSeconds, segmintJobSeconds: ours.utf8.seconds, vsDuckdb: 'peer' in duckdb ? null : ratio(duckdb), vsDuckdbInside: inside, vsPandas: 'peer' in pandas ? null : ratio(pandas), duckEngineWallSeconds: ours.duckdbEngine.wallSeconds, duckEngineVsDuckdb };
}

async function main() {
  // threads (k-means restarts) start from the build `npm run bench` made, as in the app, not through tsx
  process.env.SEGMINT_BUILT_THREADS ??= path.resolve('dist', 'main');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segmint-bench-'));
  const results: Record<string, unknown> = { machine: machine(), peers: pythonVersions(), rows: N, at: new Date().toISOString() };
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
        results.importPeers = await importPeers(dir, results.import as Parameters<typeof importPeers>[1]);
        save();
        console.error('[bench] grid paging on the imported 1M rows …');
        results.grid = await gridBench(dir, path.join(dir, 'bench-utf8.segmint'));
        save();
      }
    }
    if (want('startup')) {
      console.error('[bench] CLI start-up (datasets list) …');
      results.startup = startupBench(dir);
      save();
      console.error('[bench] app start-up (npm run serve → first screen) …');
      results.serve = await serveBench(dir);
      save();
    }
    if (want('value')) {
      console.error('[bench] BG/NBD on CDNOW master, FP-growth on retail baskets …');
      results.value = valueBench(dir);
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
    if (wanted.has('bigdata')) {
      // Only on request: minutes per size (BENCH_BIGDATA_ROWS=1000000,5000000).
      results.bigdata = await bigdataBench(dir);
      save();
    }
    if (wanted.has('sms')) {
      // Only on request: a send log of BENCH_SMS_ROWS sends (default 1M) through the campaign report.
      results.sms = await smsBench(dir);
      save();
    }
    if (want('segments')) {
      console.error('[bench] k-means on CDNOW RFM and on 1M × 8 …');
      results.segments = await segmentsBench(dir);
      save();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  results.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  save();
  console.log(JSON.stringify(results, null, 2));
}

void main();
