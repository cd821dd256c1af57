/**
 * Dialect detection from a decoded sample: delimiter, quoting, header, line endings, leading
 * junk lines and blanks after delimiters. The sample is read with the real row reader
 * (reader.ts) for every candidate, so detection and import agree on quoting rules.
 *
 * - Delimiter: each candidate (',', tab, ';', '|') is scored by the share of non-blank records
 *   (after the junk lines) that have the modal number of fields; the mode must be ≥ 2. Highest
 *   share wins; ties go to fewer junk lines, then to quotes that parse cleanly, then to the wider
 *   mode, then to the order above. Runs of spaces (' +') are
 *   tried only when no candidate reaches a share of 0.6, and chosen when they split ≥ 80% of
 *   the records into the same number (≥ 2) of fields (cdnow-master.txt).
 * - Quoting: on ('"') by default. Off (null) when quoting produces bad quotes (text after a
 *   closing quote), the field counts are no worse without it (share within 0.02), and the
 *   file shows no sign of a CSV writer's quoting: no wrapped field holding an escaped "",
 *   fewer than 10 wrapped fields per bad quote, and under 30% of all fields wrapped (so one
 *   bad record cannot turn quoting off for a properly quoted file) — the UCI SMS TSV has bare
 *   " inside text. A single quote is never
 *   guessed (apostrophes are common in names); it can be chosen by hand.
 * - Junk lines (export titles, "导出时间：…"): leading records (at most 20) whose effective width
 *   (fields without trailing empties) is below the modal effective width, when either their
 *   raw width differs from the modal width or they fill at most half of it (Excel pads title
 *   lines with commas: "报表名称,,,"). skipLines counts the physical lines before the first
 *   real record (header or data).
 * - skipInitialSpace: ≥ 90% of the fields after a delimiter start with a space (FEBRL's ", ").
 * - Header: voted per column on the first record against the next 200: a text value above a
 *   numeric/date column +2; text that never recurs below +0.5; a numeric/date value −2; an
 *   empty value −1; a value that recurs below −1. Header when the sum is > 0. A lone record is
 *   a header when all its values are non-empty text.
 * - Line endings: the kinds of breaks seen (\r\n, \n, lone \r); 'mixed' when more than one.
 * If the sample does not end with a line break, its last record (maybe cut) is ignored.
 */
import { createRowReader } from './reader';

export interface Dialect {
  /** ',', '\t', ';', '|', or ' +' (runs of spaces/tabs) */
  delimiter: string;
  quote: '"' | "'" | null;
  header: boolean;
  lineEnding: '\n' | '\r\n' | '\r' | 'mixed';
  /** Leading physical lines to drop (junk above the header). */
  skipLines: number;
  /** Drop spaces right after a delimiter (", " separated files). Optional; default false. */
  skipInitialSpace?: boolean;
  /** Every line ends with one extra delimiter (Excel's trailing commas): drop that empty last field. */
  trailingDelimiter?: boolean;
}

export type DetectedDialect = Dialect & { confidence: number; reasons: string[] };

const CANDIDATES = [',', '\t', ';', '|'];
const MAX_RECORDS = 2000;
const MAX_JUNK = 20;

/**
 * The kinds of line breaks, counting only those outside quoted fields when `quote` is set (a
 * CR inside a quoted value is data, not a line ending); all of them when the quotes do not
 * balance (a stray quote would hide every break after it).
 */
function lineEndingOf(text: string, quote: string | null = null): Dialect['lineEnding'] {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  let inQuotes = false;
  if (quote !== null) {
    const q = quote.charCodeAt(0);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === q) inQuotes = !inQuotes;
      else if (inQuotes) continue;
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) {
          crlf++;
          i++;
        } else if (i + 1 < text.length) cr++;
      } else if (c === 10) lf++;
    }
  }
  if (inQuotes || quote === null) {
    crlf = lf = cr = 0;
    let i = text.indexOf('\r');
    while (i !== -1) {
      if (text.charCodeAt(i + 1) === 10) crlf++;
      else if (i + 1 < text.length) cr++;
      i = text.indexOf('\r', i + 1);
    }
    for (let j = text.indexOf('\n'); j !== -1; j = text.indexOf('\n', j + 1)) lf++;
    lf -= crlf;
  }
  const kinds = (crlf > 0 ? 1 : 0) + (lf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0);
  if (kinds > 1) return 'mixed';
  return crlf ? '\r\n' : cr ? '\r' : '\n';
}

export interface SampleRecord {
  fields: string[];
  line: number;
}

