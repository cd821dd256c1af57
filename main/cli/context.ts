/**
 * What a CLI command gets: parsed flags, the app (same services as the desktop app), output
 * helpers that keep stdout clean for --json, and progress on stderr (a bar only on a TTY).
 */
import { createWriteStream, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { ApiArgs, ApiName, ApiResult } from '../../shared/api';
import type { App } from '../app';
import type { JobInfo } from '../../shared/types';
import { UsageError, type ParsedArgs } from './args';
import { resolveDataset } from '../services/datasets';
import { qid } from '../db/open';

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

  /** Write chosen columns of a dataset to --out (when given). */
  exportDataset(id: string, columns: string[]): string | null {
    const rows = this.app.ctx.requireSession().db.prepare(`SELECT ${columns.map(qid).join(', ')} FROM ${qid(id)} ORDER BY _row`).raw(true).all() as unknown[][];
    return this.writeTable(columns, rows);
  }

  /** Write a table to --out: CSV (UTF-8 with BOM, for Excel) unless --format json. Atomic. */
  writeTable(columns: string[], rows: unknown[][], file = this.flag('out')): string | null {
    if (!file) return null;
    const format = this.flag('format') ?? (file.endsWith('.json') ? 'json' : 'csv');
    const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
    if (format === 'json') {
      writeFileSync(tmp, JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null]))), null, 1));
    } else if (format === 'csv') {
      const cell = (v: unknown) => {
        if (v === null || v === undefined) return '';
        const s = String(v);
        return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
      };
      const lines = ['\ufeff' + columns.map(cell).join(','), ...rows.map((r) => r.map(cell).join(','))];
      writeFileSync(tmp, lines.join('\r\n') + '\r\n');
    } else throw new UsageError(`--format must be csv or json`);
    renameSync(tmp, file);
    return path.resolve(file);
  }

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
  booleanFlags?: string[];
  run(c: CliContext): Promise<void>;
}

export { createWriteStream };
