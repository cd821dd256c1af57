/**
 * The messy fixtures of test/fixtures/import (written by generate.ts there): encodings,
 * dialects, junk, ragged and broken records, binary files. Every case checks that no line is
 * lost: the reader's spans tile the file's lines and rows in = rows + quarantined.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { fixturePath } from '../../helpers/datasets';
import { binaryKind, createDecoder, detectEncoding, looksBinary } from '../../../main/import/encoding';
import { detectDialect } from '../../../main/import/dialect';
import { createRowReader } from '../../../main/import/reader';
import { inferColumn, uniqueHeaders } from '../../../main/import/types';
import { parseTyped } from '../../../main/kernel/values';
import { suggestRoles } from '../../../main/import/roles';
import { physicalLines, readAll, tilingProblem, type ReadResult } from './helpers';

const fx = (name: string) => readFileSync(fixturePath(`import/${name}`));

/** Read a fixture whole and in 3-byte chunks; both must agree, and the spans must tile the lines. */
function read(name: string): ReadResult {
  const bytes = fx(name);
  const r = readAll(bytes);
  const small = readAll(bytes, 3);
  expect(small.rows, `${name}: 3-byte chunks`).toEqual(r.rows);
  expect(small.quarantined, `${name}: 3-byte chunks`).toEqual(r.quarantined);
  const text = createDecoder(r.encoding).decode(bytes) + createDecoder(r.encoding).end();
  expect(tilingProblem(r.spans, physicalLines(text)), name).toBeNull();
  const nonBlank = r.spans.filter((s) => s.kind === 'row' || s.kind === 'quarantine').length;
  expect(r.rows.length + r.quarantined.length).toBe(nonBlank);
  return r;
}

const MEMBER_ROWS = [
  ['C001', '张三', '北京市', '1200.5'],
  ['C002', '李四', '上海市', '99'],
  ['C003', '王五, 小王', '广州市', '305.25'],
  ['C004', '赵六', '深圳市', '1,234.50'],
];

describe('encodings', () => {
  it('UTF-8 with BOM: detected, BOM dropped from the first header name', () => {
    const r = read('utf8-bom.csv');
    expect(r.guess).toMatchObject({ encoding: 'utf-8-bom', bomLength: 3, confidence: 1 });
    expect(r.header).toEqual(['客户编号', '姓名', '城市', '金额']);
    expect(r.rows).toEqual(MEMBER_ROWS);
    expect(r.dialect.lineEnding).toBe('\r\n');
  });

  it('UTF-16 LE and BE with BOM read back to the same rows', () => {
    for (const [f, enc] of [['utf16le-bom.csv', 'utf-16le'], ['utf16be-bom.csv', 'utf-16be']] as const) {
      const r = read(f);
      expect(r.guess).toMatchObject({ encoding: enc, bomLength: 2 });
      expect(r.header).toEqual(['客户编号', '姓名', '城市', '金额']);
      expect(r.rows).toEqual(MEMBER_ROWS);
    }
  });

  it('UTF-16 without a BOM is recognised from its zero bytes', () => {
    const text = 'id,name\n1,alpha\n2,beta\n3,gamma\n';
    expect(detectEncoding(iconv.encode(text, 'utf16le')).encoding).toBe('utf-16le');
    expect(detectEncoding(iconv.encode(text, 'utf16be')).encoding).toBe('utf-16be');
  });

  it('Big5 traditional Chinese is told from GB18030', () => {
    const r = read('big5-traditional.csv');
    expect(r.guess.encoding).toBe('big5');
    expect(r.header).toEqual(['客戶編號', '姓名', '城市', '消費金額', '備註']);
    expect(r.rows[0]).toEqual(['T001', '張偉', '臺北市', '1200', '會員購買紀錄']);
    expect(r.rows).toHaveLength(4);
    expect(r.badBytes).toBe(0);
  });

  it('Latin-1 is the last resort for Western accents', () => {
    const r = read('latin1.csv');
    expect(r.guess.encoding).toBe('latin1');
    expect(r.rows.map((x) => x[1])).toEqual(['São Paulo', 'Zürich', 'Besançon', 'Kraków']);
    expect(r.rows[0]).toEqual(['José', 'São Paulo', 'Café crème']);
  });

  it('a file that changes encoding halfway: UTF-8 is kept, the GBK lines are quarantined as undecodable', () => {
    const r = read('halfway-gbk.csv');
    expect(r.guess.encoding).toBe('utf-8');
    expect(r.guess.reason).toMatch(/mostly UTF-8/);
    expect(r.rows).toHaveLength(30);
    expect(r.rows[29]).toEqual(['30', '北京市', '会员购买记录']);
    expect(r.quarantined.map((q) => [q.line, q.reason])).toEqual([
      [32, 'undecodable'],
      [33, 'undecodable'],
      [34, 'undecodable'],
      [35, 'undecodable'],
    ]);
    // The raw text keeps the ASCII part and marks the bad bytes; nothing is lost.
    expect(r.quarantined[0]!.raw.startsWith('31,')).toBe(true);
    expect(r.rows.length + r.quarantined.length).toBe(34);
  });

  it('binary files renamed .csv are reported, text files are not', () => {
    expect(looksBinary(fx('binary-junk.csv'))).toBe(true);
    expect(binaryKind(fx('binary-junk.csv'))).toBeNull();
    expect(looksBinary(fx('workbook-renamed.csv'))).toBe(true);
    expect(binaryKind(fx('workbook-renamed.csv'))).toMatch(/xlsx/);
    for (const f of ['utf8-bom.csv', 'utf16le-bom.csv', 'utf16be-bom.csv', 'big5-traditional.csv', 'latin1.csv', 'nul-bytes.csv', 'halfway-gbk.csv', 'chinese-export-gbk.csv', 'header-only.csv', 'empty.csv']) {
      expect(looksBinary(fx(f)), f).toBe(false);
    }
  });
});

