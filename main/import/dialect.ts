/**
 * Dialect detection from a decoded sample: delimiter, quoting, header, line endings and leading
 * junk lines. Each candidate delimiter (',', tab, ';', '|', runs of spaces) is scored by how
 * consistently it splits the sample's lines into the same number (> 1) of fields, with and
 * without quote handling; runs of spaces are only chosen when no real delimiter splits the
 * lines. "No quoting" wins when quotes make the field counts less consistent (bare " inside
 * text, as in the UCI SMS TSV). Leading lines whose field count differs from the rest are junk.
 * The header is decided per column: a first-row value that is text above numbers/dates, or a
 * text value that never recurs below it, votes for a header; a numeric/date first value, an
 * empty one or one that recurs in the data votes against.
 */
export interface Dialect {
  delimiter: string;
  quote: '"' | "'" | null;
  header: boolean;
  lineEnding: '\n' | '\r\n' | '\r' | 'mixed';
  skipLines: number;
}

const CANDIDATES = [',', '\t', ';', '|'];

function lineEndingOf(text: string): Dialect['lineEnding'] {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (c === 10) lf++;
  }
  const kinds = [crlf > 0, lf > 0, cr > 0].filter(Boolean).length;
  if (kinds > 1) return 'mixed';
  return crlf ? '\r\n' : cr ? '\r' : '\n';
}

/** Split the sample into records (quote-aware when `quote` is set), at most `max` of them. */
export function sampleRecords(text: string, delim: string | null, quote: string | null, max = 300, stats?: { irregularQuotes: number }): string[][] {
  const out: string[][] = [];
  const t = text.replace(/\r\n?/g, '\n');
  let pos = 0;
  while (pos < t.length && out.length < max) {
    const fields: string[] = [];
    let field = '';
    let inQ = false;
    let i = pos;
    for (; i < t.length; i++) {
      const ch = t[i]!;
      if (inQ) {
        if (ch === quote) {
          if (t[i + 1] === quote) {
            field += ch;
            i++;
          } else {
            inQ = false;
            // A closing quote must end the field; text after it means the quotes are bare.
            const next = t[i + 1];
            if (stats && next !== undefined && next !== '\n' && next !== delim) stats.irregularQuotes++;
          }
        } else field += ch;
        continue;
      }
      if (quote !== null && ch === quote && field === '') {
        inQ = true;
        continue;
      }
      if (ch === '\n') break;
      if (delim !== null && ch === delim) {
        fields.push(field);
        field = '';
        continue;
      }
      field += ch;
    }
    fields.push(field);
    out.push(delim === null ? (fields[0]!.trim() === '' ? [''] : fields[0]!.trim().split(/[ \t]+/)) : fields);
    pos = i + 1;
  }
  return out;
}

function consistency(records: string[][]): { mode: number; share: number; skip: number } {
  const nonBlank = records.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
  if (nonBlank.length === 0) return { mode: 1, share: 0, skip: 0 };
  const counts = new Map<number, number>();
  for (const r of nonBlank) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
  let mode = 1;
  let best = 0;
  for (const [k, v] of counts) if (v > best || (v === best && k > mode)) [mode, best] = [k, v];
  // Leading junk: records before the first one with the modal width (at most 20).
  let skip = 0;
  for (const r of records) {
    if (r.length === mode || skip >= 20) break;
    skip++;
  }
  if (skip >= 20) skip = 0;
  return { mode, share: best / nonBlank.length, skip };
}

const NUMERIC = /^[-+(]?[¥￥$]?\s?\d[\d,]*(\.\d+)?\)?(%|元|万)?$/;
const DATEISH = /^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{8})/;

export function looksHeader(records: string[][]): boolean {
  if (records.length < 2) return records.length === 1 && records[0]!.every((v) => v.trim() !== '' && !NUMERIC.test(v.trim()) && !DATEISH.test(v.trim()));
  const first = records[0]!;
  const rest = records.slice(1, 201);
  let score = 0;
  for (let j = 0; j < first.length; j++) {
    const v0 = first[j]!.trim();
    const col = rest.map((r) => (r[j] ?? '').trim()).filter((v) => v !== '');
    if (v0 === '') score -= 1;
    else if (NUMERIC.test(v0) || DATEISH.test(v0)) score -= 2;
    else if (col.length && col.filter((v) => NUMERIC.test(v) || DATEISH.test(v)).length >= 0.8 * col.length) score += 2;
    else if (col.includes(v0)) score -= 1;
    else score += 0.5;
  }
  return score > 0;
}

export function detectDialect(sampleText: string): Dialect & { confidence: number; reasons: string[] } {
  const reasons: string[] = [];
  const lineEnding = lineEndingOf(sampleText);
  let best: { delim: string; quote: '"' | null; mode: number; share: number; skip: number; records: string[][] } | null = null;
  for (const d of CANDIDATES) {
    // Quoting is the default (Excel and most tools quote); "no quoting" needs evidence of bare
    // quotes: text right after a closing quote, with field counts no worse without quoting.
    const stats = { irregularQuotes: 0 };
    const qRecs = sampleRecords(sampleText, d, '"', 300, stats);
    const nRecs = sampleRecords(sampleText, d, null);
    const qc = consistency(qRecs);
    const nc = consistency(nRecs);
    const useNull = stats.irregularQuotes > 0 && nc.share >= qc.share - 0.02;
    const c = useNull ? nc : qc;
    if (c.mode < 2) continue;
    const key = c.share + c.mode * 1e-6;
    const bestKey = best ? best.share + best.mode * 1e-6 : -1;
    if (key > bestKey) best = { delim: d, quote: useNull ? null : '"', mode: c.mode, share: c.share, skip: c.skip, records: useNull ? nRecs : qRecs };
  }
  if (!best || best.share < 0.6) {
    const recs = sampleRecords(sampleText, null, null);
    const c = consistency(recs);
    if (c.mode >= 2 && c.share >= 0.8 && (!best || c.share > best.share)) {
      best = { delim: ' +', quote: null, mode: c.mode, share: c.share, skip: c.skip, records: recs };
      reasons.push('fields separated by runs of spaces');
    }
  }
  if (!best) {
    // One column: any delimiter will do; keep quoting.
    const recs = sampleRecords(sampleText, ',', '"');
    return { delimiter: ',', quote: '"', header: looksHeader(recs), lineEnding, skipLines: 0, confidence: 0.3, reasons: ['single column'] };
  }
  const data = best.records.slice(best.skip).filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
  const header = looksHeader(data);
  reasons.push(`delimiter ${JSON.stringify(best.delim)} gives ${best.mode} fields on ${Math.round(best.share * 100)}% of sampled lines`);
  if (best.quote === null && best.delim !== ' +') reasons.push('quoting off: quotes appear inside text');
  if (best.skip) reasons.push(`${best.skip} leading line(s) skipped`);
  reasons.push(header ? 'first row is a header' : 'no header row');
  return { delimiter: best.delim, quote: best.quote, header, lineEnding, skipLines: best.skip, confidence: best.share, reasons };
}
