/**
 * Streaming record reader over decoded text. Every non-blank record is either emitted as a row
 * or quarantined with its raw text, its first physical line number and a reason, so
 * rows in = rows imported + rows quarantined always holds (asserted by property tests, which
 * also check that the spans reported through `onSpan` tile the file's lines exactly).
 *
 * Text: \r\n and \n end lines; the \r of a \r\n that ends a record is dropped, but inside a
 * quoted field every character is kept as read (a CR stays a CR: values exactly as read). A
 * lone \r is a line break only when the dialect's lineEnding is '\r' or 'mixed' (detection
 * counts line breaks outside quotes only); then lone CRs are turned into \n as text arrives (a
 * \r at a chunk's end waits for the next chunk), also inside quotes — the one case where a
 * value changes. `skipLines` physical lines are dropped first (leading junk); blank lines before
 * the header are skipped and counted. A blank record (an empty line, or several fields all
 * blank such as ",,,") is never a row: it is counted in `blankLines`.
 *
 * Fields: RFC 4180 quoting — a field that starts with the quote character runs to the next
 * quote not doubled ("" is a literal "); line breaks inside it belong to the field. A quote in
 * the middle of an unquoted field is an ordinary character. Blanks after a closing quote are
 * ignored; any other text after it makes the record `bad_quote`. With quote = null a " is an
 * ordinary character (the UCI SMS TSV). With `skipInitialSpace` the blanks right after a
 * delimiter are dropped (Python's csv option; the FEBRL files write ", " between fields). With
 * the delimiter ' +', runs of spaces/tabs separate fields and leading/trailing blanks are
 * ignored (cdnow-master.txt); quoting is then off.
 *
 * Width (expected width = `expectedFields`, else the header's, else the first row's): a record
 * whose field count differs is quarantined as 'ragged' — never padded or cut, since a missing or
 * extra field shifts every value after it (a gender cell holding part of a name). The one
 * exception is `dialect.trailingDelimiter` (detected when every line of the sample ends with one
 * extra delimiter, Excel's trailing commas): then one empty last field is dropped from every
 * record, header included, before the count is checked.
 * Blank records: an empty line, or a record of several fields all blank (",,,") is blank; a line
 * of only spaces or tabs is a record like any other once the header is read (a row of a
 * one-column file, 'ragged' otherwise), so it is counted, never silently dropped.
 * Quarantine reasons, checked in this order: 'nul_byte' (U+0000 in the record), 'undecodable'
 * (U+FFFD from the decoder: bytes not valid in the chosen encoding), 'unterminated_quote' (a
 * quoted field still open at the end of the file, or open for more than `maxRecordChars`),
 * 'bad_quote' (text after a closing quote), 'ragged', 'field_too_large' (a field over
 * `maxFieldChars`, or a record over `maxRecordChars`, see below).
 *
 * Recovery (so one stray quote cannot swallow the rest of a file): when a record that spans
 * several physical lines has broken quoting (unterminated, or bad_quote), only its FIRST
 * physical line is quarantined (raw text of that line) and reading resumes on the next line.
 * Other bad records — single-line ones, and multi-line records whose quoting is sound but whose
 * width is wrong — are quarantined whole (re-reading the inside of a sound quoted field line by
 * line could turn its continuation lines into bogus rows).
 *
 * Memory is bounded by `maxRecordChars` (default 2 × maxFieldChars = 32 Mi characters): a
 * record longer than that is 'field_too_large' — if its first line alone is longer, that line
 * is quarantined with its first maxRecordChars characters (the rest of the line is counted but
 * not kept: the one case where raw text is cut); otherwise its first line is quarantined and
 * the following lines are read again (a quote left open in a huge file ends up here). A junk
 * line to skip is never buffered beyond that either. These rules depend only on the text,
 * never on where the chunks were cut (a property test checks that).
 *
 * Why not papaparse: the reader must report the exact raw text and the starting physical line
 * of every bad record, quarantine rather than repair, recover after a stray quote and stay
 * resumable across chunks without rescanning; papaparse reports errors by row index, repairs
 * rows silently and re-parses its partial line on every chunk. This state machine works with
 * indexOf/slice: a line without a quote is split in one call, and an incomplete record resumes
 * where it stopped (linear time, whatever the chunking).
 */
import type { Dialect } from './dialect';

