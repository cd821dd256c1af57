/**
 * Property-based tests (fast-check) of the streaming reader on hostile input: random fields
 * with quotes, delimiters, line breaks of every kind, NULs and replacement characters, ragged
 * widths, random dialects and size limits, random chunk cuts, and random bytes.
 *
 * Properties: nothing throws; the reported spans tile the text's physical lines exactly (no
 * line lost or read twice), so rows in (non-blank records) = rows emitted + rows quarantined;
 * the result does not depend on where the chunks were cut; quarantined raw text is the text of
 * its lines; and a well-formed CSV (any encoding, any byte chunking) reads back exactly.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { createDecoder, detectEncoding, looksBinary, type EncodingName } from '../../../main/import/encoding';
import { detectDialect, type Dialect } from '../../../main/import/dialect';
import { createRowReader, type QuarantineRecord, type RowReaderOptions } from '../../../main/import/reader';
import { physicalLines, readAll, tilingProblem, type Span } from './helpers';

// IMPORT_FC_SCALE=20 IMPORT_FC_SEED=123 npx vitest run test/unit/import/property.test.ts — a longer search.
const SCALE = Number(process.env.IMPORT_FC_SCALE ?? 1);
const seed = (s: number) => (process.env.IMPORT_FC_SEED ? Number(process.env.IMPORT_FC_SEED) + s : s);
const runs = (n: number) => Math.round(n * SCALE);

type Event = ['H', string[]] | ['R', number, string[]] | ['Q', QuarantineRecord] | ['S', string, number, number];

function run(text: string, cuts: number[], dialect: Dialect, opts: Partial<RowReaderOptions> = {}) {
  const events: Event[] = [];
  const spans: Span[] = [];
  const reader = createRowReader(dialect, {
    ...opts,
    onHeader: (h) => events.push(['H', h]),
    onRow: (f, line) => events.push(['R', line, f]),
    onQuarantine: (q) => events.push(['Q', q]),
    onSpan: (kind, from, to) => {
      events.push(['S', kind, from, to]);
      spans.push({ kind, from, to });
    },
  });
  let i = 0;
  for (let k = 0; i < text.length; k++) {
    const n = cuts.length ? Math.max(1, cuts[k % cuts.length]!) : text.length;
    reader.push(text.slice(i, i + n));
    i += n;
  }
  reader.end();
  return { events, spans, reader };
}

const SPECIAL = ['', '"', '""', "'", ',', ';', '\t', '|', ' ', '  ', '\n', '\r\n', '\r', '\u0000', '\ufffd', '张三', 'a"b', '"q, x"', '"x"y', 'x  ', '  y', '"open'];
const hostileField = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...SPECIAL), fc.string({ unit: fc.constantFrom('a', '"', ',', '\n', '\r', ' ', '\t', ';', '张'), maxLength: 8 }));
const dialectArb = fc.record({
  delimiter: fc.constantFrom(',', ';', '\t', '|', ' +'),
  quote: fc.constantFrom<'"' | "'" | null>('"', '"', "'", null),
  header: fc.boolean(),
  lineEnding: fc.constant<'mixed'>('mixed'),
  skipLines: fc.integer({ min: 0, max: 3 }),
  skipInitialSpace: fc.boolean(),
});
const hostileText = fc
  .tuple(fc.array(fc.array(hostileField, { minLength: 0, maxLength: 7 }), { minLength: 0, maxLength: 25 }), fc.constantFrom(',', ';', '\t', '|', ' '), fc.array(fc.constantFrom('\n', '\r\n', '\r', ''), { minLength: 1, maxLength: 4 }))
  .map(([rows, d, ends]) => rows.map((r, i) => r.join(d) + ends[i % ends.length]).join(''));

/**
 * The text of lines from..to (1-based, inclusive) as the reader keeps it with lineEnding 'mixed':
 * lone CRs are line breaks (read as \n), CRLFs inside the record stay, the last break is dropped.
 */
const linesOf = (text: string, from: number, to: number) =>
  text
    .replace(/\r(?!\n)/g, '\n')
    .split(/(?<=\n)/)
    .slice(from - 1, to)
    .join('')
    .replace(/\r?\n$/, '');