describe('dialects', () => {
  it('semicolon with a quoted semicolon inside a field', () => {
    const r = read('semicolon.csv');
    expect(r.detected).toMatchObject({ delimiter: ';', quote: '"', header: true });
    expect(r.rows).toEqual([
      ['1001', 'München', '12.50', '2024-01-05'],
      ['1002', 'Köln', '7.25', '2024-01-06'],
      ['1003', 'Frankfurt; Main', '99.00', '2024-01-07'],
    ]);
  });

  it('pipe-separated .txt', () => {
    const r = read('pipe.txt');
    expect(r.detected).toMatchObject({ delimiter: '|', header: true });
    expect(r.header).toEqual(['order_id', 'customer', 'amount', 'channel']);
    expect(r.rows).toHaveLength(4);
    expect(r.rows[3]).toEqual(['SO4', 'C03', '45.9', 'app']);
  });

  it('leading junk lines (padded with commas) and a blank line above the header are skipped', () => {
    const r = read('junk-lines.csv');
    expect(r.detected).toMatchObject({ delimiter: ',', header: true, skipLines: 3 });
    expect(r.header).toEqual(['会员号', '姓名', '手机号码', '消费金额']);
    expect(r.rows.map((x) => x[0])).toEqual(['M1001', 'M1002', 'M1003']);
    expect(r.rowLines).toEqual([5, 6, 7]);
    expect(r.spans.slice(0, 4).map((s) => s.kind)).toEqual(['skipped', 'skipped', 'skipped', 'header']);
    // Told to skip only the two title lines, the blank line above the header is skipped as blank.
    const two = readAll(fx('junk-lines.csv'), 65536, { skipLines: 2 });
    expect(two.header).toEqual(r.header);
    expect(two.rows).toEqual(r.rows);
    expect(two.blank).toBe(1);
  });

  it('mixed line endings, a quoted field over a CRLF, a last line without a break', () => {
    const r = read('mixed-eol.csv');
    expect(r.detected.lineEnding).toBe('mixed');
    expect(r.rows).toEqual([
      ['1', '张三', 'first'],
      ['2', '李四', 'two\r\nlines'],
      ['3', '王五', 'third'],
      ['4', '赵六', 'fourth'],
    ]);
    expect(r.rowLines).toEqual([2, 3, 5, 6]);
    expect(r.linesRead).toBe(6);
  });

  it('Excel trailing commas: the header is not junk and the empty extra field is dropped', () => {
    const r = read('trailing-commas.csv');
    expect(r.detected).toMatchObject({ header: true, skipLines: 0 });
    expect(r.header).toEqual(['a', 'b', 'c']);
    expect(r.rows).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
      ['7', '8', '9'],
    ]);
  });

  it('empty file and header-only file', () => {
    const e = read('empty.csv');
    expect(e.rows).toEqual([]);
    expect(e.header).toBeNull();
    expect(e.detected.confidence).toBe(0);
    const h = read('header-only.csv');
    expect(h.detected.header).toBe(true);
    expect(h.header).toEqual(['客户编号', '姓名', '金额']);
    expect(h.rows).toEqual([]);
    expect(h.quarantined).toEqual([]);
  });
});

