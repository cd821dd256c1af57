/**
 * Self-contained reports: one HTML file with inline CSS and charts rendered on the server as SVG
 * by ECharts' server-side renderer (`echarts.init(null, null, {renderer: 'svg', ssr: true})` →
 * `renderToSVGString()`), in Chinese or English; no script, no font or image fetched from
 * anywhere, so it opens offline and mails as one attachment. PDF: printed from that HTML — in
 * the desktop app by Electron (`webContents.printToPDF`, registered with `setPdfPrinter` in
 * main/electron.ts), elsewhere (browser mode, CLI) by a Chromium found on the machine
 * (`--headless --print-to-pdf`; SEGMINT_CHROMIUM, else chromium / chromium-browser /
 * google-chrome on the PATH); without either, a clear error. The packaged app never relies on
 * a system Chromium.
 *
 * Data: the dashboard report reuses main/services/dashboard/summary.ts, the segment report
 * main/services/segments/explore.ts. `masked` (default on) masks the customer keys shown as
 * member samples.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as echarts from 'echarts';
import { AppError } from '../../../shared/errors';
import type { DashboardSummary } from '../../../shared/api/dashboard';
import type { ExploreResult } from '../../../shared/api/segments';
import type { DB } from '../../db/open';
import { detectPiiKind, maskValue } from '../../privacy/masks';
import { audit } from '../audit/index';
import { dashboardSummary } from '../dashboard/summary';
import { listDatasets, getDataset } from '../datasets';
import { explore } from '../segments/explore';
import { listSegmentations } from '../segments/store';
import { segmentMembers } from '../segments/membership';
import { roleColumn } from '../datasets/index';
import type { Target } from '../files';

type Lang = 'zh-CN' | 'en';

const S = {
  'zh-CN': {
    dashTitle: '经营概览报告', segTitle: '客户分群报告', generated: '生成时间', workspace: '工作区', dataset: '数据集', period: '统计期', previous: '对比期',
    customers: '客户数', active: '活跃客户（近90天）', revenue: '销售额', orders: '订单数', aov: '客单价', repeat: '复购率', change: '环比',
    monthly: '月度销售额', byChannel: '各渠道销售额', byRegion: '各地区销售额（前15）', heat: '下单时段（星期 × 小时）', bySegment: '各分群销售额',
    sizes: '分群规模', profile: '分群画像（均值）', zscore: '分群特征 z 分数', segment: '分群', size: '人数', share: '占比', samples: '成员示例',
    masked: '个人信息已脱敏', unmasked: '未脱敏：含个人信息，请妥善保管', weekdays: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'], footer: 'Segmint 离线生成 · 本文件不含外部链接',
    segmentation: '分群方案', kind: '类型', asOf: '截至',
  },
  en: {
    dashTitle: 'Business overview', segTitle: 'Customer segments', generated: 'Generated', workspace: 'Workspace', dataset: 'Dataset', period: 'Period', previous: 'Compared with',
    customers: 'Customers', active: 'Active (last 90 days)', revenue: 'Revenue', orders: 'Orders', aov: 'Average order value', repeat: 'Repeat rate', change: 'vs previous',
    monthly: 'Monthly revenue', byChannel: 'Revenue by channel', byRegion: 'Revenue by region (top 15)', heat: 'Orders by weekday × hour', bySegment: 'Revenue by segment',
    sizes: 'Segment sizes', profile: 'Segment profiles (means)', zscore: 'Feature z-scores by segment', segment: 'Segment', size: 'Customers', share: 'Share', samples: 'Sample members',
    masked: 'Personal data masked', unmasked: 'Not masked: contains personal data', weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], footer: 'Made offline by Segmint · no external links in this file',
    segmentation: 'Segmentation', kind: 'Kind', asOf: 'As of',
  },
};

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#e16f24', '#6e7781', '#d63384', '#0a9396'];
const FONT = '"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif';

/** One chart as inline SVG (namespace attributes dropped: HTML needs none, and no URL remains). */
export function svgChart(option: echarts.EChartsCoreOption, width = 760, height = 320): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: { fontFamily: FONT }, ...option });
    return chart
      .renderToSVGString()
      .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
      .replace(/\s+(baseProfile|version)="[^"]*"/g, '');
  } finally {
    chart.dispose();
  }
}