export interface QuarantineRecord {
  line: number;
  raw: string;
  reason: 'ragged' | 'unterminated_quote' | 'bad_quote' | 'nul_byte' | 'undecodable' | 'field_too_large' | (string & {});
  detail?: string;
}

export type SpanKind = 'skipped' | 'blank' | 'header' | 'row' | 'quarantine';

export interface RowReader {
  push(text: string): void;
  end(): void;
  /** Physical lines consumed so far. */
  readonly linesRead: number;
  /** Blank records skipped (empty lines, or only delimiters and blanks). */
  readonly blankLines: number;
  /** Non-blank records after the header = rows + quarantined. */
  readonly records: number;
  readonly rows: number;
  readonly quarantined: number;
}

export interface RowReaderOptions {
  expectedFields?: number;
  /** Longest field kept (characters); default 16 Mi. */
  maxFieldChars?: number;
  /** Longest pending record buffered (characters); default 2 × maxFieldChars. */
  maxRecordChars?: number;
  /** false: emit every record with its own width (no padding, no 'ragged'); for dialect sniffing. */
  checkWidth?: boolean;
  onHeader?: (names: string[]) => void;
  onRow: (fields: string[], line: number) => void;
  onQuarantine: (q: QuarantineRecord) => void;
  /** Every physical line range [from, to] (1-based, inclusive) and what it became, in order. */
  onSpan?: (kind: SpanKind, from: number, to: number) => void;
}

const WS = /[ \t]+/;
const LONE_CR = /\r(?!\n)/g;
const LEADING_SPACES = /^ +/;
const NL = 10;

/** Parse state of a record that contains a quote (resumable when the text runs out). */
interface QState {
  start: number; // record start in buf
  pos: number; // scan position in buf
  mode: 0 | 1 | 2; // 0 field start, 1 inside quotes, 2 after the closing quote
  fields: string[];
  cur: string; // current field so far (modes 1 and 2)
  badQuote: boolean;
}

/** What a reader needs from its dialect and options, checked once. */
interface ReaderSettings {
  spaces: boolean;
  delim: string;
  dlen: number;
  quote: string | null;
  qch: number;
  skipSpace: boolean;
  maxField: number;
  maxRecord: number;
  checkWidth: boolean;
  /** Lone CRs are line breaks only in files that use them as such (see the top of this file). */
  loneCrBreaks: boolean;
  trailingDelimiter: boolean;
}

function readerSettings(dialect: Dialect, opts: RowReaderOptions): ReaderSettings {
  if (!dialect || typeof dialect.delimiter !== 'string') throw new Error('createRowReader: a dialect with a delimiter is required');
  if (!opts || typeof opts.onRow !== 'function' || typeof opts.onQuarantine !== 'function') throw new Error('createRowReader: onRow and onQuarantine callbacks are required');
  if (dialect.quote !== null && dialect.quote !== '"' && dialect.quote !== "'") throw new Error(`createRowReader: quote must be '"', "'" or null, not ${JSON.stringify(dialect.quote)}`);
  for (const k of ['expectedFields', 'maxFieldChars', 'maxRecordChars'] as const) {
    const v = opts[k];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new Error(`createRowReader: ${k} must be a positive integer, not ${v}`);
  }
  if (!(Number.isInteger(dialect.skipLines) && dialect.skipLines >= 0)) throw new Error(`createRowReader: skipLines must be a non-negative integer, not ${dialect.skipLines}`);
  const spaces = dialect.delimiter === ' +' || dialect.delimiter === 'whitespace';
  const delim = spaces ? '' : dialect.delimiter;
  if (!spaces && delim.length === 0) throw new Error('createRowReader: the delimiter must not be empty');
  if (!spaces && dialect.quote !== null && delim.indexOf(dialect.quote) !== -1) throw new Error('createRowReader: the delimiter must not contain the quote character');
  if (!spaces && (delim.indexOf('\n') !== -1 || delim.indexOf('\r') !== -1)) throw new Error('createRowReader: the delimiter must not contain a line break');
  const quote = spaces ? null : dialect.quote;
  const maxField = opts.maxFieldChars ?? 16 * 1024 * 1024;
  return {
    spaces,
    delim,
    dlen: delim.length,
    quote,
    qch: quote === null ? -1 : quote.charCodeAt(0),
    skipSpace: !spaces && dialect.skipInitialSpace === true,
    maxField,
    maxRecord: Math.max(opts.maxRecordChars ?? 2 * maxField, 1),
    checkWidth: opts.checkWidth !== false,
    loneCrBreaks: dialect.lineEnding === '\r' || dialect.lineEnding === 'mixed',
    trailingDelimiter: !spaces && dialect.trailingDelimiter === true,
  };
}

