/**
 * What a CLI command gets: parsed flags, the app (same services as the desktop app), output
 * helpers that keep stdout clean for --json, and progress on stderr (a bar only on a TTY).
 */
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { ApiArgs, ApiName, ApiResult, JobKind, JobResult } from '../../shared/api';
import type { App } from '../app';
import type { JobInfo } from '../../shared/types';
import type { JobDomain } from '../jobs/kinds';
import { UsageError, type ParsedArgs } from './args';
import { getDataset, resolveDataset, streamRowsWhereTheDataIs } from '../services/datasets';
import { qid } from '../db/open';
import { audit } from '../services/audit/index';

export class CliContext {
  constructor(
    readonly app: App,
    readonly args: ParsedArgs,
    readonly lang: 'zh' | 'en',
  ) {}

  get json(): boolean {
    return this.args.flags.get('json') === true;
  }

  flag(name: string): string | undefined {
    const v = this.args.flags.get(name);
    if (v === true) throw new UsageError(`--${name} needs a value`);
    return v;
  }

  requireFlag(name: string): string {
    const v = this.flag(name);
    if (v === undefined) throw new UsageError(`--${name} is required`);
    return v;
  }

  bool(name: string): boolean {
    return this.args.flags.get(name) === true;
  }

  /** Call the contract exactly as the renderer does; AppErrors surface as user errors. */
  async call<K extends ApiName>(name: K, args: ApiArgs<K>): Promise<ApiResult<K>> {
    const reply = await this.app.dispatch(name, args);
    if (!reply.ok) throw new AppError(reply.error.code, reply.error.en, reply.error.zh, reply.error.details);
    return reply.result as ApiResult<K>;
  }

  log(msg: string): void {
    process.stderr.write(msg + '\n');
  }

  /** Wait for a job of the kind given and return its result, typed from the contract (the one place the worker's answer is trusted to be it). */
  async jobResult<K extends JobKind>(kind: K, jobId: string): Promise<JobResult<K>> {
    const info = await this.waitJob(jobId);
    if (info.kind !== kind) throw new AppError('internal', `Job ${jobId} is a ${info.kind} job, not ${kind}.`, `任务 ${jobId} 的类型是 ${info.kind}，不是 ${kind}。`);
    return info.result as JobResult<K>;
  }

  /** Wait for a job, drawing progress on stderr. Fails with the job's own error. */
  async waitJob(jobId: string): Promise<JobInfo> {
    const tty = process.stderr.isTTY;
    // SEGMINT_PROGRESS=lines: one "progress <fraction>" line per update on stderr (for scripts and tests).
    const lines = process.env.SEGMINT_PROGRESS === 'lines';
    const off = this.app.ctx.onEvent((name, payload) => {
      const j = payload as JobInfo;
      if (name !== 'job/progress' || j.id !== jobId) return;
      if (lines && j.total > 0) process.stderr.write(`progress ${(j.done / j.total).toFixed(3)} ${j.phase}\n`);
      if (!tty) return;
      const pct = j.total > 0 ? Math.min(100, Math.floor((100 * j.done) / j.total)) : 0;
      const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
      process.stderr.write(`\r[${bar}] ${String(pct).padStart(3)}% ${j.phase}${j.etaSeconds != null ? ` ETA ${j.etaSeconds}s` : ''}   `);
    });
    const info = await this.app.ctx.jobs.wait(jobId);
    off();
    if (tty) process.stderr.write('\r' + ' '.repeat(70) + '\r');
    if (info.status === 'failed' && info.error) throw new AppError(info.error.code, info.error.en, info.error.zh);
    if (info.status === 'cancelled') throw new AppError('cancelled', 'The job was cancelled.', '任务已取消。');
    return info;
  }

  /** The --dataset flag (id or name) resolved against the open workspace. */
  dataset(): string {
    return resolveDataset(this.app.ctx.requireSession().db, this.requireFlag('dataset')).id;
  }