const fmt = (lang: Lang, v: number, digits = 0) => v.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

const CSS = `
*{box-sizing:border-box}body{font-family:${FONT};color:#1f2328;margin:0;background:#fff;font-size:13px}
main{max-width:820px;margin:0 auto;padding:28px 24px}h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:26px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#59636e;margin:0 0 14px}.badge{display:inline-block;padding:1px 8px;border-radius:10px;background:#dafbe1;color:#1a7f37;font-size:12px}.badge.warn{background:#fff1e5;color:#bc4c00}
.kpis{display:grid;grid-template-columns:repeat(3,1fr);gap:10px}.kpi{border:1px solid #d0d7de;border-radius:6px;padding:10px 12px}.kpi b{display:block;font-size:20px;margin-top:2px}.kpi small{color:#59636e}
.up{color:#1a7f37}.down{color:#cf222e}table{border-collapse:collapse;width:100%;margin:6px 0;font-size:12px}th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:right}th:first-child,td:first-child{text-align:left;white-space:nowrap}th{background:#f6f8fa}
figure{margin:8px 0;page-break-inside:avoid}figcaption{font-weight:600;margin-bottom:4px}footer{color:#8c959f;margin-top:28px;font-size:11px}svg{max-width:100%;height:auto}
@page{size:A4;margin:14mm}`;

