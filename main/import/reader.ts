/**
 * Streaming record reader over decoded text. Every non-blank record is either emitted as a row
 * or quarantined with its raw text, its first physical line number and a reason, so
 * rows in = rows imported + rows quarantined always holds.
 *
 * Line endings: \r\n, \n and a lone \r are all line breaks (normalised as text arrives; a \r at
 * a chunk's end waits for the next chunk). Quoting follows RFC 4180 ("" inside a quoted field);
 * with quote = null a " is an ordinary character (the UCI SMS TSV). With the delimiter ' +',
 * runs of spaces/tabs separate fields and leading/trailing blanks are ignored (cdnow-master.txt).
 *
 * Tolerance for ragged records (documented in docs/methods/import.md):
 * - extra trailing fields that are all empty are dropped (Excel's trailing commas);
 * - missing trailing fields are padded with '' when the record keeps at least 75% of the
 *   expected fields and at least 2 of them; otherwise the record is quarantined as 'ragged'.
 * Other reasons: 'nul_byte' (U+0000), 'undecodable' (U+FFFD from the decoder: the bytes were
 * not valid in the chosen encoding), 'unterminated_quote' (a quote still open at end of file),
 * 'field_too_large' (a field over maxFieldChars, 64 Mi characters by default).
 *
 * Why not papaparse here: the reader must report the exact raw text and starting line of every
 * bad record and keep going; papaparse reports errors by row index and repairs rows silently.
 * This state machine uses indexOf/slice on whole lines (no per-character concatenation): a
 * line without a quote is split in one call.
 */
import type { Dialect } from './dialect';

export interface QuarantineRecord {
  line: number;
  raw: string;
  reason: 'ragged' | 'unterminated_quote' | 'nul_byte' | 'undecodable' | 'field_too_large';
  detail?: string;
}

export interface RowReader {
  push(text: string): void;
  end(): void;
  readonly linesRead: number;
  readonly blankLines: number;
  readonly records: number;
}

export interface RowReaderOptions {
  expectedFields?: number;
  maxFieldChars?: number;
  onHeader?: (names: string[]) => void;
  onRow: (fields: string[], line: number) => void;
  onQuarantine: (q: QuarantineRecord) => void;
}

const WS = /[ \t]+/;