describe('broken records are quarantined with line, raw text and reason', () => {
  it('ragged rows: a field count other than the header\'s is quarantined, never padded or cut', () => {
    const r = read('ragged.csv');
    expect(r.rows).toEqual([
      ['1', '张三', '北京', '10'],
      ['7', '孙八', '成都', '70'],
    ]);
    expect(r.quarantined).toEqual([
      { line: 3, raw: '2,李四,上海', reason: 'ragged', detail: '3 fields, expected 4' },
      { line: 4, raw: '3,王五', reason: 'ragged', detail: '2 fields, expected 4' },
      { line: 5, raw: '4,赵六,深圳,40,,', reason: 'ragged', detail: '6 fields, expected 4' },
      { line: 6, raw: '5,钱七,杭州,50,extra', reason: 'ragged', detail: '5 fields, expected 4' },
      { line: 7, raw: '6', reason: 'ragged', detail: '1 fields, expected 4' },
    ]);
  });

  it('bad quotes: text after a closing quote, a literal quote, a stray opening quote (recovered line by line)', () => {
    const r = read('bad-quotes.csv');
    expect(r.detected.quote).toBe('"');
    expect(r.rows).toEqual([
      ['2', '李"四', '20'],
      ['4', '赵六', '40'],
      ['5', '钱"七', '50'],
    ]);
    expect(r.quarantined.map((q) => [q.line, q.reason, q.raw])).toEqual([
      [2, 'bad_quote', '1,"张三"先生,10'],
      [4, 'bad_quote', '3,"王五,30'],
    ]);
  });

  it('NUL bytes quarantine their records (raw text kept exactly)', () => {
    const r = read('nul-bytes.csv');
    expect(r.rows).toEqual([
      ['1', '张三', '10'],
      ['3', '王五', '30'],
    ]);
    expect(r.quarantined).toMatchObject([
      { line: 3, raw: '2,李\u0000四,20', reason: 'nul_byte' },
      { line: 5, raw: '4,\u0000\u0000,40', reason: 'nul_byte' },
    ]);
  });

  it('an unterminated quote at the end of the file: its first line is quarantined, the rest re-read', () => {
    const r = read('unterminated-eof.csv');
    expect(r.rows).toEqual([['1', '张三', 'ok']]);
    expect(r.quarantined.map((q) => [q.line, q.reason, q.raw])).toEqual([
      [3, 'unterminated_quote', '2,李四,"still open'],
      [4, 'ragged', 'and more text'],
    ]);
  });

  it('a stray quote in a big file does not swallow the rest', () => {
    const lines = ['id,name,amount'];
    for (let i = 1; i <= 2000; i++) lines.push(i === 10 ? `${i},"oops,${i}` : `${i},name ${i},${i * 2}`);
    const r = readAll(Buffer.from(lines.join('\n') + '\n'), 4096);
    expect(r.rows).toHaveLength(1999);
    expect(r.quarantined).toEqual([{ line: 11, raw: '10,"oops,10', reason: 'unterminated_quote', detail: expect.any(String) }]);
    expect(r.rows[9]).toEqual(['11', 'name 11', '22']);
  });

  it('a sound multi-line record of the wrong width is quarantined whole; broken quoting is recovered line by line', () => {
    const r = readAll(Buffer.from('a,b,c\n1,"x\ny",3\n2,"p\nq",4,5\n6,7,8\n'));
    expect(r.rows).toEqual([
      ['1', 'x\ny', '3'],
      ['6', '7', '8'],
    ]);
    expect(r.quarantined.map((q) => [q.line, q.reason, q.raw])).toEqual([[4, 'ragged', '2,"p\nq",4,5']]);
    // Only bare quotes here, so detection turns quoting off; force it on to see the recovery.
    expect(detectDialect('a,b,c\n1,"stray,2\n3,4,5\n6,"x"y,7\n8,9,10\n').quote).toBeNull();
    const b = readAll(Buffer.from('a,b,c\n1,"stray,2\n3,4,5\n6,"x"y,7\n8,9,10\n'), 65536, { quote: '"' });
    expect(b.rows).toEqual([
      ['3', '4', '5'],
      ['8', '9', '10'],
    ]);
    expect(b.quarantined.map((q) => [q.line, q.reason, q.raw])).toEqual([
      [2, 'bad_quote', '1,"stray,2'],
      [4, 'bad_quote', '6,"x"y,7'],
    ]);
  });
});