/** Records of the sample as the reader sees them with this delimiter/quote (no width checks). */
export function sampleRecords(text: string, delimiter: string, quote: '"' | "'" | null, skipInitialSpace = false): { records: SampleRecord[]; badQuotes: number; wrapped: number; escaped: number; fields: number } {
  const records: SampleRecord[] = [];
  let badQuotes = 0;
  let wrapped = 0; // fields wholly wrapped in double quotes (counted when quoting is off)
  let escaped = 0; // … of which hold a doubled quote "" (a CSV writer's escape)
  let fields = 0;
  const r = createRowReader(
    { delimiter, quote, header: false, lineEnding: 'mixed', skipLines: 0, skipInitialSpace },
    {
      checkWidth: false,
      onRow: (row, line) => {
        if (quote === null) {
          fields += row.length;
          for (const f of row) {
            if (f.length >= 2 && f.charCodeAt(0) === 34 && f.charCodeAt(f.length - 1) === 34) {
              wrapped++;
              if (f.indexOf('""', 1) !== -1 && f.indexOf('""', 1) < f.length - 2) escaped++;
            }
          }
        }
        if (records.length < MAX_RECORDS) records.push({ fields: row, line });
      },
      onQuarantine: (q) => {
        if (q.reason === 'bad_quote') badQuotes++;
        if (records.length < MAX_RECORDS) records.push({ fields: delimiter === ' +' ? q.raw.trim().split(/[ \t]+/) : q.raw.split(delimiter), line: q.line });
      },
    },
  );
  r.push(text);
  r.end();
  // The last record of a sample cut mid-line may be partial.
  const last = text.charCodeAt(text.length - 1);
  if (records.length > 1 && last !== 10 && last !== 13) records.pop();
  return { records, badQuotes, wrapped, escaped, fields };
}

const effWidth = (f: string[]): number => {
  let n = f.length;
  while (n > 0 && f[n - 1]!.trim() === '') n--;
  return n;
};

function modeOf(values: number[]): number {
  const counts = new Map<number, number>();
  let mode = 0;
  let best = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > best || (c === best && v > mode)) [mode, best] = [v, c];
  }
  return mode;
}

interface Shape {
  mode: number;
  share: number;
  skip: number; // records to skip
  skipLines: number; // physical lines to skip
}

function shapeOf(records: SampleRecord[]): Shape {
  if (records.length === 0) return { mode: 1, share: 0, skip: 0, skipLines: 0 };
  const widths = records.map((r) => r.fields.length);
  const effs = records.map((r) => effWidth(r.fields));
  // Modes from the body (after the first few lines) so that junk lines do not drive them.
  const body = records.length > 2 * MAX_JUNK ? MAX_JUNK : 0;
  const mode = modeOf(widths.slice(body));
  const modeEff = modeOf(effs.slice(body));
  let skip = 0;
  while (skip < Math.min(MAX_JUNK, records.length - 1)) {
    const w = widths[skip]!;
    const e = effs[skip]!;
    const junk = modeEff >= 2 && e < modeEff && (w !== mode || e <= modeEff / 2);
    if (!junk) break;
    skip++;
  }
  const rest = widths.slice(skip);
  const share = rest.filter((w) => w === mode).length / rest.length;
  return { mode, share, skip, skipLines: skip > 0 ? records[skip]!.line - 1 : 0 };
}

const NUMERIC = /^[-+(]?[¥￥$]?\s?\d[\d,]*(\.\d+)?\)?(%|元|万)?$/;
const DATEISH = /^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{8})/;
const valueLike = (v: string) => NUMERIC.test(v) || DATEISH.test(v);

/** Does the first record look like a header over the following ones? (see the top of this file) */
export function looksHeader(records: string[][]): boolean {
  if (records.length === 0) return false;
  const first = records[0]!;
  if (records.length === 1) return first.every((v) => v.trim() !== '' && !valueLike(v.trim()));
  const rest = records.slice(1, 201);
  let score = 0;
  for (let j = 0; j < first.length; j++) {
    const v0 = first[j]!.trim();
    const col: string[] = [];
    for (const r of rest) {
      const v = (r[j] ?? '').trim();
      if (v !== '') col.push(v);
    }
    if (v0 === '') score -= 1;
    else if (valueLike(v0)) score -= 2;
    else if (col.length && col.filter(valueLike).length >= 0.8 * col.length) score += 2;
    else if (col.includes(v0)) score -= 1;
    else score += 0.5;
  }
  return score > 0;
}

/** Every non-blank physical line after the junk (and the header) ends with the delimiter itself (not a quoted ""). */
function dataLinesEndWith(text: string, skipLines: number, header: boolean, delim: string): boolean {
  const lines = text.split(/\r\n|\n|\r/);
  const last = text.charCodeAt(text.length - 1);
  if (last !== 10 && last !== 13 && lines.length > 1) lines.pop(); // maybe cut
  const body = lines.slice(skipLines).filter((l) => l.trim() !== '');
  return body.slice(header ? 1 : 0).every((l) => l.endsWith(delim));
}

