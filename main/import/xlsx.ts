/** Excel .xlsx, streamed with exceljs's WorkbookReader (rows are never all in memory). */
import ExcelJS from 'exceljs';

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

function reader(filePath: string) {
  return new ExcelJS.stream.xlsx.WorkbookReader(filePath, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
}

/** Rows of one sheet (by index or name) as strings; dates as ISO text. */
export async function* readXlsxRows(filePath: string, sheet: string | number = 0): AsyncGenerator<string[]> {
  let index = 0;
  for await (const ws of reader(filePath)) {
    const w = ws as unknown as { name?: string } & AsyncIterable<{ values: unknown[] }>;
    const match = typeof sheet === 'number' ? index === sheet : w.name === sheet;
    index++;
    if (!match) {
      for await (const _ of w) void _;
      continue;
    }
    for await (const row of w) {
      const vals = (row.values as unknown[]).slice(1); // exceljs rows are 1-based
      yield vals.map(cellText);
    }
    return;
  }
}

export async function listXlsxSheets(filePath: string): Promise<string[]> {
  const names: string[] = [];
  let i = 0;
  for await (const ws of reader(filePath)) {
    const w = ws as unknown as { name?: string } & AsyncIterable<unknown>;
    names.push(w.name ?? `Sheet${i + 1}`);
    i++;
    for await (const _ of w) void _;
  }
  return names;
}