describe('hostile CSVs (property-based)', () => {
  it('never throw; spans tile the lines; rows in = emitted + quarantined; chunking changes nothing; raw text is kept', () => {
    fc.assert(
      fc.property(
        hostileText,
        dialectArb,
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 6 }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        fc.option(fc.record({ maxFieldChars: fc.integer({ min: 1, max: 12 }), maxRecordChars: fc.integer({ min: 1, max: 40 }) }), { nil: undefined }),
        (text, dialect, cuts, expectedFields, limits) => {
          const opts = { expectedFields, ...limits };
          const whole = run(text, [], dialect, opts);
          const chunked = run(text, cuts, dialect, opts);
          expect(chunked.events).toEqual(whole.events);
          const total = physicalLines(text);
          expect(tilingProblem(whole.spans, total)).toBeNull();
          expect(whole.reader.linesRead).toBe(total);
          const rowSpans = whole.spans.filter((s) => s.kind === 'row').length;
          const qSpans = whole.spans.filter((s) => s.kind === 'quarantine').length;
          expect(whole.reader.rows).toBe(rowSpans);
          expect(whole.reader.quarantined).toBe(qSpans);
          expect(whole.reader.records).toBe(rowSpans + qSpans);
          expect(whole.events.filter((e) => e[0] === 'R')).toHaveLength(rowSpans);
          const width = whole.events.find((e) => e[0] === 'H');
          const expected = expectedFields ?? (width ? (width[1] as string[]).length : undefined);
          for (let i = 0; i < whole.events.length; i++) {
            const e = whole.events[i]!;
            const span = whole.events[i + 1];
            if (e[0] === 'R') {
              expect(span?.[0] === 'S' && span[1] === 'row' && span[2] === e[1]).toBe(true);
              if (expected !== undefined) expect(e[2].length).toBe(expected);
            }
            if (e[0] === 'Q') {
              const q = e[1];
              expect(span?.[0] === 'S' && span[1] === 'quarantine' && span[2] === q.line).toBe(true);
              const original = linesOf(text, q.line, (span as ['S', string, number, number])[3]);
              if (q.detail?.includes('only the first')) expect(original.startsWith(q.raw)).toBe(true);
              else expect(q.raw).toBe(original);
            }
          }
        },
      ),
      { numRuns: runs(1500), seed: seed(20240630) },
    );
  });

  it('with quoting off, records are exactly the non-blank physical lines after the skipped ones and the header', () => {
    fc.assert(
      fc.property(hostileText, fc.constantFrom(',', '\t', ';', ' +'), fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), (text, delimiter, skipLines, header, cuts) => {
        const { reader } = run(text, cuts, { delimiter, quote: null, header, lineEnding: 'mixed', skipLines });
        const lines = text.replace(/\r\n?/g, '\n').split('\n');
        if (text === '' || /\r?\n$|\r$/.test(text)) lines.pop();
        // Blank: an empty line or several blank fields; a lone field of blanks is blank only before the header.
        let headerSeen = !header;
        let records = 0;
        for (const l of lines.slice(skipLines)) {
          const parts = delimiter === ' +' ? [l.trim()] : l.split(delimiter);
          const allBlank = parts.every((f) => f.trim() === '');
          if (l === '' || (allBlank && (parts.length > 1 || !headerSeen || delimiter === ' +'))) continue;
          if (!headerSeen) headerSeen = true;
          else records++;
        }
        expect(reader.records).toBe(records);
      }),
      { numRuns: runs(800), seed: seed(11) },
    );
  });

  it('random bytes through detect + decode + read never throw and lose no line', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }), (bytes, cuts) => {
        expect(typeof looksBinary(bytes)).toBe('boolean');
        const r = readAll(bytes, cuts);
        const d = createDecoder(r.encoding);
        expect(tilingProblem(r.spans, physicalLines(d.decode(bytes) + d.end()))).toBeNull();
        expect(r.rows.length + r.quarantined.length).toBe(r.spans.filter((s) => s.kind === 'row' || s.kind === 'quarantine').length);
      }),
      { numRuns: runs(500), seed: seed(3) },
    );
  });

  it('detectDialect and detectEncoding never throw on hostile text', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const d = detectDialect(text);
        expect([',', ';', '\t', '|', ' +']).toContain(d.delimiter);
        expect(d.skipLines).toBeGreaterThanOrEqual(0);
        expect(['utf-8', 'utf-16le', 'utf-16be']).toContain(detectEncoding(Buffer.from(text)).encoding);
      }),
      { numRuns: runs(500), seed: seed(5) },
    );
  });
});

describe('well-formed CSVs round-trip exactly (property-based)', () => {
  const unit = fc.constantFrom('a', 'B', 'z', '0', '7', ' ', ',', ';', '\t', '|', '"', "'", '\n', '\r\n', '张', '三', '€', 'é', '😀', '\u3000', '-');
  const cell = fc.string({ unit, maxLength: 8 });
  const name = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '金', '额', '_', '1'), minLength: 1, maxLength: 5 });

  it('any cells, minimal quoting, any delimiter and line ending, any encoding, any byte chunking', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((w) => fc.tuple(fc.constant(w), fc.array(name, { minLength: w, maxLength: w }), fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 0, maxLength: 15 }))),
        fc.constantFrom(',', ';', '\t', '|'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom<EncodingName>('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'gb18030'),
        fc.array(fc.integer({ min: 1, max: 11 }), { minLength: 1, maxLength: 5 }),
        ([, header, table], delimiter, eol, finalEol, spaced, encoding, cuts) => {
          // Python's skipinitialspace style (", ") when `spaced`: cells that start with a blank are quoted.
          const needs = (v: string) => v.includes(delimiter) || v.includes('"') || v.includes('\n') || v.includes('\r') || (spaced && /^[ ]/.test(v));
          const enc = (v: string) => (needs(v) ? `"${v.replace(/"/g, '""')}"` : v);
          const lines = [header, ...table].map((r) => r.map(enc).join(spaced ? delimiter + ' ' : delimiter));
          const text = lines.join(eol) + (finalEol ? eol : '');
          const bytes =
            encoding === 'utf-8'
              ? Buffer.from(text, 'utf8')
              : encoding === 'utf-8-bom'
                ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
                : encoding === 'utf-16le'
                  ? iconv.encode(text, 'utf16le', { addBOM: true })
                  : encoding === 'utf-16be'
                    ? Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')])
                    : iconv.encode(text, 'gb18030');
          const dialect: Dialect = { delimiter, quote: '"', header: true, lineEnding: 'mixed', skipLines: 0, skipInitialSpace: spaced };
          const r = readAll(bytes, cuts, { ...dialect, encoding });
          // Values exactly as written, except that with lineEnding 'mixed' a lone CR is a line break.
          const norm = (v: string) => v.replace(/\r(?!\n)/g, '\n');
          expect(r.header).toEqual(header.map(norm));
          // Only empty lines and rows of several blank cells are blank; a one-column row of spaces is a row.
          expect(r.rows).toEqual(table.filter((row) => (row.length === 1 ? row[0] !== '' : row.some((v) => v.trim() !== ''))).map((row) => row.map(norm)));
          expect(r.quarantined).toEqual([]);
        },
      ),
      { numRuns: runs(600), seed: seed(7) },
    );
  });
});