describe('sizes', () => {
  it('a 5 MB single field is read whole, in 64 KiB and in odd chunks', () => {
    const big = '长'.repeat(5 * 1024 * 1024 / 3) + 'x'.repeat(7);
    const bytes = Buffer.from(`id,blob,n\n1,"${big}",2\n2,small,3\n`);
    for (const chunk of [65536, 100_003]) {
      const r = readAll(bytes, chunk);
      expect(r.rows).toHaveLength(2);
      expect(r.rows[0]![1]).toBe(big);
      expect(r.rows[1]).toEqual(['2', 'small', '3']);
    }
  });

  it('a field over maxFieldChars is quarantined; a line over maxRecordChars is cut and the rest kept', () => {
    const r = readAll(Buffer.from(`a,b\n1,${'x'.repeat(5000)}\n2,ok\n`), 1000, undefined, { maxFieldChars: 1000, maxRecordChars: 10_000 });
    expect(r.rows).toEqual([['2', 'ok']]);
    expect(r.quarantined[0]).toMatchObject({ line: 2, reason: 'field_too_large' });
    const long = readAll(Buffer.from(`a,b\n1,${'y'.repeat(50_000)}\n2,ok\n3,"${'z'.repeat(30_000)}\n4,fine\n`), 1000, undefined, { maxFieldChars: 1000, maxRecordChars: 10_000 });
    expect(long.rows).toEqual([['2', 'ok'], ['4', 'fine']]);
    expect(long.quarantined.map((q) => [q.line, q.reason, q.raw.length])).toEqual([
      [2, 'field_too_large', 10_000],
      [4, 'field_too_large', 10_000],
    ]);
    expect(tilingProblem(long.spans, 5)).toBeNull();
  });

  it('10,000 columns: detected and read', () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
    const rows = [0, 1, 2].map((k) => Array.from({ length: 10_000 }, (_, i) => String(i * 10 + k)).join(','));
    const r = readAll(Buffer.from([header, ...rows].join('\n') + '\n'), 8192);
    expect(r.detected).toMatchObject({ delimiter: ',', header: true });
    expect(r.header).toHaveLength(10_000);
    expect(r.rows).toHaveLength(3);
    expect(r.rows[2]![9_999]).toBe('99992');
  });

  it('duplicate and empty header names are made unique', () => {
    const r = read('dup-headers.csv');
    expect(r.header).toEqual(['金额', '金额', '', '名称', 'Name', 'name', '']);
    expect(uniqueHeaders(r.header!)).toEqual(['金额', '金额_2', 'column_3', '名称', 'Name', 'name_2', 'column_7']);
    expect(r.rows).toHaveLength(2);
  });
});