export function createRowReader(dialect: Dialect, opts: RowReaderOptions): RowReader {
  const delim = dialect.delimiter === ' +' || dialect.delimiter === 'whitespace' ? null : dialect.delimiter;
  const quote = delim === null ? null : dialect.quote;
  const maxField = opts.maxFieldChars ?? 64 * 1024 * 1024;
  let buf = '';
  let pendingCR = false;
  let line = 1; // physical line number of buf[0]
  let toSkip = dialect.skipLines;
  let needHeader = dialect.header;
  let expected = opts.expectedFields ?? 0;
  let blank = 0;
  let records = 0;
  let chunkHasOdd = false; // NUL or U+FFFD somewhere in the pending text

  const splitPlain = (s: string): string[] => {
    if (delim === null) {
      const t = s.trim();
      return t === '' ? [''] : t.split(WS);
    }
    return s.split(delim);
  };

  const emit = (fields: string[], raw: string, startLine: number) => {
    if (toSkip > 0) {
      toSkip--;
      return;
    }
    // Blank records: an empty line, or nothing but delimiters/blanks.
    let allEmpty = true;
    for (let i = 0; i < fields.length; i++) if (fields[i] !== '' && fields[i]!.trim() !== '') { allEmpty = false; break; }
    if (allEmpty && !needHeader) {
      blank++;
      return;
    }
    if (needHeader) {
      needHeader = false;
      if (expected === 0) expected = fields.length;
      opts.onHeader?.(fields);
      return;
    }
    records++;
    if (chunkHasOdd) {
      if (raw.includes('\u0000')) return opts.onQuarantine({ line: startLine, raw: raw.replace(/\u0000/g, '\\0'), reason: 'nul_byte', detail: 'the record contains NUL bytes' });
      if (raw.includes('\ufffd')) return opts.onQuarantine({ line: startLine, raw, reason: 'undecodable', detail: 'bytes not valid in the chosen encoding' });
    }
    if (expected === 0) expected = fields.length;
    if (fields.length !== expected) {
      if (fields.length > expected) {
        let extraEmpty = true;
        for (let i = expected; i < fields.length; i++) if (fields[i] !== '') { extraEmpty = false; break; }
        if (!extraEmpty) return opts.onQuarantine({ line: startLine, raw, reason: 'ragged', detail: `${fields.length} fields, expected ${expected}` });
        fields.length = expected;
      } else if (fields.length >= 2 && fields.length >= Math.ceil(expected * 0.75)) {
        while (fields.length < expected) fields.push('');
      } else {
        return opts.onQuarantine({ line: startLine, raw, reason: 'ragged', detail: `${fields.length} fields, expected ${expected}` });
      }
    }
    for (let i = 0; i < fields.length; i++) {
      if (fields[i]!.length > maxField) return opts.onQuarantine({ line: startLine, raw: raw.slice(0, 1000) + '…', reason: 'field_too_large', detail: `field ${i + 1} has ${fields[i]!.length} characters` });
    }
    opts.onRow(fields, startLine);
  };

  /**
   * Parse one record that contains a quote, starting at `pos`. Returns the end position (just
   * after the record's newline) and the fields, or null when the buffer ends inside the record.
   */
  const parseQuoted = (pos: number, final: boolean): { end: number; fields: string[]; newlines: number; unterminated?: boolean } | null => {
    const q = quote!;
    const d = delim!;
    const fields: string[] = [];
    let newlines = 0;
    for (;;) {
      if (buf.charCodeAt(pos) === q.charCodeAt(0)) {
        let val = '';
        let j = pos + 1;
        for (;;) {
          const k = buf.indexOf(q, j);
          if (k === -1) {
            if (!final) return null;
            // Quote still open at end of file.
            return { end: buf.length, fields, newlines: countNl(buf, pos, buf.length), unterminated: true };
          }
          val += buf.slice(j, k);
          if (k + 1 >= buf.length && !final) return null;
          if (buf[k + 1] === q) {
            val += q;
            j = k + 2;
            continue;
          }
          pos = k + 1;
          break;
        }
        // Lenient: text after the closing quote up to the next delimiter belongs to the field.
        const nd = buf.indexOf(d, pos);
        const nn = buf.indexOf('\n', pos);
        const stop = nd === -1 ? nn : nn === -1 ? nd : Math.min(nd, nn);
        if (stop === -1) {
          if (!final) return null;
          val += buf.slice(pos);
          fields.push(val);
          newlines += countNl(val, 0, val.length);
          return { end: buf.length, fields, newlines };
        }
        if (stop > pos) val += buf.slice(pos, stop);
        newlines += countNl(val, 0, val.length);
        fields.push(val);
        if (stop === nn) return { end: nn + 1, fields, newlines: newlines + 1 };
        pos = nd + d.length;
      } else {
        const nd = buf.indexOf(d, pos);
        const nn = buf.indexOf('\n', pos);
        // Neither a delimiter nor a line end yet: the field may continue in the next chunk.
        if (nn === -1 && nd === -1 && !final) return null;
        if (nd !== -1 && (nn === -1 || nd < nn)) {
          fields.push(buf.slice(pos, nd));
          pos = nd + d.length;
          continue;
        }
        if (nn === -1) {
          if (!final) return null;
          fields.push(buf.slice(pos));
          return { end: buf.length, fields, newlines };
        }
        fields.push(buf.slice(pos, nn));
        return { end: nn + 1, fields, newlines: newlines + 1 };
      }
    }
  };

  const drain = (final: boolean) => {
    let pos = 0;
    const qc = quote;
    // The next quote character at or after pos, found once and reused line after line (searching
    // from every line start would rescan the whole buffer per line when there is no quote).
    let qNext = qc === null ? -1 : buf.indexOf(qc);
    for (;;) {
      if (pos >= buf.length) break;
      const nl = buf.indexOf('\n', pos);
      const lineEnd = nl === -1 ? buf.length : nl;
      if (nl === -1 && !final) break;
      if (qNext !== -1 && qNext < pos) qNext = buf.indexOf(qc!, pos);
      const qi = qNext;
      if (qi === -1 || qi > lineEnd) {
        const raw = buf.slice(pos, lineEnd);
        emit(splitPlain(raw), raw, line);
        line++;
        pos = lineEnd + 1;
        continue;
      }
      const r = parseQuoted(pos, final);
      if (r === null) break;
      const raw = buf.slice(pos, r.end > pos && buf[r.end - 1] === '\n' ? r.end - 1 : r.end);
      if (r.unterminated) {
        if (toSkip > 0) toSkip--;
        else if (needHeader) {
          needHeader = false;
          opts.onHeader?.(splitPlain(raw));
        } else {
          records++;
          opts.onQuarantine({ line, raw, reason: 'unterminated_quote', detail: 'a quoted field is still open at the end of the file' });
        }
      } else emit(r.fields, raw, line);
      line += r.newlines;
      pos = r.end;
    }
    buf = pos >= buf.length ? '' : buf.slice(pos);
    if (buf === '') chunkHasOdd = false;
  };

  return {
    push(text: string) {
      if (text.length === 0) return;
      if (pendingCR) {
        text = '\r' + text;
        pendingCR = false;
      }
      if (text.charCodeAt(text.length - 1) === 13) {
        pendingCR = true;
        text = text.slice(0, -1);
      }
      if (text.indexOf('\r') !== -1) text = text.replace(/\r\n?/g, '\n');
      if (!chunkHasOdd && (text.indexOf('\u0000') !== -1 || text.indexOf('\ufffd') !== -1)) chunkHasOdd = true;
      buf = buf.length ? buf + text : text;
      drain(false);
    },
    end() {
      if (pendingCR) {
        buf += '\n';
        pendingCR = false;
      }
      drain(true);
    },
    get linesRead() {
      return line - 1;
    },
    get blankLines() {
      return blank;
    },
    get records() {
      return records;
    },
  };
}

function countNl(s: string, from: number, to: number): number {
  let n = 0;
  let i = s.indexOf('\n', from);
  while (i !== -1 && i < to) {
    n++;
    i = s.indexOf('\n', i + 1);
  }
  return n;
}
