/** The table writer: CSV (BOM, GBK, RFC 4180), xlsx read back, sha256, protection, atomic failure, leak scan. */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetPath } from '../../helpers/datasets';
import { createRng, randInt } from '../../../main/kernel/random';
import { createRowProtector, csvField, writeTable, type ExportRow } from '../../../main/export/write';
import { createPseudonymizer } from '../../../main/privacy/pseudonym';

const root = mkdtempSync(path.join(tmpdir(), 'segmint-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dirFor = () => {
  const d = path.join(root, `t${++n}`);
  mkdirSync(d);
  return d;
};
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const code = async (p: Promise<unknown>) => p.then(() => 'resolved', (e) => (e as { code?: string }).code ?? String(e));

const secret = Buffer.alloc(32, 9);
const columns = ['id', '姓名', 'phone', 'note', 'amount'];
const rows: unknown[][] = [
  [1, '张小明', '13812341234', 'plain', -5],
  [2, '欧阳娜娜', '+86 139-0000-1111', 'has, comma and "quotes"', 12.5],
  [3, 'John Smith', '', 'line1\nline2', null],
  [4, '=HYPERLINK("x")', '010-12345678', '=1+1', 0],
];

describe('CSV', () => {
  it('UTF-8 with BOM, CRLF, RFC 4180 quoting; sha256 and size match the file', async () => {
    const p = path.join(dirFor(), 'out.csv');
    const r = await writeTable({ path: p, columns, rows });
    const buf = readFileSync(p);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(r).toMatchObject({ path: p, format: 'csv', encoding: 'utf-8', rows: 4, bytes: buf.length, sha256: sha(p), columns });
    const text = buf.subarray(3).toString('utf8');
    expect(text.split('\r\n').length).toBe(6); // header + 4 rows + final empty (the quoted LF in row 3 is no record end)
    expect(text).toContain('"has, comma and ""quotes"""');
    expect(text).toContain('"line1\nline2"');
    const parsed = Papa.parse<string[]>(text, { newline: '\r\n', skipEmptyLines: true }).data;
    expect(parsed).toEqual([
      columns,
      ['1', '张小明', '13812341234', 'plain', '-5'],
      ['2', '欧阳娜娜', "'+86 139-0000-1111", 'has, comma and "quotes"', '12.5'],
      ['3', 'John Smith', '', 'line1\nline2', ''],
      ['4', '\'=HYPERLINK("x")', '010-12345678', "'=1+1", '0'],
    ]);
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a;b', ',')).toBe('a;b');
  });

  it('no BOM on request; GBK round-trips through iconv-lite; GBK refuses emoji, GB18030 takes them', async () => {
    const d = dirFor();
    const noBom = await writeTable({ path: path.join(d, 'a.csv'), columns, rows, bom: false });
    expect(readFileSync(noBom.path)[0]).toBe('i'.charCodeAt(0)); // starts with the header 'id'
    const g = await writeTable({ path: path.join(d, 'gbk.csv'), columns, rows, encoding: 'gbk' });
    const raw = readFileSync(g.path);
    expect(raw[0]).toBe('i'.charCodeAt(0));
    expect(raw.includes(Buffer.from('张小明', 'utf8'))).toBe(false);
    const back = iconv.decode(raw, 'gbk');
    expect(back).toContain('欧阳娜娜');
    expect(Papa.parse<string[]>(back, { skipEmptyLines: true }).data[1]).toEqual(['1', '张小明', '13812341234', 'plain', '-5']);
    expect(g.sha256).toBe(sha(g.path));

    const emoji = [[1, '王😀', '', '', 1]];
    const target = path.join(d, 'emoji.csv');
    const err = await writeTable({ path: target, columns, rows: emoji, encoding: 'gbk' }).catch((e) => e);
    expect(err.code).toBe('export.unencodable');
    expect(err.details).toMatchObject({ row: 1, column: '姓名' });
    expect(err.zh).toContain('GB18030');
    expect(existsSync(target)).toBe(false);
    const ok = await writeTable({ path: target, columns, rows: emoji, encoding: 'gb18030' });
    expect(iconv.decode(readFileSync(ok.path), 'gb18030')).toContain('王😀');
    expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rows as objects from an async iterable; progress and a 100k-row stream', async () => {
    async function* gen(count: number): AsyncGenerator<ExportRow> {
      for (let i = 0; i < count; i++) yield { id: i, 姓名: '李四', phone: '1390000' + String(i % 10000).padStart(4, '0'), note: `n${i}`, amount: i / 4 };
    }
    const seen: number[] = [];
    const t0 = performance.now();
    const r = await writeTable({ path: path.join(dirFor(), 'big.csv'), columns, rows: gen(100_000), protect: [{ column: 'phone', protect: 'mask' }], onProgress: (k) => seen.push(k) });
    const ms = performance.now() - t0;
    expect(r.rows).toBe(100_000);
    expect(r.sha256).toBe(sha(r.path));
    expect(seen.at(-1)).toBe(100_000);
    expect(seen.length).toBeGreaterThan(50);
    const lines = readFileSync(r.path, 'utf8').split('\r\n');
    expect(lines[1]).toBe('0,李四,139****0000,n0,0');
    expect(lines[100_000]).toBe('99999,李四,139****9999,n99999,24999.75');
    expect(ms).toBeLessThan(30_000); // measured ~1.3 s
  });
});

describe('xlsx', () => {
  it('readable back with exceljs: numbers stay numbers, formulas are inert text, sha256 matches', async () => {
    const p = path.join(dirFor(), 'out.xlsx');
    const when = new Date(Date.UTC(2024, 4, 31, 20, 0, 0));
    const r = await writeTable({ path: p, columns: [...columns, 'when'], rows: [...rows.map((x) => [...x, when]), [5, 'bad\u0001char', null, '-5', -7, null]], sheetName: '名单/2024' });
    expect(r).toMatchObject({ format: 'xlsx', encoding: null, rows: 5, sha256: sha(p), bytes: readFileSync(p).length });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(p);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('名单_2024');
    expect(ws.rowCount).toBe(6);
    const vals = (i: number) => (ws.getRow(i).values as unknown[]).slice(1);
    expect(vals(1)).toEqual([...columns, 'when']);
    expect(vals(2).slice(0, 5)).toEqual([1, '张小明', '13812341234', 'plain', -5]);
    expect((vals(2)[5] as Date).getTime()).toBe(when.getTime());
    expect(vals(5).slice(0, 5)).toEqual([4, '\'=HYPERLINK("x")', '010-12345678', "'=1+1", 0]);
    expect(vals(6)).toEqual([5, 'badchar', undefined, '-5', -7]);
    for (let i = 1; i <= 6; i++) ws.getRow(i).eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula));
  });
  it('a cell longer than Excel allows is an error, and nothing is left behind', async () => {
    const d = dirFor();
    const err = await writeTable({ path: path.join(d, 'long.xlsx'), columns: ['t'], rows: [['x'], ['y'.repeat(40_000)]] }).catch((e) => e);
    expect(err.code).toBe('export.cell_too_long');
    expect(err.details).toMatchObject({ row: 2, column: 't', length: 40_000 });
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('protection', () => {
  it('keep / mask / pseudonym / drop, and sanitising after masking', async () => {
    const protect = [
      { column: '姓名', protect: 'mask' as const },
      { column: 'phone', protect: 'pseudonym' as const },
      { column: 'note', protect: 'drop' as const },
    ];
    const r = await writeTable({ path: path.join(dirFor(), 'p.csv'), columns, rows, protect, secret, namespace: 'agency-1' });
    expect(r.columns).toEqual(['id', '姓名', 'phone', 'amount']);
    const data = Papa.parse<string[]>(readFileSync(r.path, 'utf8').slice(1), { skipEmptyLines: true }).data;
    expect(data[0]).toEqual(['id', '姓名', 'phone', 'amount']);
    const tok = createPseudonymizer(secret, { namespace: 'agency-1', kind: 'phone' });
    expect(data.slice(1).map((x) => x[1])).toEqual(['张**', '欧阳**', 'J*** S****', '\'=H********("x")']);
    expect(data[1]![2]).toBe(tok('138 1234 1234'));
    expect(data[2]![2]).toBe(tok('+8613900001111'));
    expect(data[3]![2]).toBe('');
    expect(readFileSync(r.path, 'utf8')).not.toContain('plain');
  });
  it('bad protection specs fail before any file is created', async () => {
    const d = dirFor();
    const p = path.join(d, 'x.csv');
    expect(await code(writeTable({ path: p, columns, rows, protect: [{ column: 'nope', protect: 'mask' }] }))).toBe('export.unknown_column');
    expect(await code(writeTable({ path: p, columns, rows, protect: [{ column: 'phone', protect: 'pseudonym' }] }))).toBe('export.secret_missing');
    expect(await code(writeTable({ path: p, columns, rows, encoding: 'latin1' as never }))).toBe('export.bad_encoding');
    expect(readdirSync(d)).toEqual([]);
    expect(createRowProtector(columns, [{ column: 'phone', protect: 'mask' }]).apply({ phone: 13812341234 })).toEqual([undefined, undefined, '138****1234', undefined, undefined]);
  });
});

describe('atomic writes', () => {
  it('a failure mid-stream leaves the old file untouched and no temp file', async () => {
    const d = dirFor();
    const p = path.join(d, 'keep.csv');
    writeFileSync(p, 'old content');
    function* failing(): Generator<ExportRow> {
      for (let i = 0; i < 70_000; i++) {
        if (i === 50_000) throw new Error('database went away');
        yield [i, 'x', '', '', i];
      }
    }
    await expect(writeTable({ path: p, columns, rows: failing() })).rejects.toThrow('database went away');
    expect(readFileSync(p, 'utf8')).toBe('old content');
    expect(readdirSync(d)).toEqual(['keep.csv']);
    // Cancellation through checkCancel, for xlsx too.
    let calls = 0;
    const cancel = () => {
      if (++calls === 3) throw Object.assign(new Error('cancelled'), { name: 'CancelledError' });
    };
    const many = Array.from({ length: 5000 }, (_, i) => [i, 'x', '', '', i]);
    await expect(writeTable({ path: path.join(d, 'c.xlsx'), columns, rows: many, checkCancel: cancel })).rejects.toThrow('cancelled');
    expect(readdirSync(d)).toEqual(['keep.csv']);
  });
  it('paths that cannot be written give clear errors', async () => {
    const d = dirFor();
    writeFileSync(path.join(d, 'afile'), '');
    mkdirSync(path.join(d, 'adir'));
    expect(await code(writeTable({ path: path.join(d, 'missing', 'x.csv'), columns, rows }))).toBe('export.dir_missing');
    expect(await code(writeTable({ path: path.join(d, 'afile', 'x.csv'), columns, rows }))).toBe('export.dir_missing');
    expect(await code(writeTable({ path: path.join(d, 'adir'), columns, rows }))).toBe('export.is_directory');
    expect(await code(writeTable({ path: path.join(d, 'afile'), columns, rows, overwrite: false }))).toBe('export.exists');
    expect(await code(writeTable({ path: ' ', columns, rows }))).toBe('export.bad_path');
    const err = await writeTable({ path: path.join(d, 'missing', 'x.csv'), columns, rows }).catch((e) => e);
    expect(err.zh).toContain('文件夹不存在');
    expect(readdirSync(d).sort()).toEqual(['adir', 'afile']);
  });
  it.skipIf(process.getuid?.() === 0)('an unwritable directory → export.not_writable, nothing left', async () => {
    const d = dirFor();
    chmodSync(d, 0o500);
    try {
      expect(await code(writeTable({ path: path.join(d, 'x.csv'), columns, rows }))).toBe('export.not_writable');
      expect(readdirSync(d)).toEqual([]);
    } finally {
      chmodSync(d, 0o700);
    }
  });
});

describe('leak scan: masked phones never appear raw in the written file', () => {
  // The restaurant file has real (US) phones; there is no dataset with Chinese mobiles, so each
  // row also gets a seeded fake mobile, written in one of several common ways.
  const restaurants = Papa.parse<Record<string, string>>(readFileSync(datasetPath('restaurant-fodors-zagat.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
  const rng = createRng(20240531);
  const formats = [
    (m: string) => m,
    (m: string) => `+86${m}`,
    (m: string) => `+86 ${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`,
    (m: string) => `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`,
    (m: string) => `0086${m}`,
  ];
  const table = restaurants.map((r) => {
    const mobile = '1' + (3 + randInt(rng, 7)) + String(randInt(rng, 1e9)).padStart(9, '0');
    return { name: r.name, addr: r.addr, city: r.city, phone: r.phone, mobile: formats[randInt(rng, formats.length)]!(mobile), mobileDigits: mobile };
  });
  const cols = ['name', 'addr', 'city', 'phone', 'mobile'];
  const protect = [
    { column: 'phone', protect: 'mask' as const },
    { column: 'mobile', protect: 'mask' as const },
    { column: 'addr', protect: 'mask' as const },
  ];

  function assertNoLeak(cells: string[][]) {
    const fileText = cells.map((r) => r.join('\u0001')).join('\n');
    const cellDigits = cells.flat().map((c) => c.replace(/\D/g, ''));
    let checked = 0;
    for (const r of table) {
      for (const raw of [r.phone!, r.mobile]) {
        expect(fileText.includes(raw)).toBe(false);
        const digits = raw.replace(/\D/g, '');
        if (digits.length >= 7) {
          // No cell holds the number's digits, nor its subscriber part (last 8), even with separators removed.
          expect(cellDigits.some((c) => c.includes(digits.slice(-8)))).toBe(false);
          checked++;
        }
      }
      expect(fileText.includes(r.mobileDigits)).toBe(false);
      if (r.addr!.length >= 6) expect(fileText.includes(r.addr!)).toBe(false); // one row's addr is just '4'
    }
    expect(checked).toBeGreaterThan(1700); // 864 real + 864 fake numbers (one real one is cut short)
  }

  it('CSV', async () => {
    expect(table.length).toBe(864);
    const r = await writeTable({ path: path.join(dirFor(), 'scan.csv'), columns: cols, rows: table, protect });
    const cells = Papa.parse<string[]>(readFileSync(r.path, 'utf8').slice(1), { skipEmptyLines: true }).data;
    expect(cells.length).toBe(865);
    assertNoLeak(cells);
    // Still useful: carrier prefix and last 4 digits are visible on the fake mobiles.
    const m = cells.slice(1).map((c) => c[4]!);
    // masked in the national form whatever the spelling (+86 …, 0086 …): no leading '+' for a spreadsheet to escape
    expect(m.every((x) => /^1[3-9]\d\*{4}\d{4}$/.test(x))).toBe(true);
    expect(cells[1]![0]).toBe(table[0]!.name); // unprotected columns are kept
  });
  it('xlsx', async () => {
    const r = await writeTable({ path: path.join(dirFor(), 'scan.xlsx'), columns: cols, rows: table, protect });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.path);
    const cells: string[][] = [];
    wb.worksheets[0]!.eachRow((row) => cells.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
    expect(cells.length).toBe(865);
    assertNoLeak(cells);
  });
});
