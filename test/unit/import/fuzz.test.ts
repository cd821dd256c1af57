/**
 * Bounded fuzz run (issue 16 acceptance): generated hostile CSV and .xlsx files go through the
 * whole import service — detection, the import job in its worker, the tables. For every file:
 * no crash (inspect and the job either succeed or fail with an AppError carrying English and
 * Chinese text, never 'internal'), no hang (every call returns within the test's time limit),
 * and rows in = imported + quarantined, matching what the raw and quarantine tables hold.
 * Most CSV files run the import job in-process (same code, same single transaction, without
 * the worker start-up that costs ~1.5 s per job under the TypeScript loader); a few go through
 * the real job worker. About a minute in CI; IMPORT_FUZZ_SCALE=10 IMPORT_FUZZ_SEED=n for a
 * longer search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { testApp, type TestApp } from '../../helpers/app';
import type { ImportSummary } from '../../../shared/api/import';
import { runImport } from '../../../main/services/import/run';

const SCALE = Number(process.env.IMPORT_FUZZ_SCALE ?? 1);
const SEED = Number(process.env.IMPORT_FUZZ_SEED ?? 16);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'fuzz' });
});
afterAll(() => app.close());

const HOSTILE = ['', ' ', '"', '""', '"a,b"', 'x"y', '"open', ',', ';', '\t', '|', '\n', '\r', '\r\n', '\u0000', '\ufffd', '张三', '備註', '😀', '=1+2', '+86 138 1234 5678', '1.38E+10', '01012345678', '2024-02-30', '1,234.50', '-', 'N/A', '_row', '\u3000', 'é'];
const cell = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom('a', '7', ' ', ',', ';', '|', '\t', '"', '\n', '\r', '张', '😀', '\u0000'), maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3000 }).map((n) => 'x'.repeat(n)) },
);
const csvText = fc
  .record({
    rows: fc.array(fc.array(cell, { minLength: 0, maxLength: 8 }), { minLength: 0, maxLength: 40 }),
    delim: fc.constantFrom(',', ';', '\t', '|', ', '),
    ends: fc.array(fc.constantFrom('\n', '\r\n', '\r', '', ',\n'), { minLength: 1, maxLength: 3 }),
    quoteSome: fc.boolean(),
  })
  .map(({ rows, delim, ends, quoteSome }) => rows.map((r, i) => r.map((v, j) => (quoteSome && (i + j) % 3 === 0 ? `"${v.replace(/"/g, '""')}"` : v)).join(delim) + ends[i % ends.length]).join(''));
const csvBytes = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(csvText, fc.constantFrom('utf-8', 'utf-8-bom', 'utf-16le', 'gb18030', 'latin1')).map(([t, enc]) => encode(t, enc)) },
  { weight: 2, arbitrary: fc.tuple(csvText, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 })).map(([t, flips]) => corrupt(Buffer.from(t, 'utf8'), flips)) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 3000 }) },
);

function encode(text: string, enc: string): Uint8Array {
  if (enc === 'utf-8') return Buffer.from(text, 'utf8');
  if (enc === 'utf-8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  if (enc === 'utf-16le') return iconv.encode(text, 'utf16le', { addBOM: true });
  return iconv.encode(text, enc);
}
function corrupt(b: Buffer, flips: [number, number][]): Uint8Array {
  const out = Buffer.from(b);
  for (const [at, v] of flips) if (out.length) out[at % out.length] = v;
  return out;
}

let n = 0;
const refusals = new Map<string, number>();
/** Import one file through the service; returns what happened, asserting the invariants. */
async function importChecked(bytes: Uint8Array, ext: string, inProcess = false): Promise<'imported' | 'refused'> {
  const file = path.join(app.dir, `fuzz-${++n}.${ext}`);
  writeFileSync(file, bytes);
  // An AppError thrown by a call has `message`; a failed job carries { code, en, zh }.
  const clear = (e: unknown) => {
    expect(e, String(e)).toMatchObject({ code: expect.any(String), zh: expect.any(String) });
    const err = e as { code: string; message?: string; en?: string; zh: string };
    const en = err.message ?? err.en ?? '';
    const key = process.env.IMPORT_FUZZ_VERBOSE ? `${err.code}: ${en.slice(0, 160)}` : err.code;
    refusals.set(key, (refusals.get(key) ?? 0) + 1);
    expect(err.code, en).not.toBe('internal');
    expect(en.length, err.code).toBeGreaterThan(0);
    expect(err.zh.length, err.code).toBeGreaterThan(0);
  };
  let inspect;
  try {
    inspect = await app.call('import/inspect', { files: [{ path: file }] });
  } catch (e) {
    clear(e);
    return 'refused';
  }
  if (inProcess) {
    // The job's own function in its transaction, as the worker runs it.
    const db = app.ctx.requireSession().db;
    const files = [{ path: file, name: path.basename(file), size: bytes.length, kind: ext === 'xlsx' ? ('xlsx' as const) : ('text' as const) }];
    const ctx = { db, jobId: `fuzz-${n}`, progress: () => {}, checkCancel: () => {}, cancelled: () => false };
    db.exec('BEGIN');
    let s: ImportSummary;
    try {
      s = await runImport(ctx, { files, name: `fuzz ${n}`, settings: inspect.settings });
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      clear(e);
      return 'refused';
    }
    return checkSummary(s);
  }
  let jobId: string;
  try {
    ({ jobId } = await app.call('import/start', { files: [{ path: file }], name: `fuzz ${n}`, settings: inspect.settings }));
  } catch (e) {
    clear(e);
    return 'refused';
  }
  const job = await app.ctx.jobs.wait(jobId);
  if (job.status !== 'done') {
    expect(job.status).toBe('failed');
    clear(job.error);
    return 'refused';
  }
  return checkSummary(job.result as ImportSummary);
}

