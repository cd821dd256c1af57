/** Readers for the real datasets used by the value tests (not a test file). */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { datasetPath } from '../../helpers/datasets';

const ymd = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8));

export interface Transactions {
  customer: string[];
  time: number[];
  amount: number[];
}

/** cdnow-sample.txt: `master_id sample_id yyyymmdd n_cds dollars`, no header; customer = sample_id. */
export function cdnowSample(): Transactions {
  const out: Transactions = { customer: [], time: [], amount: [] };
  for (const line of readFileSync(datasetPath('cdnow-sample.txt'), 'utf8').split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    out.customer.push(String(Number(f[1])));
    out.time.push(ymd(f[2]!));
    out.amount.push(Number(f[4]));
  }
  return out;
}

/** cdnow-master.txt: header, then `customer_id date number_of_cds dollar_value` separated by runs of spaces. */
export function cdnowMaster(): Transactions {
  const out: Transactions = { customer: [], time: [], amount: [] };
  const lines = readFileSync(datasetPath('cdnow-master.txt'), 'utf8').split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 4) continue;
    out.customer.push(f[0]!);
    out.time.push(ymd(f[1]!));
    out.amount.push(Number(f[3]));
  }
  return out;
}

export function csv(name: string): { fields: string[]; rows: Record<string, string>[] } {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(datasetPath(name), 'utf8'), { header: true, skipEmptyLines: true });
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

export const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
