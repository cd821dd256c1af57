/**
 * The "Open demo workspace" job: writes the seeded demo files (and their planted truth) to a
 * folder, then imports each one through the same import pipeline a user's files take.
 */
import path from 'node:path';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { JobContext } from '../jobs/types';
import { generateDemo, type DemoTruth } from './generate';
import { inspectFiles } from '../services/import/inspect';
import { importAndSuppress } from '../services/import/jobs';
import type { SourceFile } from '../services/import/files';

export const DEMO_DATASETS: Record<string, string> = {
  'contacts.csv': 'CRM 联系人',
  'orders.csv': '订单',
  'sms_sends.csv': '短信发送',
  'sms_receipts.csv': '短信回执',
  'sms_replies.csv': '短信回复',
  'sms_clicks.csv': '短链点击',
  'touches.csv': '渠道触点',
  'survey.csv': '满意度调查',
};

export function writeDemoFiles(dir: string, seed: number, customers: number): { files: SourceFile[]; truth: DemoTruth } {
  mkdirSync(dir, { recursive: true });
  const { files, truth } = generateDemo({ seed, customers });
  const out: SourceFile[] = [];
  for (const f of files) {
    const p = path.join(dir, f.name);
    writeFileSync(p, f.encoding === 'gb18030' ? iconv.encode(f.text, 'gbk') : Buffer.from(f.text, 'utf8'));
    out.push({ path: p, name: f.name, size: statSync(p).size, kind: 'text' });
  }
  writeFileSync(path.join(dir, 'truth.json'), JSON.stringify(truth, null, 1));
  return { files: out, truth };
}

export async function buildDemo(job: JobContext, args: { seed: number; customers: number; dir: string }): Promise<{ datasets: string[]; truth: string }> {
  job.progress(0, 9, 'generate');
  const { files } = writeDemoFiles(args.dir, args.seed, args.customers);
  const ids: string[] = [];
  let i = 1;
  for (const f of files) {
    job.progress(i++, files.length + 1, `import ${f.name}`);
    const inspected = await inspectFiles([f], { encoding: 'auto', previewRows: 1 });
    const summary = await importAndSuppress({ ...job, progress: () => job.checkCancel() }, { files: [f], name: DEMO_DATASETS[f.name] ?? f.name, settings: inspected.settings });
    ids.push(summary.datasetId);
  }
  job.progress(files.length + 1, files.length + 1, 'done');
  return { datasets: ids, truth: path.join(args.dir, 'truth.json') };
}
