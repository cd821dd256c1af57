/**
 * The raw SQLite bulk-insert ceiling on this machine: the same rows the import benchmark reads,
 * already parsed and typed in memory, inserted with prepared statements in one transaction into
 * the same table layout an import writes (a raw TEXT table + a typed table). Import speed is
 * reported as a share of this ceiling.
 */
import path from 'node:path';
import { rmSync } from 'node:fs';
import { BENCH_HEADER, benchRows } from './data';

type Driver = 'better-sqlite3' | 'better-sqlite3-multiple-ciphers';

export async function sqliteCeiling(dir: string, n: number, driver: Driver): Promise<{ driver: Driver; rows: number; seconds: number; rowsPerSecond: number }> {
  const Database = (await import(driver)).default;
  const file = path.join(dir, `ceiling-${driver}.sqlite`);
  rmSync(file, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  const cols = BENCH_HEADER.map((h) => `"${h}"`);
  db.exec(`CREATE TABLE raw (_row INTEGER PRIMARY KEY, ${cols.map((c) => c + ' TEXT').join(', ')})`);
  const types = ['TEXT', 'TEXT', 'TEXT', 'TEXT', 'TEXT', 'TEXT', 'REAL', 'INTEGER', 'INTEGER', 'TEXT'];
  db.exec(`CREATE TABLE typed (_row INTEGER PRIMARY KEY, ${cols.map((c, i) => c + ' ' + types[i]).join(', ')})`);
  const ph = `(?, ${cols.map(() => '?').join(', ')})`;
  const insRaw = db.prepare(`INSERT INTO raw VALUES ${ph}`);
  const insTyped = db.prepare(`INSERT INTO typed VALUES ${ph}`);
  // Materialize first: the ceiling measures SQLite alone, not row generation.
  const rows: string[][] = [];
  for (const r of benchRows(n)) rows.push(r);
  const typed = rows.map((r) => [r[0], r[1], r[2], `+86${r[3]}`, r[4], r[5], Number(r[6]), Number(r[7]), r[8] === '是' ? 1 : 0, r[9] || null]);
  const t0 = performance.now();
  db.exec('BEGIN');
  for (let i = 0; i < rows.length; i++) {
    insRaw.run(i + 1, ...rows[i]!);
    insTyped.run(i + 1, ...typed[i]!);
  }
  db.exec('COMMIT');
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  return { driver, rows: n, seconds: round(seconds), rowsPerSecond: Math.round(n / seconds) };
}

export const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
