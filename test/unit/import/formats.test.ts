/** Encodings, dialects and value formats on small hand-made inputs. */
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { detectEncoding, looksBinary } from '../../../main/import/encoding';
import { detectDialect } from '../../../main/import/dialect';
import { inferColumn, parseDate, parseDateTime, parseDecimal, parsePhone, parseTyped, uniqueHeaders } from '../../../main/import/types';
import { suggestRoles } from '../../../main/import/roles';
import { readAll } from './helpers';

const CSV = '客户编号,姓名,城市,金额\nC001,张三,北京市,1200.5\nC002,李四,上海市,99\nC003,王五,广州市,305.25\n';

describe('encodings', () => {
  it('detects UTF-8 (with and without BOM), UTF-16 LE/BE, GBK, Big5 and Latin-1', () => {
    const utf8 = Buffer.from(CSV, 'utf8');
    expect(detectEncoding(utf8).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toMatchObject({ encoding: 'utf-8-bom', bomLength: 3 });
    expect(detectEncoding(iconv.encode(CSV, 'utf16le', { addBOM: true })).encoding).toBe('utf-16le');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(CSV, 'utf16be')])).encoding).toBe('utf-16be');
    expect(detectEncoding(iconv.encode(CSV, 'gbk')).encoding).toBe('gb18030');
    const trad = '客戶編號,姓名,城市,金額\nC001,張偉,臺北市,1200\nC002,陳靜,高雄市,99\n會員資料與購買紀錄，這個時間點的訂單數據都在這裡。\n';
    expect(detectEncoding(iconv.encode(trad, 'big5')).encoding).toBe('big5');
    expect(detectEncoding(iconv.encode('name,city\nJosé,São Paulo\nRené,Zürich\n', 'latin1')).encoding).toBe('latin1');
  });

  it('reads every encoding back to the same rows, BOM removed', () => {
    const expected = readAll(Buffer.from(CSV, 'utf8'));
    for (const bytes of [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]),
      iconv.encode(CSV, 'utf16le', { addBOM: true }),
      Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(CSV, 'utf16be')]),
      iconv.encode(CSV, 'gbk'),
    ]) {
      const r = readAll(bytes, 5);
      expect(r.header).toEqual(['客户编号', '姓名', '城市', '金额']);
      expect(r.rows).toEqual(expected.rows);
    }
  });

  it('tells a renamed binary file from text', () => {
    expect(looksBinary(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)))).toBe(true);
    expect(looksBinary(Buffer.from(CSV))).toBe(false);
    expect(looksBinary(iconv.encode(CSV, 'utf16le', { addBOM: true }))).toBe(false);
  });
});

describe('dialects', () => {
  it('semicolon, pipe, tab and runs of spaces', () => {
    expect(detectDialect('a;b;c\n1;2;3\n4;5;6\n').delimiter).toBe(';');
    expect(detectDialect('a|b|c\n1|2|3\n4|5|6\n').delimiter).toBe('|');
    expect(detectDialect('a\tb\n1\t2\n').delimiter).toBe('\t');
    expect(detectDialect('  id    date  n\n  1  19970101  2\n  2  19970102  3\n').delimiter).toBe(' +');
  });

  it('skips leading junk lines and finds the header', () => {
    const text = '导出时间：2024-06-30\n报表：会员明细\n\n会员号,姓名,积分\n1001,张三,120\n1002,李四,80\n1003,王五,300\n';
    const d = detectDialect(text);
    expect(d).toMatchObject({ delimiter: ',', header: true, skipLines: 3 });
    const r = readAll(Buffer.from(text));
    expect(r.header).toEqual(['会员号', '姓名', '积分']);
    expect(r.rows).toHaveLength(3);
  });

  it('mixed line endings and a quoted field with a newline', () => {
    const r = readAll(Buffer.from('a,b\r\n1,"x\r\ny"\n2,z\r3,w\r\n'));
    expect(r.rows).toEqual([['1', 'x\ny'], ['2', 'z'], ['3', 'w']]);
  });
});

