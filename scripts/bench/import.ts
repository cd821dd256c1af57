/**
 * Import benchmark: the seeded 1M-row CSV (UTF-8, then the same data as GBK) imported by the
 * real CLI (`dist/main/cli.mjs import`, worker job and all), and the UTF-8 file into the DuckDB
 * engine (`--engine duckdb`). Peak RSS is the process's VmHWM,
 * read from /proc while it runs.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { BENCH_HEADER, benchRows } from './data';
import { round } from './sqlite';

export async function writeCsv(file: string, n: number, encoding: 'utf-8' | 'gbk'): Promise<number> {
  const out = createWriteStream(file);
  const enc = (s: string) => (encoding === 'gbk' ? iconv.encode(s, 'gbk') : Buffer.from(s, 'utf8'));
  let buf = BENCH_HEADER.join(',') + '\n';
  for (const r of benchRows(n)) {
    buf += r.join(',') + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(enc(buf))) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(enc(buf));
  await new Promise<void>((res) => out.end(() => res()));
  return statSync(file).size;
}

function peakRssOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs the built CLI as a child process; peak RSS is its VmHWM polled from /proc while it runs. */
export function execCli(dir: string, args: string[]): Promise<{ code: number; out: string; peak: number; wallSeconds: number }> {
  const env = { ...process.env, SEGMINT_HOME: dir };
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['dist/main/cli.mjs', ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, peakRssOf(child.pid!))), 25);
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code: code ?? 1, out, peak, wallSeconds: (performance.now() - t0) / 1000 });
    });
  });
}

async function runImport(dir: string, file: string, tag: string, extra: string[] = []): Promise<{ seconds: number; rowsImported: number; rowsQuarantined: number; peakRssMB: number; encoding: string }> {
  const ws = path.join(dir, `bench-${tag}.segmint`);
  const exec = (args: string[]) => execCli(dir, args);
  await exec(['workspace', 'create', ws]);
  const r = await exec(['import', file, ...extra, '--workspace', ws, '--json']);
  const wall = r.wallSeconds;
  if (r.code !== 0) throw new Error(`import failed: ${r.out}`);
  const j = JSON.parse(r.out) as { rowsImported: number; rowsQuarantined: number; seconds: number; encoding: string };
  return { seconds: round(j.seconds), rowsImported: j.rowsImported, rowsQuarantined: j.rowsQuarantined, peakRssMB: Math.round(r.peak / 2 ** 20), encoding: j.encoding, wallSeconds: round(wall) } as never;
}

export async function importBench(dir: string, n: number, ceilingRowsPerSecond: number) {
  const utf8 = path.join(dir, 'bench-utf8.csv');
  const gbk = path.join(dir, 'bench-gbk.csv');
  console.error('[bench] writing the seeded CSVs …');
  const utf8Bytes = await writeCsv(utf8, n, 'utf-8');
  const gbkBytes = await writeCsv(gbk, n, 'gbk');
  console.error(`[bench] importing ${utf8Bytes} bytes (UTF-8) …`);
  const a = await runImport(dir, utf8, 'utf8');
  console.error(`[bench] importing ${gbkBytes} bytes (GBK) …`);
  const b = await runImport(dir, gbk, 'gbk');
  // the same UTF-8 file into the DuckDB engine (issue #21: at DuckDB's own speed there); its file has a name column, so
  // it counts as a CRM list and its person copy for the identity is written too
  console.error(`[bench] importing ${utf8Bytes} bytes (UTF-8) into the DuckDB engine …`);
  const d = await runImport(dir, utf8, 'duckdb-engine', ['--engine', 'duckdb']);
  const rpsA = Math.round(a.rowsImported / a.seconds);
  const rpsB = Math.round(b.rowsImported / b.seconds);
  return {
    utf8: { bytes: utf8Bytes, ...a, rowsPerSecond: rpsA, mbPerSecond: round(utf8Bytes / 2 ** 20 / a.seconds, 1) },
    gbk: { bytes: gbkBytes, ...b, rowsPerSecond: rpsB, mbPerSecond: round(gbkBytes / 2 ** 20 / b.seconds, 1) },
    duckdbEngine: { bytes: utf8Bytes, ...d, rowsPerSecond: Math.round(d.rowsImported / d.seconds) },
    shareOfSqliteCeiling: round(rpsA / ceilingRowsPerSecond),
    gbkVsUtf8Speed: round(rpsB / rpsA),
    aims: { shareOfSqliteCeiling: 0.8, peakRssMB: 400, gbkVsUtf8Speed: 0.8 },
  };
}