describe('a messy Chinese CRM export (GBK, CRLF, title line, mixed formats)', () => {
  const r = read('chinese-export-gbk.csv');
  const col = (name: string) => r.rows.map((x) => x[r.header!.indexOf(name)]!);
  it('is detected and read', () => {
    expect(r.guess.encoding).toBe('gb18030');
    expect(r.detected).toMatchObject({ delimiter: ',', header: true, skipLines: 1, lineEnding: '\r\n' });
    expect(r.rows).toHaveLength(6);
    expect(r.quarantined).toEqual([]);
  });

  it('infers types, parses values and suggests roles', () => {
    const infs = r.header!.map((h) => inferColumn(h, col(h)));
    const types = Object.fromEntries(infs.map((c) => [c.name, c.type]));
    expect(types).toEqual({
      会员号: 'id', 姓名: 'text', 手机号码: 'phone', 性别: 'category', 生日: 'date', 省份: 'category', 城市: 'category', 下单时间: 'datetime',
      实付金额: 'decimal', 数量: 'integer', 是否会员: 'boolean', 折扣: 'percent', 渠道: 'category', 短信状态: 'category', 邮箱: 'email',
    });
    expect(infs.find((c) => c.name === '实付金额')).toMatchObject({ fitShare: 1, missing: 1 });
    expect(col('手机号码').map((v) => parseTyped('phone', v))).toEqual(['+8613800138000', '+8613912345678', '+8615000000000', '+8613700137000', '+861012345678', '+8613800138001']);
    expect(col('实付金额').map((v) => parseTyped('decimal', v))).toEqual([1234.5, 12000, 88, 56.8, -20, null]);
    expect(col('生日').map((v) => parseTyped('date', v))).toEqual(['1990-03-05', '1988-12-20', '1995-07-01', '2001-01-15', '1979-10-30', '1992-06-18']);
    expect(parseTyped('datetime', col('下单时间')[0]!)).toBe('2024-01-05 08:26:00');
    expect(col('折扣').map((v) => parseTyped('percent', v))).toEqual([0.125, 0.05, 0, 0.1, 0.075, 0.15]);
    expect(col('是否会员').map((v) => parseTyped('boolean', v))).toEqual([1, 0, 1, 0, 1, 1]);
    expect(parseTyped('email', col('邮箱')[0]!)).toBe('ZhangWei@example.com');
    expect(suggestRoles(infs)).toEqual(['customer_id', 'name', 'phone', 'gender', 'birthday', 'region', 'city', 'timestamp', 'amount', 'quantity', null, null, 'channel', 'order_status', 'email']);
  });
});

describe('reader contract', () => {
  it('quote = null reads bare quotes as text; runs of spaces split like cdnow-master.txt', () => {
    const out: string[][] = [];
    const rd = createRowReader({ delimiter: '\t', quote: null, header: false, lineEnding: '\n', skipLines: 0 }, { onRow: (f) => out.push(f), onQuarantine: () => out.push(['Q']) });
    rd.push('ham\t"Hi" she said\nspam\t"WIN"\n');
    rd.end();
    expect(out).toEqual([['ham', '"Hi" she said'], ['spam', '"WIN"']]);
    const sp: string[][] = [];
    const rs = createRowReader({ delimiter: ' +', quote: '"', header: true, lineEnding: '\r\n', skipLines: 0 }, { onRow: (f) => sp.push(f), onQuarantine: () => sp.push(['Q']) });
    rs.push(' customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n');
    rs.end();
    expect(sp).toEqual([['00001', '19970101', '1', '11.77']]);
  });

  it('rejects an empty delimiter with a clear message', () => {
    expect(() => createRowReader({ delimiter: '', quote: '"', header: false, lineEnding: '\n', skipLines: 0 }, { onRow: () => {}, onQuarantine: () => {} })).toThrow(/delimiter/);
  });

  it('detectDialect on a sample cut mid-line ignores the cut record', () => {
    const d = detectDialect('a,b,c\n1,2,3\n4,5,6\n7,8');
    expect(d).toMatchObject({ delimiter: ',', header: true, confidence: 1 });
  });
});

describe('entry validation', () => {
  it('clear errors for misuse of the engine', () => {
    expect(() => createDecoder('gbk' as never)).toThrow(/unknown encoding "gbk"/);
    expect(() => detectEncoding('text' as unknown as Uint8Array)).toThrow(/Uint8Array/);
    expect(() => detectDialect(42 as unknown as string)).toThrow(/decoded text/);
    const cb = { onRow: () => {}, onQuarantine: () => {} };
    const d = { delimiter: ',', quote: '"' as const, header: false, lineEnding: '\n' as const, skipLines: 0 };
    expect(() => createRowReader({ ...d, delimiter: '"' }, cb)).toThrow(/quote character/);
    expect(() => createRowReader({ ...d, skipLines: -1 }, cb)).toThrow(/skipLines/);
    expect(() => createRowReader(d, { ...cb, maxFieldChars: 0 })).toThrow(/maxFieldChars/);
    expect(() => createRowReader(d, {} as never)).toThrow(/onRow and onQuarantine/);
  });
});