function page(lang: Lang, title: string, meta: string[], masked: boolean, body: string): string {
  const s = S[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head>
<body><main><h1>${esc(title)}</h1><p class="meta">${meta.map(esc).join(' · ')} <span class="badge${masked ? '' : ' warn'}">${esc(masked ? s.masked : s.unmasked)}</span></p>
${body}
<footer>${esc(s.footer)}</footer></main></body></html>
`;
}

function fig(caption: string, svg: string): string {
  return `<figure><figcaption>${esc(caption)}</figcaption>${svg}</figure>`;
}

function table(head: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const barOption = (labels: string[], values: number[], horizontal = false) => ({
  grid: { left: horizontal ? 110 : 60, right: 20, top: 16, bottom: 40 },
  [horizontal ? 'yAxis' : 'xAxis']: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: horizontal || labels.length < 8 ? 0 : 30 } },
  [horizontal ? 'xAxis' : 'yAxis']: { type: 'value' },
  series: [{ type: 'bar', data: values, label: { show: labels.length <= 12, position: horizontal ? 'right' : 'top' } }],
});

function isTransactions(db: DB, id: string): boolean {
  const info = getDataset(db, id);
  return !!roleColumn(info, 'customer_id', 'phone', 'email') && !!roleColumn(info, 'timestamp') && (!!roleColumn(info, 'amount') || (!!roleColumn(info, 'quantity') && !!roleColumn(info, 'unit_price')));
}

export interface ReportHtml {
  html: string;
  charts: number;
  title: string;
  objectId: string;
}

export async function dashboardReport(db: DB, a: { id?: string; lang: Lang; masked: boolean; workspace: string }): Promise<ReportHtml> {
  const s = S[a.lang];
  const id = a.id ?? listDatasets(db).find((d) => isTransactions(db, d.id))?.id;
  if (!id) throw new AppError('privacy.no_transactions', 'No dataset has customer, time and amount columns for a dashboard report.', '没有包含客户、时间和金额列的数据集，无法生成经营概览报告。');
  const info = getDataset(db, id);
  const d: DashboardSummary = await dashboardSummary(db, { datasetId: id });
  const change = (cur: number, prev: number) => {
    if (!prev) return '';
    const c = (cur - prev) / Math.abs(prev);
    return `<small class="${c >= 0 ? 'up' : 'down'}">${s.change} ${c >= 0 ? '+' : ''}${(c * 100).toFixed(1)}%</small>`;
  };
  const k = d.kpis;
  const p = d.previousKpis;
  const kpi = (label: string, v: string, cur: number, prev: number) => `<div class="kpi"><small>${esc(label)}</small><b>${esc(v)}</b>${change(cur, prev)}</div>`;
  const charts: string[] = [];
  charts.push(fig(s.monthly, svgChart({ grid: { left: 70, right: 20, top: 16, bottom: 40 }, xAxis: { type: 'category', data: d.monthly.map((m) => m.month) }, yAxis: { type: 'value' }, series: [{ type: 'line', data: d.monthly.map((m) => Math.round(m.revenue)), areaStyle: { opacity: 0.15 }, symbolSize: 5 }] })));
  if (d.byChannel?.length) charts.push(fig(s.byChannel, svgChart(barOption(d.byChannel.map((c) => c.key), d.byChannel.map((c) => Math.round(c.revenue))), 760, 280)));
  if (d.byRegion?.length) {
    const top = d.byRegion.slice(0, 15).reverse();
    charts.push(fig(s.byRegion, svgChart(barOption(top.map((c) => c.key), top.map((c) => Math.round(c.revenue)), true), 760, 24 * top.length + 60)));
  }
  if (d.bySegment?.length) charts.push(fig(s.bySegment, svgChart(barOption(d.bySegment.map((c) => c.name), d.bySegment.map((c) => Math.round(c.revenue))), 760, 280)));
  if (d.heatmap.length) {
    const max = Math.max(...d.heatmap.map((h) => h.orders));
    charts.push(
      fig(
        s.heat,
        svgChart(
          {
            grid: { left: 50, right: 20, top: 10, bottom: 60 },
            xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)) },
            yAxis: { type: 'category', data: s.weekdays },
            visualMap: { min: 0, max, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 160, calculable: false, inRange: { color: ['#f6f8fa', '#1f6feb'] } },
            series: [{ type: 'heatmap', data: d.heatmap.map((h) => [h.hour, h.weekday, h.orders]) }],
          },
          760,
          300,
        ),
      ),
    );
  }
  const body = `<div class="kpis">${[
    kpi(s.customers, fmt(a.lang, k.customers), k.customers, p.customers),
    kpi(s.active, fmt(a.lang, k.activeCustomers), k.activeCustomers, p.activeCustomers),
    kpi(s.revenue, fmt(a.lang, k.revenue, 2), k.revenue, p.revenue),
    kpi(s.orders, fmt(a.lang, k.orders), k.orders, p.orders),
    kpi(s.aov, fmt(a.lang, k.aov, 2), k.aov, p.aov),
    kpi(s.repeat, pct(k.repeatRate), k.repeatRate, p.repeatRate),
  ].join('')}</div>
<h2>${esc(s.monthly)}</h2>${charts.join('\n')}`;
  const meta = [`${s.workspace}: ${a.workspace}`, `${s.dataset}: ${info.name}`, `${s.period}: ${d.period.from} – ${d.period.to}`, `${s.previous}: ${d.previous.from} – ${d.previous.to}`, `${s.generated}: ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`];
  return { html: page(a.lang, s.dashTitle, meta, a.masked, body), charts: charts.length, title: s.dashTitle, objectId: id };
}

export async function segmentReport(db: DB, a: { id?: string; lang: Lang; masked: boolean; workspace: string }): Promise<ReportHtml> {
  const s = S[a.lang];
  const segId = a.id ?? listSegmentations(db)[0]?.id;
  if (!segId) throw new AppError('privacy.no_segmentation', 'There is no saved segmentation to report on; run RFM, k-means or a rule segment first.', '还没有已保存的分群方案，请先运行 RFM、k-means 或规则分群。');
  const ex: ExploreResult = await explore(db, segId);
  const seg = ex.segmentation;
  const en = a.lang === 'en';
  const nameOf = (key: string) => {
    const x = seg.segments.find((g) => g.key === key);
    return (en ? x?.nameEn : null) ?? x?.name ?? key;
  };
  const charts: string[] = [];
  const sizes = seg.segments.map((g) => ({ name: (en ? g.nameEn : null) ?? g.name, size: g.size, color: g.color ?? undefined }));
  charts.push(fig(s.sizes, svgChart({ grid: { left: 150, right: 50, top: 10, bottom: 30 }, yAxis: { type: 'category', data: sizes.map((x) => x.name).reverse() }, xAxis: { type: 'value' }, series: [{ type: 'bar', data: sizes.map((x) => ({ value: x.size, itemStyle: { color: x.color } })).reverse(), label: { show: true, position: 'right' } }] }, 760, 28 * sizes.length + 50)));
  if (ex.features.length && ex.profiles.length) {
    const data: [number, number, number][] = [];
    ex.profiles.forEach((pr, i) => ex.features.forEach((_, j) => data.push([j, i, Math.round((ex.zscores[i]?.[j] ?? 0) * 100) / 100])));
    charts.push(
      fig(
        s.zscore,
        svgChart(
          {
            grid: { left: 150, right: 20, top: 10, bottom: 70 },
            xAxis: { type: 'category', data: ex.features, axisLabel: { interval: 0, rotate: ex.features.length > 6 ? 30 : 0 } },
            yAxis: { type: 'category', data: ex.profiles.map((pr) => nameOf(pr.key)) },
            visualMap: { min: -2, max: 2, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 160, inRange: { color: ['#cf222e', '#f6f8fa', '#1f6feb'] } },
            series: [{ type: 'heatmap', data, label: { show: ex.features.length <= 8, fontSize: 10 } }],
          },
          760,
          30 * ex.profiles.length + 110,
        ),
      ),
    );
  }
  const total = ex.profiles.reduce((t, pr) => t + pr.size, 0) || 1;
  // At most 7 features fit an A4 page; the heatmap above shows them all.
  const shown = ex.features.slice(0, 7);
  const profileTable = table(
    [s.segment, s.size, s.share, ...shown],
    ex.profiles.map((pr) => [nameOf(pr.key), fmt(a.lang, pr.size), pct(pr.size / total), ...pr.mean.slice(0, shown.length).map((m) => fmt(a.lang, m, 2))]),
  );
  // A few member keys per segment; masked by the kind their values look like (else the generic mask).
  const mem = await segmentMembers(db, seg.id);
  const byKey = new Map<string, string[]>();
  for (const [customer, key] of mem) {
    const l = byKey.get(key) ?? byKey.set(key, []).get(key)!;
    if (l.length < 5) l.push(customer);
  }
  const allSamples = [...byKey.values()].flat();
  const kind = detectPiiKind('customer', null, allSamples) ?? 'generic';
  const show = (v: string) => (a.masked ? maskValue(v, kind) ?? '' : v);
  const sampleTable = table([s.segment, s.samples], seg.segments.map((g) => [(en ? g.nameEn : null) ?? g.name, (byKey.get(g.key) ?? []).map(show).join(', ')]));
  const body = `${charts.join('\n')}<h2>${esc(s.profile)}</h2>${profileTable}<h2>${esc(s.samples)}</h2>${sampleTable}`;
  const ds = seg.resultDataset ?? seg.sourceDataset;
  const meta = [`${s.workspace}: ${a.workspace}`, `${s.segmentation}: ${seg.name}`, `${s.kind}: ${seg.kind}`, ...(seg.asOf ? [`${s.asOf}: ${seg.asOf}`] : []), ...(ds ? [`${s.dataset}: ${getDataset(db, ds).name}`] : []), `${s.generated}: ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`];
  return { html: page(a.lang, `${s.segTitle} — ${seg.name}`, meta, a.masked, body), charts: charts.length, title: s.segTitle, objectId: seg.id };
}

// ---------- PDF ----------

export type PdfPrinter = (html: string) => Promise<Buffer>;
let pdfPrinter: PdfPrinter | null = null;

/**
 * The Electron hook: main/electron.ts registers a printer that loads the HTML in a hidden
 * window and calls `webContents.printToPDF`. Without one (browser mode, CLI), a system Chromium.
 */
export function setPdfPrinter(p: PdfPrinter | null): void {
  pdfPrinter = p;
}

export function findChromium(): string | null {
  const env = process.env.SEGMINT_CHROMIUM;
  if (env) return existsSync(env) ? env : null;
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const n of names) for (const d of dirs) if (existsSync(path.join(d, n))) return path.join(d, n);
  if (process.platform === 'darwin' && existsSync('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')) return '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
  return null;
}

async function chromiumPdf(html: string): Promise<Buffer> {
  const bin = findChromium();
  if (!bin) {
    throw new AppError('privacy.no_pdf_printer', 'PDF needs the desktop app or a Chromium/Chrome on this machine (none found; set SEGMINT_CHROMIUM). Export HTML instead and print it from a browser.', 'PDF 需要桌面版或本机安装的 Chromium/Chrome（未找到，可设置 SEGMINT_CHROMIUM）。请改为导出 HTML，再用浏览器打印。');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segmint-pdf-'));
  try {
    const src = path.join(dir, 'report.html');
    const out = path.join(dir, 'report.pdf');
    writeFileSync(src, html, { mode: 0o600 });
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions', `--user-data-dir=${path.join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${out}`, 'file://' + src];
    await new Promise<void>((resolve, reject) => {
      const p = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
      const timer = setTimeout(() => p.kill('SIGKILL'), 90_000);
      p.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      p.on('close', (code) => {
        clearTimeout(timer);
        if (existsSync(out)) resolve();
        else reject(new AppError('privacy.pdf_failed', `Chromium could not print the report (exit ${code}).`, `Chromium 未能打印报告（退出码 ${code}）。`, { stderr: err }));
      });
    });
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function htmlToPdf(html: string): Promise<{ pdf: Buffer; printer: string }> {
  if (pdfPrinter) return { pdf: await pdfPrinter(html), printer: 'electron' };
  return { pdf: await chromiumPdf(html), printer: 'chromium' };
}

/** Atomic write (temp file + rename) with the SHA-256 of the bytes. */
export function writeAtomic(file: string, data: Buffer | string): { bytes: number; sha256: string } {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, buf, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('export.dir_missing', `The folder for ${file} does not exist.`, `${file} 所在的文件夹不存在。`, { path: file });
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new AppError('export.not_writable', `No permission to write ${file}; choose another folder.`, `没有写入 ${file} 的权限，请选择其他文件夹。`, { path: file });
    if (code === 'EISDIR') throw new AppError('export.is_directory', `${file} is a folder; choose a file name.`, `${file} 是一个文件夹，请输入文件名。`, { path: file });
    throw e;
  }
  return { bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
}

export async function writeReport(db: DB, target: Target, a: { kind: 'dashboard' | 'segment'; id?: string; lang: Lang; format: 'html' | 'pdf'; masked: boolean; workspace: string }) {
  const r = a.kind === 'dashboard' ? await dashboardReport(db, a) : await segmentReport(db, a);
  let printer: string | null = null;
  let data: Buffer | string = r.html;
  if (a.format === 'pdf') {
    const p = await htmlToPdf(r.html);
    data = p.pdf;
    printer = p.printer;
  }
  const w = writeAtomic(target.path, data);
  const auditId = audit(db, 'report', { objectType: a.kind === 'dashboard' ? 'dataset' : 'segmentation', objectId: r.objectId, details: { kind: a.kind, format: a.format, lang: a.lang, masked: a.masked, file: target.fileName, path: target.downloadId ? null : target.path, bytes: w.bytes, sha256: w.sha256, charts: r.charts } });
  return { path: target.path, fileName: target.fileName, downloadId: target.downloadId, bytes: w.bytes, sha256: w.sha256, auditId, kind: a.kind, format: a.format, charts: r.charts, printer };
}