  /** Write chosen columns of a dataset to --out (when given), streamed from SQLite. */
  async exportDataset(id: string, wanted: string[]): Promise<string | null> {
    if (!this.flag('out')) return null;
    // Per-customer outputs name each customer by the identity layer's key, primary member id and canonical phone.
    const db = this.app.ctx.requireSession().db;
    const info = getDataset(db, id);
    const has = new Set(info.columns.map((c) => c.name));
    const naming = wanted.includes('customer_id') ? ['member_id', 'phone'].filter((c) => has.has(c) && !wanted.includes(c)) : [];
    const columns = wanted.flatMap((c) => (c === 'customer_id' ? [c, ...naming] : [c]));
    // from the engine that holds the rows (an RFM of a DuckDB dataset is kept in DuckDB)
    return this.writeTable(columns, streamRowsWhereTheDataIs(db, info, `SELECT ${columns.map(qid).join(', ')} FROM ${qid(id)} ORDER BY _row`));
  }

  /**
   * Write a table to --out through the one export writer (main/export/write.ts): atomic, formula
   * triggers neutralised, CSV (UTF-8 with BOM, for Excel) or .xlsx by extension or --format,
   * columns masked by --mask (column names or kinds: phone, name, email, id_number, address),
   * and an audit entry with the SHA-256 of the written file.
   */
  async writeTable(columns: string[], rows: Iterable<unknown[]> | AsyncIterable<unknown[]>, file = this.flag('out')): Promise<string | null> {
    if (!file) return null;
    const format = this.flag('format') ?? (/\.xlsx$/i.test(file) ? 'xlsx' : 'csv');
    if (format !== 'csv' && format !== 'xlsx') throw new UsageError('--format must be csv or xlsx');
    // The export writer (xlsx, encodings) and the PII detector load when a command writes a file (CLI start-up).
    const [{ writeTable: writeExport }, { detectPiiKind }] = await Promise.all([import('../export/write'), import('../privacy/masks')]);
    const maskWords = (this.flag('mask') ?? '').split(',').map((w) => w.trim()).filter(Boolean);
    // Kinds come from the column name and the first rows' values; arrays are small or already streamed past.
    const buffered = Array.isArray(rows) ? rows : null;
    const masked: string[] = [];
    for (const w of maskWords) {
      const hit = columns.filter((c, j) => c === w || detectPiiKind(c, null, (buffered ?? []).slice(0, 50).map((r) => r[j])) === w);
      if (!hit.length) throw new AppError('cli.mask_no_column', `--mask ${w}: no column has that name or kind of personal data. Columns: ${columns.join(', ')}.`, `--mask ${w}：没有该名称或个人信息类型的列。现有列：${columns.join('、')}。`);
      for (const c of hit) if (!masked.includes(c)) masked.push(c);
    }
    const ordered = columns.filter((c) => masked.includes(c));
    const w = await writeExport({ path: path.resolve(file), columns, rows, format, protect: ordered.map((column) => ({ column, protect: 'mask' as const })) });
    const s = this.app.ctx.session;
    if (s) audit(s.db, 'export', { objectType: 'cli', objectId: this.commandName, rows: w.rows, details: { command: this.commandName, path: w.path, format: w.format, bytes: w.bytes, sha256: w.sha256, masked: ordered } });
    return w.path;
  }

  /** The command's name (e.g. 'query', 'sms report'), for the audit log; set by main/cli/index.ts. */
  commandName = '';

  /** The one JSON object on stdout (with --json), or a human summary. */
  output(result: Record<string, unknown>, human: () => string): void {
    if (this.json) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(human() + '\n');
  }
}

export interface CliCommand {
  /** e.g. 'workspace create' */
  name: string;
  usage: string;
  summary: string;
  /** Whether it needs --workspace (opened before run). */
  workspace: 'required' | 'none';
  /** The domain of the job it runs: its job thread is started with the command, to load that domain's jobs while the workspace opens. */
  runsJob?: JobDomain;
  booleanFlags?: string[];
  run(c: CliContext): Promise<void>;
}

