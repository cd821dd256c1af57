/**
 * The peers `npm run bench` measures beside Segmint in the same run, on the same inputs: scikit-learn,
 * SciPy and pandas through Debian's python3 (scripts/bench/peers.py), DuckDB through @duckdb/node-api.
 * A peer that is not installed gives { peer: 'not installed', … } and the section still runs ours.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PEERS_PY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peers.py');
// Debian's interpreter first: that is where apt puts python3-sklearn / -scipy / -pandas.
const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => p === 'python3' || existsSync(p))!;

export interface NotInstalled {
  peer: 'not installed';
  needs: string;
}

export function machine() {
  return { cpu: os.cpus()[0]?.model, cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100), memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

function python<T>(task: string, args: unknown, needs: string): T | NotInstalled {
  const r = spawnSync(PYTHON, [PEERS_PY, task, JSON.stringify(args)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) {
    if (/ModuleNotFoundError|ImportError|ENOENT/.test(String(r.stderr) + String(r.error ?? ''))) return { peer: 'not installed', needs };
    throw new Error(`peer ${task} failed: ${r.stderr}`);
  }
  return JSON.parse(r.stdout) as T;
}

export function pythonVersions() {
  return python<Record<string, string | null>>('versions', {}, 'python3');
}

function writeF64(dir: string, name: string, data: Float64Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return file;
}

export function sklearnKMeans(dir: string, X: Float64Array, n: number, d: number, k: number, nInit: number) {
  const file = writeF64(dir, `kmeans-${n}x${d}.f64`, X);
  try {
    return python<{ seconds: number; cpuSeconds: number; inertia: number; iterations: number; sizes: number[] }>('kmeans', { file, n, d, k, nInit, seed: 0 }, 'apt-get install python3-sklearn');
  } finally {
    rmSync(file, { force: true });
  }
}

export function scipyBgNbd(dir: string, x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>) {
  const n = x.length;
  const v = new Float64Array(3 * n);
  v.set(Array.from(x), 0);
  v.set(Array.from(tx), n);
  v.set(Array.from(T), 2 * n);
  const file = writeF64(dir, 'bgnbd.f64', v);
  try {
    return python<{ seconds: number; cpuSeconds: number; r: number; alpha: number; a: number; b: number; logLikelihood: number; iterations: number; converged: boolean }>('bgnbd', { file, n }, 'apt-get install python3-scipy');
  } finally {
    rmSync(file, { force: true });
  }
}

export function sklearnLogistic(dir: string, X: Float64Array, y: Float64Array, n: number, p: number, lambda: number) {
  const file = writeF64(dir, 'logistic-X.f64', X);
  const labels = writeF64(dir, 'logistic-y.f64', y);
  try {
    return python<{ seconds: number; cpuSeconds: number; objective: number; logLoss: number; iterations: number }>('logistic', { file, labels, n, p, lambda }, 'apt-get install python3-sklearn');
  } finally {
    rmSync(file, { force: true });
    rmSync(labels, { force: true });
  }
}

/** pandas read_csv + to_sql into SQLite, timed as a whole process (like Segmint's CLI import) and inside. */
export function pandasImport(dir: string, csv: string) {
  const db = path.join(dir, 'pandas.sqlite');
  rmSync(db, { force: true });
  const t0 = performance.now();
  const r = python<{ seconds: number; readSeconds: number; toSqlSeconds: number; rows: number }>('pandas-import', { csv, db }, 'apt-get install python3-pandas');
  const wallSeconds = (performance.now() - t0) / 1000;
  rmSync(db, { force: true });
  return 'peer' in r ? r : { ...r, wallSeconds };
}

/**
 * DuckDB's CSV reader into a DuckDB file (its own engine), timed as a whole process (a child: node,
 * the package, the load, closing the file), as pandas and Segmint's CLI import are, and inside
 * (`seconds`: from opening DuckDB to closing it). Until 2026-12-07 only the inside was timed and
 * set against Segmint's whole process, which counted DuckDB's start-up (0.3–0.4 s) as Segmint's.
 */
export async function duckdbImport(dir: string, csv: string): Promise<{ seconds: number; wallSeconds: number; peakRssMB: number; rows: number; version: string } | NotInstalled> {
  const db = path.join(dir, 'duck.duckdb');
  rmSync(db, { force: true });
  const r = await duckdbChild<{ rows: number; version: string }>(
    `await con.run(${JSON.stringify(`CREATE TABLE orders AS SELECT * FROM read_csv(${sqlString(csv)})`)});
    const rows = Number((await con.runAndReadAll('SELECT count(*) FROM orders')).getRows()[0][0]);
    const version = String((await con.runAndReadAll('SELECT version()')).getRows()[0][0]);
    con.closeSync();
    inst.closeSync();
    return { rows, version };`,
    db,
  );
  rmSync(db, { force: true });
  return 'peer' in r ? { peer: 'not installed', needs: 'npm install @duckdb/node-api' } : r;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * DuckDB in a child process (its own RSS), in memory or on `database`: `body` is the code of an async
 * function that uses `con` (a connection; `inst`, its instance) and returns the figures; seconds (from
 * opening DuckDB to the body's end), the whole process's wall time and peak RSS are added.
 */
export function duckdbChild<T>(body: string, database = ':memory:'): Promise<(T & { seconds: number; wallSeconds: number; peakRssMB: number }) | { peer: string }> {
  const script = `
    const duck = await import('@duckdb/node-api');
    const t0 = performance.now();
    const inst = await duck.DuckDBInstance.create(${JSON.stringify(database)});
    const con = await inst.connect();
    const out = await (async () => { ${body} })();
    const m = /VmHWM:\\s+(\\d+) kB/.exec((await import('node:fs')).readFileSync('/proc/self/status', 'utf8'));
    console.log(JSON.stringify({ ...out, seconds: (performance.now() - t0) / 1000, peakRssMB: Math.round(Number(m[1]) / 1024) }));`;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    // wallSeconds: the whole process (node, the package, the work), as Segmint's CLI steps are timed
    child.on('exit', (code) => resolve(code === 0 ? { ...JSON.parse(out), wallSeconds: (performance.now() - t0) / 1000 } : { peer: 'duckdb failed' }));
  });
}
