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

export function createRowReader(dialect: Dialect, opts: RowReaderOptions): RowReader {
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
  const dlen = delim.length;
  const quote = spaces ? null : dialect.quote;
  const qch = quote === null ? -1 : quote.charCodeAt(0);
  const skipSpace = !spaces && dialect.skipInitialSpace === true;
  const maxField = opts.maxFieldChars ?? 16 * 1024 * 1024;
  const maxRecord = Math.max(opts.maxRecordChars ?? 2 * maxField, 1);
  const checkWidth = opts.checkWidth !== false;
  const onSpan = opts.onSpan;
  // Lone CRs are line breaks only in files that use them as such (see the top of this file).
  const loneCrBreaks = dialect.lineEnding === '\r' || dialect.lineEnding === 'mixed';
  const trailingDelimiter = !spaces && dialect.trailingDelimiter === true;
  /** End of the text of the line that ends at `nl` (drops the \r of a \r\n). */
  const lineStop = (from: number, nl: number): number => (nl > from && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);

  let buf = '';
  let line = 1; // physical line number of buf[0]
  let pendingCR = false;
  let toSkip = dialect.skipLines;
  let needHeader = dialect.header;
  let expected = opts.expectedFields ?? 0;
  let blank = 0;
  let rows = 0;
  let quarantined = 0;
  let odd = false; // a NUL or U+FFFD somewhere in the pending text
  let partial: QState | null = null;
  let nlFrom = 0; // the pending line has no \n before this offset
  // A line longer than maxRecord: its start is quarantined, the rest is dropped up to its \n.
  let discarding: { line: number; raw: string; chars: number; skip: boolean } | null = null;

  const isBlank = (fields: string[]): boolean => {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.length === 0) continue;
      const c = f.charCodeAt(0);
      // Fast path: a first character that cannot be white space (String.prototype.trim's set).
      if ((c > 32 && c < 0xa0) || (c > 0xa0 && c < 0x1680)) return false;
      if (f.trim() !== '') return false;
    }
    return true;
  };

  const splitPlain = (s: string): string[] => {
    if (spaces) {
      const t = s.trim();
      return t === '' ? [''] : t.split(WS);
    }
    const f = s.split(delim);
    if (skipSpace) for (let i = 1; i < f.length; i++) if (f[i]!.charCodeAt(0) === 32) f[i] = f[i]!.replace(LEADING_SPACES, '');
    return f;
  };

  const quarantine = (q: QuarantineRecord, to: number) => {
    quarantined++;
    opts.onQuarantine(q);
    onSpan?.('quarantine', q.line, to);
  };

  /**
   * One complete record. Returns false when it must be recovered (multi-line and bad): the
   * caller then quarantines its first line and resumes on the next one.
   */
  const record = (fields: string[], raw: string, from: number, to: number, flags: 0 | 1 | 2): boolean => {
    const multi = to > from;
    // A lone field of blanks is a value once the header is read (a line of spaces is counted).
    if (flags === 0 && isBlank(fields) && (needHeader || spaces || fields.length > 1 || raw === '')) {
      blank++;
      onSpan?.('blank', from, to);
      return true;
    }
    // A bad record over several lines is recovered line by line (see the top of this file).
    if (flags !== 0 && multi) return false;
    // A header with broken quoting is still the header: its quotes are read as text (taking the
    // next line as the header instead would silently lose a data row).
    if (flags !== 0 && needHeader) fields = splitPlain(raw);
    if (trailingDelimiter && fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
    if (needHeader) {
      needHeader = false;
      if (expected === 0) expected = fields.length;
      opts.onHeader?.(fields);
      onSpan?.('header', from, to);
      return true;
    }
    if (odd) {
      if (raw.indexOf('\u0000') !== -1) return quarantine({ line: from, raw, reason: 'nul_byte', detail: 'the record contains NUL (0x00) characters' }, to), true;
      if (raw.indexOf('\ufffd') !== -1) return quarantine({ line: from, raw, reason: 'undecodable', detail: 'bytes not valid in the chosen encoding' }, to), true;
    }
    if (flags !== 0) {
      if (flags === 1) quarantine({ line: from, raw, reason: 'unterminated_quote', detail: 'a quoted field is still open at the end of the file' }, to);
      else quarantine({ line: from, raw, reason: 'bad_quote', detail: 'text after a closing quote' }, to);
      return true;
    }
    if (checkWidth) {
      if (expected === 0) expected = fields.length;
      const n = fields.length;
      if (n !== expected) {
        quarantine({ line: from, raw, reason: 'ragged', detail: `${n} fields, expected ${expected}` }, to);
        return true;
      }
    }
    for (let i = 0; i < fields.length; i++) {
      if (fields[i]!.length > maxField) {
        quarantine({ line: from, raw, reason: 'field_too_large', detail: `field ${i + 1} has ${fields[i]!.length} characters (limit ${maxField})` }, to);
        return true;
      }
    }
    rows++;
    opts.onRow(fields, from);
    onSpan?.('row', from, to);
    return true;
  };

  /** Advance a quoted record. Returns the end offset (after its \n, or buf.length) or -1 for "need more text". */
  const parseQuoted = (s: QState, final: boolean): number => {
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
        s.fields.push(buf.slice(p, lineStop(p, nn)));
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
  };

  const countNl = (from: number, to: number): number => {
    let n = 0;
    let i = buf.indexOf('\n', from);
    while (i !== -1 && i < to) {
      n++;
      i = buf.indexOf('\n', i + 1);
    }
    return n;
  };

  /** Quarantine the first physical line of the record at `pos`; returns the offset after it. */
  const cutDetail = (chars: number) => `a line of ${chars} characters; only the first ${maxRecord} are kept`;

  /**
   * A record longer than maxRecord (complete or not): a first line longer than maxRecord is cut
   * (the rest of that line dropped, possibly still to come); otherwise the first line is
   * quarantined and the following lines are read again. Returns the next offset, or -1 when
   * the rest of an over-long first line is still to come (discarding started).
   */
  const tooLong = (start: number, final: boolean): number => {
    const nn = buf.indexOf('\n', start);
    if (nn === -1 && !final) {
      discarding = { line, raw: buf.slice(start, start + maxRecord), chars: 0, skip: false };
      return start;
    }
    const end = nn === -1 ? buf.length : nn;
    if (end - start > maxRecord) {
      quarantine({ line, raw: buf.slice(start, start + maxRecord), reason: 'field_too_large', detail: cutDetail(end - start) }, line);
      line++;
      return nn === -1 ? buf.length : nn + 1;
    }
    return recoverFirstLine(start, 'field_too_large', `a quoted record longer than ${maxRecord} characters starts here (a quote left open?); the following lines are read again`);
  };

  const recoverFirstLine = (pos: number, reason: string, detail: string): number => {
    const nn = buf.indexOf('\n', pos);
    const raw = buf.slice(pos, nn === -1 ? buf.length : lineStop(pos, nn));
    if (needHeader) {
      record(splitPlain(raw), raw, line, line, 0);
      line++;
      return nn === -1 ? buf.length : nn + 1;
    }
    let why = reason;
    if (odd && raw.indexOf('\u0000') !== -1) why = 'nul_byte';
    else if (odd && raw.indexOf('\ufffd') !== -1) why = 'undecodable';
    quarantine({ line, raw, reason: why, detail }, line);
    line++;
    return nn === -1 ? buf.length : nn + 1;
  };

  const drain = (final: boolean) => {
    let pos = 0;
    let qNext = -2; // index of the next quote at or after pos; -2 = not searched yet
    while (pos < buf.length) {
      if (discarding) {
        const nn = buf.indexOf('\n', pos);
        if (nn === -1 && !final) {
          discarding.chars += buf.length - pos;
          pos = buf.length;
          break;
        }
        const end = nn === -1 ? buf.length : nn;
        discarding.chars += end - pos;
        const d = discarding;
        discarding = null;
        if (d.skip) {
          toSkip--;
          onSpan?.('skipped', d.line, d.line);
        } else quarantine({ line: d.line, raw: d.raw, reason: 'field_too_large', detail: cutDetail(d.chars) }, d.line);
        line = d.line + 1;
        pos = nn === -1 ? buf.length : nn + 1;
        continue;
      }
      if (toSkip > 0) {
        const nn = buf.indexOf('\n', pos);
        if (nn === -1 && !final) {
          // A junk line is dropped anyway: do not buffer more than maxRecord of it.
          if (buf.length - pos > maxRecord) discarding = { line, raw: '', chars: 0, skip: true };
          else break;
          continue;
        }
        toSkip--;
        onSpan?.('skipped', line, line);
        line++;
        pos = nn === -1 ? buf.length : nn + 1;
        continue;
      }
      let s = partial;
      if (s === null) {
        const known = nlFrom; // the pending line has no \n in its first `known` characters
        nlFrom = 0;
        const nl = buf.indexOf('\n', pos + known);
        const lineEnd = nl === -1 ? buf.length : nl;
        if (qch !== -1 && (qNext === -2 || (qNext !== -1 && qNext < pos))) qNext = buf.indexOf(quote!, pos);
        if (qch === -1 || qNext === -1 || qNext >= lineEnd) {
          if (nl === -1 && !final) {
            if (buf.length - pos > maxRecord) {
              discarding = { line, raw: buf.slice(pos, pos + maxRecord), chars: 0, skip: false };
              continue;
            }
            nlFrom = buf.length - pos;
            break;
          }
          if (lineEnd - pos > maxRecord) {
            quarantine({ line, raw: buf.slice(pos, pos + maxRecord), reason: 'field_too_large', detail: cutDetail(lineEnd - pos) }, line);
            line++;
            pos = lineEnd + 1;
            continue;
          }
          const raw = buf.slice(pos, nl === -1 ? lineEnd : lineStop(pos, nl));
          record(splitPlain(raw), raw, line, line, 0);
          line++;
          pos = lineEnd + 1;
          continue;
        }
        s = { start: pos, pos, mode: 0, fields: [], cur: '', badQuote: false };
      }
      const end = parseQuoted(s, final);
      if (end === -1) {
        partial = null;
        if (buf.length - s.start > maxRecord) {
          pos = tooLong(s.start, final);
          qNext = -2;
          continue;
        }
        partial = s;
        pos = s.start;
        break;
      }
      partial = null;
      const recEnd = end === -2 ? buf.length : end;
      const endsNl = recEnd > s.start && buf.charCodeAt(recEnd - 1) === NL;
      const rawEnd = endsNl ? lineStop(s.start, recEnd - 1) : recEnd;
      if (rawEnd - s.start > maxRecord) {
        partial = null;
        pos = tooLong(s.start, true);
        qNext = -2;
        continue;
      }
      const raw = buf.slice(s.start, rawEnd);
      const newlines = countNl(s.start, rawEnd);
      const flags: 0 | 1 | 2 = end === -2 ? 1 : s.badQuote ? 2 : 0;
      if (record(s.fields, raw, line, line + newlines, flags)) {
        line += newlines + 1;
        pos = recEnd;
      } else {
        pos = recoverFirstLine(
          s.start,
          flags === 1 ? 'unterminated_quote' : 'bad_quote',
          flags === 1
            ? 'a quoted field opened on this line is never closed; the following lines are read again'
            : `a quote opened on this line closes ${newlines} line(s) later with text after it; the following lines are read again`,
        );
      }
      qNext = -2;
    }
    if (final && discarding) {
      // The over-long last line ended with the text.
      const d = discarding;
      discarding = null;
      if (d.skip) {
        toSkip--;
        onSpan?.('skipped', d.line, d.line);
      } else quarantine({ line: d.line, raw: d.raw, reason: 'field_too_large', detail: cutDetail(d.chars) }, d.line);
      line = d.line + 1;
    }
    if (pos > 0) {
      if (partial) {
        partial.start -= pos;
        partial.pos -= pos;
      }
      buf = pos >= buf.length ? '' : buf.slice(pos);
    }
    if (buf === '') odd = false;
  };

  return {
    push(text: string) {
      if (text.length === 0) return;
      if (loneCrBreaks) {
        if (pendingCR) {
          text = '\r' + text;
          pendingCR = false;
        }
        if (text.charCodeAt(text.length - 1) === 13) {
          pendingCR = true;
          text = text.slice(0, -1);
        }
        if (text.indexOf('\r') !== -1) text = text.replace(LONE_CR, '\n');
      }
      if (!odd && (text.indexOf('\u0000') !== -1 || text.indexOf('\ufffd') !== -1)) odd = true;
      buf = buf.length ? buf + text : text;
      drain(false);
    },
    end() {
      if (pendingCR) {
        buf += '\n';
        pendingCR = false;
      } else if (buf.charCodeAt(buf.length - 1) === 13) buf += '\n'; // a last line ending in \r\n cut to \r
      drain(true);
    },
    get linesRead() {
      return line - 1;
    },
    get blankLines() {
      return blank;
    },
    get records() {
      return rows + quarantined;
    },
    get rows() {
      return rows;
    },
    get quarantined() {
      return quarantined;
    },
  };
}