/** Every field empty or white space (String.prototype.trim's set). */
function isBlankRecord(fields: string[]): boolean {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.length === 0) continue;
    const c = f.charCodeAt(0);
    // Fast path: a first character that cannot be white space.
    if ((c > 32 && c < 0xa0) || (c > 0xa0 && c < 0x1680)) return false;
    if (f.trim() !== '') return false;
  }
  return true;
}

/** A line without quoting, split into its fields. */
function splitPlain(c: ReaderSettings, s: string): string[] {
  if (c.spaces) {
    const t = s.trim();
    return t === '' ? [''] : t.split(WS);
  }
  const f = s.split(c.delim);
  if (c.skipSpace) for (let i = 1; i < f.length; i++) if (f[i]!.charCodeAt(0) === 32) f[i] = f[i]!.replace(LEADING_SPACES, '');
  return f;
}

export function createRowReader(dialect: Dialect, opts: RowReaderOptions): RowReader {
  return new StreamingRowReader(readerSettings(dialect, opts), dialect, opts);
}

/**
 * The reader's state machine, in steps: `push`/`end` feed text to `drain`, which walks it line by
 * line — skipping junk, splitting plain lines, resuming quoted records (`parseQuoted`) and
 * cutting over-long ones (`tooLong`, `recoverFirstLine`) — and hands each record to `record`,
 * which decides header / blank / row / quarantine.
 */
class StreamingRowReader implements RowReader {
  private buf = '';
  private line = 1; // physical line number of buf[0]
  private pendingCR = false;
  private toSkip: number;
  private needHeader: boolean;
  private expected: number;
  private blank = 0;
  private rowCount = 0;
  private quarantineCount = 0;
  private odd = false; // a NUL or U+FFFD somewhere in the pending text
  private partial: QState | null = null;
  private nlFrom = 0; // the pending line has no \n before this offset
  // A line longer than maxRecord: its start is quarantined, the rest is dropped up to its \n.
  private discarding: { line: number; raw: string; chars: number; skip: boolean } | null = null;
  private readonly onSpan: RowReaderOptions['onSpan'];

  constructor(
    private readonly c: ReaderSettings,
    dialect: Dialect,
    private readonly opts: RowReaderOptions,
  ) {
    this.toSkip = dialect.skipLines;
    this.needHeader = dialect.header;
    this.expected = opts.expectedFields ?? 0;
    this.onSpan = opts.onSpan;
  }

  get linesRead() {
    return this.line - 1;
  }
  get blankLines() {
    return this.blank;
  }
  get records() {
    return this.rowCount + this.quarantineCount;
  }
  get rows() {
    return this.rowCount;
  }
  get quarantined() {
    return this.quarantineCount;
  }

  push(text: string): void {
    if (text.length === 0) return;
    if (this.c.loneCrBreaks) {
      if (this.pendingCR) {
        text = '\r' + text;
        this.pendingCR = false;
      }
      if (text.charCodeAt(text.length - 1) === 13) {
        this.pendingCR = true;
        text = text.slice(0, -1);
      }
      if (text.indexOf('\r') !== -1) text = text.replace(LONE_CR, '\n');
    }
    if (!this.odd && (text.indexOf('\u0000') !== -1 || text.indexOf('\ufffd') !== -1)) this.odd = true;
    this.buf = this.buf.length ? this.buf + text : text;
    this.drain(false);
  }

  end(): void {
    if (this.pendingCR) {
      this.buf += '\n';
      this.pendingCR = false;
    } else if (this.buf.charCodeAt(this.buf.length - 1) === 13) this.buf += '\n'; // a last line ending in \r\n cut to \r
    this.drain(true);
  }

  /** End of the text of the line that ends at `nl` (drops the \r of a \r\n). */
  private lineStop(from: number, nl: number): number {
    return nl > from && this.buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  }

  private quarantine(q: QuarantineRecord, to: number): void {
    this.quarantineCount++;
    this.opts.onQuarantine(q);
    this.onSpan?.('quarantine', q.line, to);
  }

