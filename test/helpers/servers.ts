// Real database servers on loopback for engine tests: start on a free port, wait by polling, stop in afterAll.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, chmodSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const hasPostgres = () => existsSync(join(PG_BIN, 'initdb'));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as any).port; s.close(() => resolve(p)); });
  });
}

export interface PgServer { port: number; dir: string; psql(sql: string): string; stop(): void }

/** PostgreSQL 15 refuses root: the data dir belongs to the postgres user and the server runs as it. */
export async function startPostgres(): Promise<PgServer> {
  const dir = mkdtempSync(join(tmpdir(), 'segmint-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  execFileSync('chown', ['postgres', dir]);
  const asPg = (cmd: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], { stdio: 'pipe' });
  asPg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres']);
  const port = await freePort();
  asPg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  const psql = (sql: string) => {
    const r = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-At', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  };
  for (let i = 0; i < 600; i++) { // readiness by polling, not a fixed sleep
    if (spawnSync(join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]).status === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port, dir, psql,
    stop() { try { asPg('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']); } finally { rmSync(dir, { recursive: true, force: true }); } },
  };
}

export const hasClickHouse = () => existsSync('/usr/sbin/clickhouse-server') || existsSync('/usr/bin/clickhouse-server');

export interface ChServer { http: number; tcp: number; dir: string; query(sql: string, body?: string): Promise<string>; stop(): void }

/**
 * ClickHouse (Debian's 18.16) as a throwaway instance: its own data/tmp dirs, free loopback ports, UTC (toDateTime
 * parses in the server's zone), readiness polled over HTTP. Several instances act as the shards of a remote() query.
 */
export async function startClickHouse(): Promise<ChServer> {
  const dir = mkdtempSync(join(tmpdir(), 'segmint-ch-'));
  for (const d of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, d));
  const [http, tcp, inter] = [await freePort(), await freePort(), await freePort()];
  const proc = spawn('clickhouse-server', ['--config-file=/etc/clickhouse-server/config.xml', '--',
    `--path=${dir}/data/`, `--tmp_path=${dir}/tmp/`, `--user_files_path=${dir}/user_files/`, `--format_schema_path=${dir}/format_schemas/`,
    `--http_port=${http}`, `--tcp_port=${tcp}`, `--interserver_http_port=${inter}`, '--listen_host=127.0.0.1',
    `--logger.log=${dir}/log`, `--logger.errorlog=${dir}/err`], { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
  const query = async (sql: string, body?: string) => {
    const url = `http://127.0.0.1:${http}/?query=${encodeURIComponent(sql)}`;
    const r = await fetch(url, { method: 'POST', body: body ?? '' });
    const text = await r.text();
    if (!r.ok) throw new Error(text);
    return text;
  };
  let ready = false;
  for (let i = 0; i < 600 && !ready; i++) { // readiness by polling, not a fixed sleep
    if (proc.exitCode !== null) throw new Error(`clickhouse-server exited (${proc.exitCode}); log in ${dir}`);
    try { ready = (await query('SELECT 1')).trim() === '1'; } catch { /* not up yet */ }
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) { proc.kill('SIGKILL'); throw new Error(`clickhouse-server did not answer on port ${http}; log in ${dir}`); }
  return {
    http, tcp, dir, query,
    stop() { proc.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); },
  };
}
