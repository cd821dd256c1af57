import { readFileSync } from 'node:fs';
import { createDecoder, detectEncoding, type EncodingGuess, type EncodingName } from '../../../main/import/encoding';
import { detectDialect, type DetectedDialect, type Dialect } from '../../../main/import/dialect';
import { createRowReader, type QuarantineRecord, type RowReaderOptions, type SpanKind } from '../../../main/import/reader';

export const SAMPLE = 65536;

export interface Span {
  kind: SpanKind;
  from: number;
  to: number;
}

export interface ReadResult {
  guess: EncodingGuess;
  encoding: EncodingName;
  detected: DetectedDialect;
  dialect: Dialect;
  header: string[] | null;
  rows: string[][];
  rowLines: number[];
  quarantined: QuarantineRecord[];
  blank: number;
  linesRead: number;
  spans: Span[];
  badBytes: number;
}

/**
 * Detect encoding and dialect from the first 64 KiB, then stream the whole file through the
 * decoder and the reader in chunks of `chunk` bytes (or the sizes in `chunk`, cycled).
 */
export function readAll(bytes: Uint8Array, chunk: number | number[] = SAMPLE, override?: Partial<Dialect> & { encoding?: EncodingName }, opts?: Partial<RowReaderOptions>): ReadResult {
  const head = bytes.subarray(0, SAMPLE);
  const guess = detectEncoding(head);
  const encoding = override?.encoding ?? guess.encoding;
  const dec0 = createDecoder(encoding);
  let sample = dec0.decode(head);
  if (bytes.length <= SAMPLE) sample += dec0.end();
  const detected = detectDialect(sample);
  const { encoding: _e, ...dialectOverride } = override ?? {};
  void _e;
  const dialect: Dialect = { ...detected, ...dialectOverride };
  let header: string[] | null = null;
  const rows: string[][] = [];
  const rowLines: number[] = [];
  const quarantined: QuarantineRecord[] = [];
  const spans: Span[] = [];
  const reader = createRowReader(dialect, {
    ...opts,
    onHeader: (h) => (header = h),
    onRow: (f, line) => {
      rows.push(f);
      rowLines.push(line);
    },
    onQuarantine: (q) => quarantined.push(q),
    onSpan: (kind, from, to) => spans.push({ kind, from, to }),
  });
  const dec = createDecoder(encoding);
  const sizes = typeof chunk === 'number' ? [chunk] : chunk;
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    reader.push(dec.decode(bytes.subarray(i, i + n)));
    i += n;
  }
  reader.push(dec.end());
  reader.end();
  return { guess, encoding, detected, dialect, header, rows, rowLines, quarantined, blank: reader.blankLines, linesRead: reader.linesRead, spans, badBytes: dec.badBytes };
}

export function readFile(file: string, chunk?: number | number[]): ReadResult {
  return readAll(readFileSync(file), chunk);
}

/** Physical lines of a text: \r\n, \n and a lone \r each end one; a last line without a break counts. */
export function physicalLines(text: string): number {
  const t = text.replace(/\r\n?/g, '\n');
  if (t === '') return 0;
  let n = 0;
  for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) n++;
  return t.endsWith('\n') ? n : n + 1;
}

/** The spans must cover lines 1..total exactly once, in order, with no gap. */
export function tilingProblem(spans: Span[], total: number): string | null {
  let next = 1;
  for (const s of spans) {
    if (s.from !== next) return `span ${s.kind} ${s.from}-${s.to} starts at ${s.from}, expected ${next}`;
    if (s.to < s.from) return `span ${s.kind} ${s.from}-${s.to} ends before it starts`;
    next = s.to + 1;
  }
  return next === total + 1 ? null : `spans end at line ${next - 1}, the text has ${total} lines`;
}