  /**
   * One complete record. Returns false when it must be recovered (multi-line and bad): the
   * caller then quarantines its first line and resumes on the next one.
   */
  private record(fields: string[], raw: string, from: number, to: number, flags: 0 | 1 | 2): boolean {
    const c = this.c;
    const multi = to > from;
    // A lone field of blanks is a value once the header is read (a line of spaces is counted).
    if (flags === 0 && isBlankRecord(fields) && (this.needHeader || c.spaces || fields.length > 1 || raw === '')) {
      this.blank++;
      this.onSpan?.('blank', from, to);
      return true;
    }
    // A bad record over several lines is recovered line by line (see the top of this file).
    if (flags !== 0 && multi) return false;
    // A header with broken quoting is still the header: its quotes are read as text (taking the
    // next line as the header instead would silently lose a data row).
    if (flags !== 0 && this.needHeader) fields = splitPlain(c, raw);
    if (c.trailingDelimiter && fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
    if (this.needHeader) {
      this.needHeader = false;
      if (this.expected === 0) this.expected = fields.length;
      this.opts.onHeader?.(fields);
      this.onSpan?.('header', from, to);
      return true;
    }
    if (this.odd) {
      if (raw.indexOf('\u0000') !== -1) return this.quarantine({ line: from, raw, reason: 'nul_byte', detail: 'the record contains NUL (0x00) characters' }, to), true;
      if (raw.indexOf('\ufffd') !== -1) return this.quarantine({ line: from, raw, reason: 'undecodable', detail: 'bytes not valid in the chosen encoding' }, to), true;
    }
    if (flags !== 0) {
      if (flags === 1) this.quarantine({ line: from, raw, reason: 'unterminated_quote', detail: 'a quoted field is still open at the end of the file' }, to);
      else this.quarantine({ line: from, raw, reason: 'bad_quote', detail: 'text after a closing quote' }, to);
      return true;
    }
    if (c.checkWidth) {
      if (this.expected === 0) this.expected = fields.length;
      const n = fields.length;
      if (n !== this.expected) {
        this.quarantine({ line: from, raw, reason: 'ragged', detail: `${n} fields, expected ${this.expected}` }, to);
        return true;
      }
    }
    for (let i = 0; i < fields.length; i++) {
      if (fields[i]!.length > c.maxField) {
        this.quarantine({ line: from, raw, reason: 'field_too_large', detail: `field ${i + 1} has ${fields[i]!.length} characters (limit ${c.maxField})` }, to);
        return true;
      }
    }
    this.rowCount++;
    this.opts.onRow(fields, from);
    this.onSpan?.('row', from, to);
    return true;
  }

  /** Advance a quoted record. Returns the end offset (after its \n, or buf.length) or -1 for "need more text". */
  private parseQuoted(s: QState, final: boolean): number {
    const { delim, dlen, quote, qch, skipSpace } = this.c;
    const buf = this.buf;
    for (;;) {
      if (s.mode === 0) {
        let p = s.pos;
        if (skipSpace && s.fields.length > 0) {
          while (p < buf.length && buf.charCodeAt(p) === 32) p++;
          if (p >= buf.length && !final) return -1;
          s.pos = p;
        }
        if (p < buf.length && buf.charCodeAt(p) === qch) {
          s.mode = 1;
          s.cur = '';
          s.pos = p + 1;
          continue;
        }
        // Unquoted field: up to the next delimiter or line end.
        const nd = buf.indexOf(delim, p);
        const nn = buf.indexOf('\n', p);
        if (nn === -1 && nd === -1) {
          if (!final) return -1;
          s.fields.push(buf.slice(p));
          return buf.length;
        }
        if (nd !== -1 && (nn === -1 || nd < nn)) {
          s.fields.push(buf.slice(p, nd));
          s.pos = nd + dlen;
          continue;
        }
        s.fields.push(buf.slice(p, this.lineStop(p, nn)));
        return nn + 1;
      }
      if (s.mode === 1) {
        const k = buf.indexOf(quote!, s.pos);
        if (k === -1) {
          s.cur += buf.slice(s.pos);
          s.pos = buf.length;
          if (!final) return -1;
          s.fields.push(s.cur);
          return -2; // unterminated at the end of the text
        }
        if (k + 1 >= buf.length && !final) {
          // Cannot tell "" from a closing quote yet.
          s.cur += buf.slice(s.pos, k);
          s.pos = k;
          return -1;
        }
        s.cur += buf.slice(s.pos, k);
        if (buf.charCodeAt(k + 1) === qch) {
          s.cur += quote;
          s.pos = k + 2;
          continue;
        }
        s.pos = k + 1;
        s.mode = 2;
        continue;
      }
      // After a closing quote: blanks are fine; anything else before the delimiter is a bad quote.
      const p = s.pos;
      const nd = buf.indexOf(delim, p);
      const nn = buf.indexOf('\n', p);
      if (nn === -1 && nd === -1) {
        if (!final) return -1;
        const tail = buf.slice(p);
        if (tail.trim() !== '') s.badQuote = true;
        s.fields.push(s.cur + (s.badQuote ? tail : ''));
        return buf.length;
      }
      const stop = nd !== -1 && (nn === -1 || nd < nn) ? nd : nn;
      if (stop > p) {
        const tail = buf.slice(p, stop);
        if (tail.trim() !== '') {
          s.badQuote = true;
          s.cur += tail;
        }
      }
      s.fields.push(s.cur);
      s.cur = '';
      s.mode = 0;
      if (stop === nn) return nn + 1;
      s.pos = nd + dlen;
    }
  }