describe('values', () => {
  it('decimals, currency and 万', () => {
    expect(parseDecimal('1,234.50')).toBe(1234.5);
    expect(parseDecimal('¥1,234.50')).toBe(1234.5);
    expect(parseDecimal('￥12')).toBe(12);
    expect(parseDecimal('35元')).toBe(35);
    expect(parseDecimal('1.2万')).toBe(12000);
    expect(parseDecimal('(1,234.50)')).toBe(-1234.5);
    expect(parseDecimal('１２３．５')).toBe(123.5);
    expect(parseDecimal('abc')).toBeNull();
    expect(parseTyped('percent', '12.5%')).toBe(0.125);
  });

  it('dates and date-times in Chinese and Western forms, D/M vs M/D decided by the data', () => {
    expect(parseDate('2024/1/5')).toBe('2024-01-05');
    expect(parseDate('2024年1月5日')).toBe('2024-01-05');
    expect(parseDate('20240105')).toBe('2024-01-05');
    expect(parseDate('2024-02-30')).toBeNull();
    expect(parseDateTime('2024-01-05 08:26:00')).toBe('2024-01-05 08:26:00');
    expect(parseDateTime('2024-01-05T08:26')).toBe('2024-01-05 08:26:00');
    expect(inferColumn('date', ['13/01/2024', '02/03/2024', '28/12/2023'])).toMatchObject({ type: 'date', dateOrder: 'dmy' });
    expect(parseTyped('date', '02/03/2024', { dateOrder: 'dmy' })).toBe('2024-03-02');
    expect(inferColumn('date', ['01/13/2024', '02/03/2024'])).toMatchObject({ type: 'date', dateOrder: 'mdy' });
    expect(inferColumn('下单日期', ['45292', '45300', '45310'])).toMatchObject({ type: 'date', dateFormat: 'excel-serial' });
    expect(parseTyped('date', '45292', { dateFormat: 'excel-serial' })).toBe('2024-01-01');
    expect(inferColumn('created_at', ['1704067200', '1704153600'])).toMatchObject({ type: 'datetime', dateFormat: 'epoch' });
    expect(parseTyped('datetime', '1704067200000', { dateFormat: 'epoch' })).toBe('2024-01-01 00:00:00');
  });

  it('Chinese phone numbers in every export form', () => {
    for (const v of ['13800138000', '138 0013 8000', '+86-13800138000', '0086 138 0013 8000', '１３８００１３８０００', '138-0013-8000', '+86 13800138000']) {
      expect(parsePhone(v), v).toBe('+8613800138000');
    }
    expect(parsePhone('010-12345678')).toBe('+861012345678');
    expect(parsePhone('12345')).toBeNull();
    expect(inferColumn('手机号码', ['13800138000', '+86 139 1234 5678', '１５０００００００００'])).toMatchObject({ type: 'phone', fitShare: 1 });
  });

  it('booleans, emails, categories and examples of values that do not fit', () => {
    expect(inferColumn('是否会员', ['是', '否', '是']).type).toBe('boolean');
    expect(inferColumn('flag', ['Y', 'N', 'y']).type).toBe('boolean');
    expect(inferColumn('email', ['a@b.com', 'X@Example.CN']).type).toBe('email');
    expect(parseTyped('email', 'Alice@Example.COM')).toBe('Alice@example.com');
    const amt = inferColumn('金额', [...Array.from({ length: 40 }, (_, i) => String(i * 10)), '未知']);
    expect(amt).toMatchObject({ type: 'integer', badExamples: ['未知'] });
    expect(amt.fitShare).toBeCloseTo(40 / 41);
  });

  it('makes header names unique and non-empty', () => {
    expect(uniqueHeaders(['金额', '金额', '', ' 名称 ', 'Name', 'name'])).toEqual(['金额', '金额_2', 'column_3', '名称', 'Name', 'name_2']);
  });

  it('suggests roles from Chinese headers', () => {
    const cols = ['会员号', '手机号码', '下单时间', '实付金额', '渠道', '活动名称', '短信内容', '回复内容'].map((h, i) =>
      inferColumn(h, [['M1', 'M2'], ['13800138000', '13900139000'], ['2024-01-05 10:00:00', '2024-01-06 11:00:00'], ['12.5', '30'], ['门店', '天猫'], ['618', '双11'], ['您好，活动开始', '回T退订'], ['好的', 'TD']][i]!),
    );
    expect(suggestRoles(cols)).toEqual(['customer_id', 'phone', 'timestamp', 'amount', 'channel', 'campaign', 'message_text', 'reply_text']);
  });
});
