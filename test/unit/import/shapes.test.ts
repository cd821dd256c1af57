/**
 * Issue 16 items 8 and 10: shapes of text that used to import silently wrong. Each case states
 * what was read before and checks the rows, the quarantine and rows in = imported + quarantined.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { detectDialect } from '../../../main/import/dialect';
import { readAll } from './helpers';
import { testApp, type TestApp } from '../../helpers/app';
import type { DialectSettings, ImportSummary } from '../../../shared/api/import';

const read = (text: string, override?: Parameters<typeof readAll>[2]) => readAll(Buffer.from(text, 'utf8'), 65536, override);

describe('field counts (item 8)', () => {
  const header = 'id,name,gender,birthday,email';
  const good = ['1,张三,男,1990-01-02,zs@example.com', '2,李四,女,1991-03-04,ls@example.com', '4,赵六,男,1993-07-08,zl@example.com'];

  it('a row with one field too many whose last field is empty is quarantined, not shifted', () => {
    // A comma inside an unquoted name: before, the empty last field was dropped and the row was
    // imported with gender '四', birthday '女' and email '1992-05-06'.
    const r = read([header, good[0], good[1], '3,王,五,女,1992-05-06,', good[2]].join('\n') + '\n');
    expect(r.dialect.trailingDelimiter).toBeFalsy();
    expect(r.rows.map((x) => x[0])).toEqual(['1', '2', '4']);
    expect(r.quarantined).toEqual([{ line: 4, raw: '3,王,五,女,1992-05-06,', reason: 'ragged', detail: '6 fields, expected 5' }]);
  });

  it('a row one field short is quarantined, not padded', () => {
    const r = read([header, good[0], '3,王五,女,1992-05-06', good[1]].join('\n') + '\n');
    expect(r.rows.map((x) => x[0])).toEqual(['1', '2']);
    expect(r.quarantined.map((q) => [q.line, q.reason])).toEqual([[3, 'ragged']]);
  });

  it("a trailing delimiter on every line (Excel's trailing commas) is dropped; a line shifted inside such a file is still caught", () => {
    const lines = [header, ...good].map((l) => l + ',');
    const r = read(lines.join('\n') + '\n');
    expect(r.dialect.trailingDelimiter).toBe(true);
    expect(r.header).toEqual(header.split(','));
    expect(r.rows).toEqual(good.map((l) => l.split(',')));
    expect(r.quarantined).toEqual([]);
    // Only the data lines end with the extra comma: same result.
    const dataOnly = read([header, ...good.map((l) => l + ',')].join('\n') + '\n');
    expect(dataOnly.dialect.trailingDelimiter).toBe(true);
    expect(dataOnly.rows).toEqual(good.map((l) => l.split(',')));
    // The file's rule is read from the sample, then applied to each line.
    const shifted = read([header, ...good.map((l) => l + ','), '3,王,五,女,1992-05-06,,'].join('\n') + '\n', { trailingDelimiter: true });
    expect(shifted.rows).toHaveLength(3);
    expect(shifted.quarantined.map((q) => [q.line, q.reason])).toEqual([[5, 'ragged']]);
  });
});

describe('lines, dialects and quotes (item 10)', () => {
  it('a CR inside a quoted field stays a CR', () => {
    const r = read('id,note\r\n1,"a\rb"\r\n2,"c\r\nd"\r\n3,plain\r\n');
    expect(r.dialect.lineEnding).toBe('\r\n');
    expect(r.rows).toEqual([
      ['1', 'a\rb'],
      ['2', 'c\r\nd'],
      ['3', 'plain'],
    ]);
    const lf = read('id,note\n1,"x\ry"\n');
    expect(lf.rows).toEqual([['1', 'x\ry']]);
  });

  it('a whitespace-only line is counted: a row of a one-column file, quarantined in a wider one', () => {
    const wide = read('id,name\n1,a\n   \n2,b\n\n');
    expect(wide.rows).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
    expect(wide.quarantined.map((q) => [q.line, q.reason, q.raw])).toEqual([[3, 'ragged', '   ']]);
    expect(wide.blank).toBe(1); // the truly empty last line
    const one = read('name\nA\n \t \nB\n', { delimiter: ',', header: true });
    expect(one.rows).toEqual([['A'], [' \t '], ['B']]);
  });

  it('a pipe-delimited file whose values hold commas keeps its header', () => {
    const r = read('id|name|city\n1|a, b|x, y\n2|c, d|z, w\n3|e, f|u, v\n');
    expect(r.dialect).toMatchObject({ delimiter: '|', skipLines: 0, header: true });
    expect(r.header).toEqual(['id', 'name', 'city']);
    expect(r.rows).toHaveLength(3);
  });

  it("a ';' file with quoted commas is read with ';'", () => {
    const d = detectDialect('name;note\n"Smith, J";"a, b"\n"Doe, K";"c, d"\n"Li, M";"e, f"\n');
    expect(d).toMatchObject({ delimiter: ';', quote: '"', skipLines: 0, header: true });
  });

  it('a stray quote in the header keeps the header (quotes read as text) and loses no data row', () => {
    const r = read('"id,name\n1,a\n2,b\n', { quote: '"' });
    expect(r.header).toEqual(['"id', 'name']);
    expect(r.rows).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
    expect(r.quarantined).toEqual([]);
  });

  it('a stray quote in a data line quarantines that line and reads on', () => {
    const r = read('id,name\n1,"abc\n2,def\n3,ghi\n', { quote: '"' });
    expect(r.rows).toEqual([
      ['2', 'def'],
      ['3', 'ghi'],
    ]);
    expect(r.quarantined.map((q) => [q.line, q.reason, q.raw])).toEqual([[2, 'unterminated_quote', '1,"abc']]);
  });
});

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'shapes' });
});
afterAll(() => app.close());

async function importText(name: string, text: string, dialect?: Partial<DialectSettings>) {
  const file = path.join(app.dir, name);
  writeFileSync(file, text);
  const inspect = await app.call('import/inspect', { files: [{ path: file }], ...(dialect ? { dialect } : {}) });
  const { jobId } = await app.call('import/start', { files: [{ path: file }], name, settings: inspect.settings });
  const job = await app.ctx.jobs.wait(jobId);
  return { job, summary: job.result as ImportSummary, inspect };
}

describe('through the import service', () => {
  it('a one-line file imports as one row when the user says there is no header', async () => {
    const { job, summary, inspect } = await importText('one-line.csv', '张三,北京,13800138000\n', { header: false });
    expect(inspect.dialect.header).toBe(false);
    expect(job.status).toBe('done');
    expect(summary).toMatchObject({ rowsIn: 1, rowsImported: 1, rowsQuarantined: 0 });
    const { job: j2, summary: s2 } = await importText('one-line-no-eol.csv', 'name,city', { header: false });
    expect(j2.status).toBe('done');
    expect(s2).toMatchObject({ rowsIn: 1, rowsImported: 1 });
  });

  it('shifted rows and whitespace lines are counted in rows in = imported + quarantined, raw CRs kept', async () => {
    const text = 'id,name,gender\r\n1,"张\r三",男\r\n2,李,四,女,\r\n   \r\n3,王五,女\r\n';
    const { summary } = await importText('shapes.csv', text);
    expect(summary).toMatchObject({ rowsIn: 4, rowsImported: 2, rowsQuarantined: 2 });
    const raw = app.ctx.requireSession().db.prepare(`SELECT name FROM ${summary.datasetId}__raw ORDER BY _row`).all() as { name: string }[];
    expect(raw.map((r) => r.name)).toEqual(['张\r三', '王五']);
  });
});