  private countNl(from: number, to: number): number {
    let n = 0;
    let i = this.buf.indexOf('\n', from);
    while (i !== -1 && i < to) {
      n++;
      i = this.buf.indexOf('\n', i + 1);
    }
    return n;
  }

  private cutDetail(chars: number): string {
    return `a line of ${chars} characters; only the first ${this.c.maxRecord} are kept`;
  }

  /**
   * A record longer than maxRecord (complete or not): a first line longer than maxRecord is cut
   * (the rest of that line dropped, possibly still to come); otherwise the first line is
   * quarantined and the following lines are read again. Returns the next offset, or -1 when
   * the rest of an over-long first line is still to come (discarding started).
   */
  private tooLong(start: number, final: boolean): number {
    const { maxRecord } = this.c;
    const nn = this.buf.indexOf('\n', start);
    if (nn === -1 && !final) {
      this.discarding = { line: this.line, raw: this.buf.slice(start, start + maxRecord), chars: 0, skip: false };
      return start;
    }
    const end = nn === -1 ? this.buf.length : nn;
    if (end - start > maxRecord) {
      this.quarantine({ line: this.line, raw: this.buf.slice(start, start + maxRecord), reason: 'field_too_large', detail: this.cutDetail(end - start) }, this.line);
      this.line++;
      return nn === -1 ? this.buf.length : nn + 1;
    }
    return this.recoverFirstLine(start, 'field_too_large', `a quoted record longer than ${maxRecord} characters starts here (a quote left open?); the following lines are read again`);
  }

  /** Quarantine the first physical line of the record at `pos`; returns the offset after it. */
  private recoverFirstLine(pos: number, reason: string, detail: string): number {
    const nn = this.buf.indexOf('\n', pos);
    const raw = this.buf.slice(pos, nn === -1 ? this.buf.length : this.lineStop(pos, nn));
    if (this.needHeader) {
      this.record(splitPlain(this.c, raw), raw, this.line, this.line, 0);
      this.line++;
      return nn === -1 ? this.buf.length : nn + 1;
    }
    let why = reason;
    if (this.odd && raw.indexOf('\u0000') !== -1) why = 'nul_byte';
    else if (this.odd && raw.indexOf('\ufffd') !== -1) why = 'undecodable';
    this.quarantine({ line: this.line, raw, reason: why, detail }, this.line);
    this.line++;
    return nn === -1 ? this.buf.length : nn + 1;
  }

  /** The end of an over-long line that was being dropped: quarantine its start (or count it as skipped junk). */
  private endDiscarding(): void {
    const d = this.discarding!;
    this.discarding = null;
    if (d.skip) {
      this.toSkip--;
      this.onSpan?.('skipped', d.line, d.line);
    } else this.quarantine({ line: d.line, raw: d.raw, reason: 'field_too_large', detail: this.cutDetail(d.chars) }, d.line);
    this.line = d.line + 1;
  }

