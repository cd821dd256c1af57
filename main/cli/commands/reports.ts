/** `segmint report` — the reports domain. */
import path from 'node:path';
import { UsageError } from '../args';
import type { CliCommand } from '../context';

const report: CliCommand = {
  name: 'report',
  usage: 'segmint report --kind dashboard|segment [--id DATASET|SEGMENTATION] [--lang zh|en] [--no-mask] --out report.html|report.pdf --workspace PATH [--json]',
  summary: 'A self-contained HTML (or PDF) report of the dashboard or a segmentation',
  workspace: 'required',
  booleanFlags: ['no-mask'],
  async run(c) {
    const kind = c.flag('kind') ?? 'dashboard';
    if (kind !== 'dashboard' && kind !== 'segment') throw new UsageError('--kind must be dashboard or segment');
    const out = c.requireFlag('out');
    const format = /\.pdf$/i.test(out) ? 'pdf' : 'html';
    const r = await c.call('reports/write', { kind, id: c.flag('id'), lang: c.lang === 'zh' ? 'zh-CN' : 'en', format, masked: !c.bool('no-mask'), path: path.resolve(out) });
    c.output({ path: r.path, kind: r.kind, format: r.format, bytes: r.bytes, sha256: r.sha256, charts: r.charts, printer: r.printer, auditId: r.auditId }, () => `${r.kind} report (${r.format}, ${r.charts} charts) → ${r.path}`);
  },
};

export const reportsCommands: CliCommand[] = [report];