export function detectDialect(sampleText: string): DetectedDialect {
  if (typeof sampleText !== 'string') throw new Error('detectDialect: sampleText must be the decoded text of the sample');
  const lineEnding = lineEndingOf(sampleText);
  if (sampleText.trim() === '') return { delimiter: ',', quote: '"', header: false, lineEnding, skipLines: 0, skipInitialSpace: false, confidence: 0, reasons: ['empty sample'] };
  const reasons: string[] = [];
  type Cand = Shape & { delim: string; quote: '"' | null; records: SampleRecord[]; clean: boolean };
  let best: Cand | null = null;
  // At equal share, a candidate that needs fewer junk lines wins (a pipe file whose values hold
  // commas must not lose its header as "junk"), then one whose quotes parse cleanly (a ';' file
  // with quoted commas), then the wider mode.
  const better = (c: Cand) => {
    if (!best) return true;
    if (Math.abs(c.share - best.share) > 1e-9) return c.share > best.share;
    if (c.skip !== best.skip) return c.skip < best.skip;
    if (c.clean !== best.clean) return c.clean;
    return c.mode > best.mode;
  };
  for (const d of CANDIDATES) {
    if (sampleText.indexOf(d) === -1) continue;
    const q = sampleRecords(sampleText, d, '"');
    const qs = shapeOf(q.records);
    let cand: Cand = { ...qs, delim: d, quote: '"', records: q.records, clean: q.badQuotes === 0 };
    if (q.badQuotes > 0) {
      // Quoting needs no evidence; turning it off does: bad quotes, and no worse field counts.
      const n = sampleRecords(sampleText, d, null);
      const ns = shapeOf(n.records);
      const quotingUsed = n.escaped > 0 || n.wrapped >= 10 * q.badQuotes || n.wrapped >= 0.3 * n.fields;
      if (ns.mode >= 2 && ns.share >= qs.share - 0.02 && !quotingUsed) cand = { ...ns, delim: d, quote: null, records: n.records, clean: false };
    }
    if (cand.mode < 2) continue;
    if (better(cand)) best = cand;
  }
  if (!best || best.share < 0.6) {
    const s = sampleRecords(sampleText, ' +', null);
    const ss = shapeOf(s.records);
    if (ss.mode >= 2 && ss.share >= 0.8 && (!best || ss.share > best.share)) {
      best = { ...ss, delim: ' +', quote: null, records: s.records, clean: true };
      reasons.push('fields separated by runs of spaces');
    }
  }
  if (!best) {
    const s = sampleRecords(sampleText, ',', '"');
    const data = s.records.filter((r) => effWidth(r.fields) > 0).map((r) => r.fields);
    const header = looksHeader(data);
    return { delimiter: ',', quote: '"', header, lineEnding, skipLines: 0, skipInitialSpace: false, confidence: 0.3, reasons: ['no delimiter splits the lines: a single column', header ? 'first row is a header' : 'no header row'] };
  }
  const data = best.records.slice(best.skip).filter((r) => effWidth(r.fields) > 0);
  let skipInitialSpace = false;
  if (best.delim !== ' +') {
    let after = 0;
    let spaced = 0;
    for (const r of data.slice(0, 500)) {
      for (let i = 1; i < r.fields.length; i++) {
        after++;
        if (r.fields[i]!.charCodeAt(0) === 32) spaced++;
      }
    }
    skipInitialSpace = after >= 5 && spaced >= 0.9 * after;
  }
  const rows = data.map((r) => (skipInitialSpace ? r.fields.map((f, i) => (i > 0 ? f.trimStart() : f)) : r.fields));
  const header = looksHeader(rows);
  // Trailing delimiter: every data line of the sample ends with an empty field, one more than
  // the header has (or the header ends with one too). Anything less and widths must match.
  const endsEmpty = (f: string[]) => f.length >= 2 && f[f.length - 1] === '';
  const body = header ? data.slice(1) : data;
  const trailingDelimiter =
    best.delim !== ' +' &&
    body.length > 0 &&
    body.every((r) => endsEmpty(r.fields)) &&
    (!header || endsEmpty(data[0]!.fields) || data[0]!.fields.length === body[0]!.fields.length - 1) &&
    dataLinesEndWith(sampleText, best.skipLines, header, best.delim);
  reasons.push(`delimiter ${JSON.stringify(best.delim)} gives ${best.mode} fields on ${Math.round(best.share * 100)}% of sampled records`);
  if (best.quote === null && best.delim !== ' +') reasons.push('quoting off: bare quotes inside text');
  if (best.skipLines) reasons.push(`${best.skipLines} leading line(s) skipped`);
  if (skipInitialSpace) reasons.push('spaces after each delimiter are dropped');
  if (trailingDelimiter) reasons.push('every line ends with an extra delimiter: that empty field is dropped');
  reasons.push(header ? 'first row is a header' : 'no header row');
  return { delimiter: best.delim, quote: best.quote, header, lineEnding: lineEndingOf(sampleText, best.quote), skipLines: best.skipLines, skipInitialSpace, ...(trailingDelimiter ? { trailingDelimiter } : {}), confidence: Math.round(best.share * 1000) / 1000, reasons };
}