  /** Read every complete record in the buffer (all of it when `final`); keep the rest for the next push. */
  private drain(final: boolean): void {
    const { qch, quote, maxRecord } = this.c;
    let pos = 0;
    let qNext = -2; // index of the next quote at or after pos; -2 = not searched yet
    while (pos < this.buf.length) {
      const buf = this.buf;
      if (this.discarding) {
        const nn = buf.indexOf('\n', pos);
        if (nn === -1 && !final) {
          this.discarding.chars += buf.length - pos;
          pos = buf.length;
          break;
        }
        const end = nn === -1 ? buf.length : nn;
        this.discarding.chars += end - pos;
        this.endDiscarding();
        pos = nn === -1 ? buf.length : nn + 1;
        continue;
      }
      if (this.toSkip > 0) {
        const nn = buf.indexOf('\n', pos);
        if (nn === -1 && !final) {
          // A junk line is dropped anyway: do not buffer more than maxRecord of it.
          if (buf.length - pos > maxRecord) this.discarding = { line: this.line, raw: '', chars: 0, skip: true };
          else break;
          continue;
        }
        this.toSkip--;
        this.onSpan?.('skipped', this.line, this.line);
        this.line++;
        pos = nn === -1 ? buf.length : nn + 1;
        continue;
      }
      let s = this.partial;
      if (s === null) {
        const known = this.nlFrom; // the pending line has no \n in its first `known` characters
        this.nlFrom = 0;
        const nl = buf.indexOf('\n', pos + known);
        const lineEnd = nl === -1 ? buf.length : nl;
        if (qch !== -1 && (qNext === -2 || (qNext !== -1 && qNext < pos))) qNext = buf.indexOf(quote!, pos);
        if (qch === -1 || qNext === -1 || qNext >= lineEnd) {
          if (nl === -1 && !final) {
            if (buf.length - pos > maxRecord) {
              this.discarding = { line: this.line, raw: buf.slice(pos, pos + maxRecord), chars: 0, skip: false };
              continue;
            }
            this.nlFrom = buf.length - pos;
            break;
          }
          if (lineEnd - pos > maxRecord) {
            this.quarantine({ line: this.line, raw: buf.slice(pos, pos + maxRecord), reason: 'field_too_large', detail: this.cutDetail(lineEnd - pos) }, this.line);
            this.line++;
            pos = lineEnd + 1;
            continue;
          }
          const raw = buf.slice(pos, nl === -1 ? lineEnd : this.lineStop(pos, nl));
          this.record(splitPlain(this.c, raw), raw, this.line, this.line, 0);
          this.line++;
          pos = lineEnd + 1;
          continue;
        }
        s = { start: pos, pos, mode: 0, fields: [], cur: '', badQuote: false };
      }
      const end = this.parseQuoted(s, final);
      if (end === -1) {
        this.partial = null;
        if (buf.length - s.start > maxRecord) {
          pos = this.tooLong(s.start, final);
          qNext = -2;
          continue;
        }
        this.partial = s;
        pos = s.start;
        break;
      }
      this.partial = null;
      const recEnd = end === -2 ? buf.length : end;
      const endsNl = recEnd > s.start && buf.charCodeAt(recEnd - 1) === NL;
      const rawEnd = endsNl ? this.lineStop(s.start, recEnd - 1) : recEnd;
      if (rawEnd - s.start > maxRecord) {
        pos = this.tooLong(s.start, true);
        qNext = -2;
        continue;
      }
      const raw = buf.slice(s.start, rawEnd);
      const newlines = this.countNl(s.start, rawEnd);
      const flags: 0 | 1 | 2 = end === -2 ? 1 : s.badQuote ? 2 : 0;
      if (this.record(s.fields, raw, this.line, this.line + newlines, flags)) {
        this.line += newlines + 1;
        pos = recEnd;
      } else {
        pos = this.recoverFirstLine(
          s.start,
          flags === 1 ? 'unterminated_quote' : 'bad_quote',
          flags === 1
            ? 'a quoted field opened on this line is never closed; the following lines are read again'
            : `a quote opened on this line closes ${newlines} line(s) later with text after it; the following lines are read again`,
        );
      }
      qNext = -2;
    }
    // The over-long last line ended with the text.
    if (final && this.discarding) this.endDiscarding();
    if (pos > 0) {
      if (this.partial) {
        this.partial.start -= pos;
        this.partial.pos -= pos;
      }
      this.buf = pos >= this.buf.length ? '' : this.buf.slice(pos);
    }
    if (this.buf === '') this.odd = false;
  }
}
