/**
 * Excel .xlsx, streamed with exceljs's WorkbookReader (rows are never all in memory).
 * Cell values become strings: numbers as JavaScript prints them, booleans 'true'/'false',
 * dates as 'YYYY-MM-DD' (midnight) or 'YYYY-MM-DD HH:MM:SS' (Excel stores wall-clock time;
 * exceljs hands it over as UTC, so no time zone shift happens), rich text joined, hyperlinks
 * as their text, formulas as their cached result, errors as '#N/A' etc. Empty cells inside a
 * row are '' (exceljs rows are sparse); rows that are entirely empty are not reported by
 * exceljs and so are skipped. Sheets are chosen by 0-based index or by name.
 * Known limitation (exceljs 4): a formula whose cached result is 0, '' or false reads as ''
 * (exceljs's FormulaValue drops falsy results while reading), so such cells come out empty.
 *
 * Damaged workbooks: exceljs's zip/XML errors become AppError 'bad_xlsx'. Some damaged zips make
 * exceljs wait forever instead (its unzip stream neither ends nor fails: found by the import
 * fuzz run), so the reader is fed a file stream we watch: once every byte has been read, a
 * reader that yields no sheet and no row for STALL_MS is abandoned as damaged. A workbook being
 * read never trips it: rows keep coming, or bytes are still being read.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { AppError, isAppError } from '../../shared/errors';

/** exceljs fails on a damaged workbook with zip/XML errors: say what that means for the user. */
function brokenWorkbook(filePath: string, e: unknown): AppError {
  const why = e instanceof Error ? e.message : String(e);
  const name = filePath.split(/[\\/]/).pop() ?? filePath;
  return new AppError('bad_xlsx', `"${name}" cannot be read as an Excel workbook (.xlsx): the file is damaged or not really .xlsx (${why}). Open it in Excel and save it again, or export it as CSV.`, `无法把“${name}”读取为 Excel 工作簿（.xlsx）：文件已损坏或并非真正的 .xlsx（${why}）。请在 Excel 中打开后重新保存，或导出为 CSV。`, { reason: why });
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[]; hyperlink?: string; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error) return String(o.error);
    return '';
  }
  return String(v);
}

const STALL_MS = 5000;

interface Watch {
  input: ReadStream;
  ended: boolean;
  last: number;
}

function reader(filePath: string): { wb: AsyncIterable<unknown>; watch: Watch } {
  const input = createReadStream(filePath);
  const watch: Watch = { input, ended: false, last: Date.now() };
  input.on('end', () => {
    watch.ended = true;
    watch.last = Date.now();
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' }) as unknown as AsyncIterable<unknown>;
  return { wb, watch };
}

/** The items of `it`, failing with 'stalled' when the reader goes silent after the whole file was read. */
async function* watched<T>(it: AsyncIterable<T>, watch: Watch): AsyncGenerator<T> {
  const iter = it[Symbol.asyncIterator]();
  // One timer for the whole iteration (not one per row): it only fails the pending `stalled`.
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (watch.ended && Date.now() - watch.last > STALL_MS) reject(new Error('the workbook stops partway (its zip data never ends)'));
    }, 250);
  });
  stalled.catch(() => {}); // observed through Promise.race below
  try {
    for (;;) {
      let r: IteratorResult<T>;
      try {
        r = await Promise.race([iter.next(), stalled]);
      } catch (e) {
        watch.input.destroy();
        throw e;
      }
      if (r.done) return;
      watch.last = Date.now();
      yield r.value;
    }
  } finally {
    clearInterval(timer);
  }
}

/** Rows of one sheet (by index or name) as strings; dates as ISO text. */
export async function* readXlsxRows(filePath: string, sheet: string | number = 0): AsyncGenerator<string[]> {
  if (typeof filePath !== 'string' || filePath === '') throw new Error('readXlsxRows: filePath must be a non-empty string');
  try {
    yield* xlsxRows(filePath, sheet);
  } catch (e) {
    throw isAppError(e) ? e : brokenWorkbook(filePath, e);
  }
}

async function* xlsxRows(filePath: string, sheet: string | number): AsyncGenerator<string[]> {
  let index = 0;
  let found = false;
  const { wb, watch } = reader(filePath);
  for await (const ws of watched(wb, watch)) {
    const w = ws as unknown as { name?: string } & AsyncIterable<{ values: unknown[] }>;
    const match = typeof sheet === 'number' ? index === sheet : w.name === sheet;
    index++;
    if (!match) {
      for await (const _ of watched(w, watch)) void _;
      continue;
    }
    found = true;
    for await (const row of watched(w, watch)) {
      const vals = row.values as unknown[]; // 1-based and sparse
      const out = new Array<string>(Math.max(0, vals.length - 1));
      for (let i = 1; i < vals.length; i++) out[i - 1] = cellText(vals[i]);
      yield out;
    }
    return;
  }
  if (!found && index === 0) {
    // exceljs reports no sheet at all when every sheet is empty.
    throw new AppError('no_columns', 'The workbook has no data: its sheets are empty.', '该工作簿没有数据：工作表都是空的。');
  }
  if (!found) {
    const which = typeof sheet === 'number' ? `number ${sheet + 1}` : JSON.stringify(sheet);
    throw new AppError('no_such_sheet', `The workbook has no sheet ${which}.`, `该工作簿中没有工作表 ${typeof sheet === 'number' ? `第 ${sheet + 1} 个` : JSON.stringify(sheet)}。`);
  }
}

export async function listXlsxSheets(filePath: string): Promise<string[]> {
  const names: string[] = [];
  let i = 0;
  try {
    const { wb, watch } = reader(filePath);
    for await (const ws of watched(wb, watch)) {
      const w = ws as unknown as { name?: string } & AsyncIterable<unknown>;
      names.push(w.name ?? `Sheet${i + 1}`);
      i++;
      for await (const _ of watched(w, watch)) void _;
    }
  } catch (e) {
    throw isAppError(e) ? e : brokenWorkbook(filePath, e);
  }
  return names;
}