function checkSummary(s: ImportSummary): 'imported' {
  expect(s.rowsIn).toBe(s.rowsImported + s.rowsQuarantined);
  const db = app.ctx.requireSession().db;
  const count = (t: string) => (db.prepare(`SELECT count(*) AS c FROM "${t}"`).get() as { c: number }).c;
  expect(count(`${s.datasetId}__raw`)).toBe(s.rowsImported);
  expect(count(s.datasetId)).toBe(s.rowsImported);
  expect(count(`${s.datasetId}__quarantine`)).toBe(s.rowsQuarantined);
  return 'imported';
}

describe('bounded import fuzz run', () => {
  it('hostile CSV files: no crash, no hang, rows in = imported + quarantined', async () => {
    const seen = { imported: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(csvBytes, fc.nat(24), async (bytes, k) => {
        seen[await importChecked(bytes, 'csv', k !== 0)]++;
      }),
      { numRuns: runs(400), seed: SEED, endOnFailure: true },
    );
    // The generator must reach the import itself, not only the refusals.
    expect(seen.imported, JSON.stringify([...refusals])).toBeGreaterThan(seen.refused);
  });

  const xlsxCell = fc.oneof(
    fc.constantFrom(...HOSTILE.filter((v) => !/[\u0000\r]/.test(v))),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.date({ min: new Date('1900-03-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
    fc.constant(null),
  );
  const workbook = fc.record({
    sheets: fc.array(fc.array(fc.array(xlsxCell, { maxLength: 7 }), { maxLength: 25 }), { minLength: 1, maxLength: 3 }),
    damage: fc.option(fc.oneof(fc.double({ min: 0.05, max: 0.95, noNaN: true }).map((cut) => ({ cut })), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((flips) => ({ flips }))), { nil: undefined, freq: 2 }),
  });

  it('hostile .xlsx workbooks (odd cells, ragged and empty rows, truncated or damaged zips): no crash, no hang', async () => {
    const seen = { imported: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(workbook, async ({ sheets, damage }) => {
        const wb = new ExcelJS.Workbook();
        sheets.forEach((rows, i) => {
          const ws = wb.addWorksheet(`S${i + 1}`);
          for (const r of rows) ws.addRow(r);
        });
        let bytes: Uint8Array = Buffer.from(await wb.xlsx.writeBuffer());
        if (damage && 'cut' in damage) bytes = bytes.subarray(0, Math.floor(bytes.length * damage.cut));
        else if (damage) bytes = corrupt(Buffer.from(bytes), damage.flips);
        seen[await importChecked(bytes, 'xlsx')]++;
      }),
      // One undamaged workbook with a header and hostile cells is always among the runs, so the
      // import path itself is reached whatever the seed draws (damaged zips are refused).
      { numRuns: runs(12), seed: SEED + 1, endOnFailure: true, examples: [[{ sheets: [[['name', 'value', 'when'], ['=1+1', 1e21, new Date('2024-02-29')], ['\u202e', -0, null], ['x']]], damage: undefined }]] },
    );
    expect(seen.imported, JSON.stringify([...refusals])).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
