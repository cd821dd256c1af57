/** Value formats and column type inference (Chinese and Western exports). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inferColumn, uniqueHeaders } from '../../../main/import/types';
import { columnParser, excelSerialToDate, isMissingValue, parseBoolean, parseDate, parseDateTime, parseDecimal, parseEmail, parseInteger, parsePercent, parsePhone, parseTyped } from '../../../main/kernel/values';

describe('numbers', () => {
  it('integers: plain, signs, thousands, full-width, float-exported', () => {
    expect(parseInteger('42')).toBe(42);
    expect(parseInteger(' -7 ')).toBe(-7);
    expect(parseInteger('1,234,567')).toBe(1_234_567);
    expect(parseInteger('１２３')).toBe(123);
    expect(parseInteger('17850.0')).toBe(17850);
    expect(parseInteger('12.5')).toBeNull();
    expect(parseInteger('12,34')).toBeNull();
    expect(parseInteger('9007199254740993')).toBeNull(); // beyond 2^53: not exact
    expect(parseInteger('abc')).toBeNull();
  });

  it('decimals: 1,234.50, ¥/￥/元/RMB, 万/亿 exactly, accounting negatives', () => {
    expect(parseDecimal('1,234.50')).toBe(1234.5);
    expect(parseDecimal('¥1,234.50')).toBe(1234.5);
    expect(parseDecimal('￥12')).toBe(12);
    expect(parseDecimal('35元')).toBe(35);
    expect(parseDecimal('35.5 元')).toBe(35.5);
    expect(parseDecimal('RMB 56.8')).toBe(56.8);
    expect(parseDecimal('1.2万')).toBe(12000);
    expect(parseDecimal('0.3万')).toBe(3000); // 0.3 × 10000 in floating point is 2999.9999999999995
    expect(parseDecimal('1.2万元')).toBe(12000);
    expect(parseDecimal('3亿')).toBe(300_000_000);
    expect(parseDecimal('-1.5万')).toBe(-15000);
    expect(parseDecimal('(1,234.50)')).toBe(-1234.5);
    expect(parseDecimal('(1,234)')).toBe(-1234);
    expect(parseDecimal('-¥3.5')).toBe(-3.5);
    expect(parseDecimal('￥-3.5')).toBe(-3.5);
    expect(parseDecimal('１２３．５')).toBe(123.5);
    expect(parseDecimal('1.5e3')).toBe(1500);
    expect(parseDecimal('0.000000000001')).toBe(1e-12);
    expect(parseDecimal('-0')).toBe(0);
    expect(Object.is(parseDecimal('-0'), -0)).toBe(false);
    for (const bad of ['abc', '1e400', 'Infinity', 'NaN', '0x10', '1.2.3', '12%', '万', '¥', '1,23.4', '--5']) expect(parseDecimal(bad), bad).toBeNull();
  });

  it('percent: 12.5% → 0.125, full-width ％, bare numbers already fractions in a percent column', () => {
    expect(parsePercent('12.5%')).toBe(0.125);
    expect(parsePercent('0.1%')).toBe(0.001);
    expect(parsePercent('７％')).toBe(0.07);
    expect(parsePercent('-3%')).toBe(-0.03);
    expect(parsePercent('12.5')).toBeNull();
    expect(parseTyped('percent', '12.5%')).toBe(0.125);
    expect(parseTyped('percent', '0.125')).toBe(0.125);
  });

  it('placeholders for "no value" are empty in typed columns, kept in text ones', () => {
    for (const v of ['-', '--', '—', 'N/A', 'n/a', 'NA', '#N/A', 'NULL', 'null', 'None', 'NaN', '\\N', '  -  ']) expect(isMissingValue(v), v).toBe(true);
    for (const v of ['0', 'no', '无', 'x']) expect(isMissingValue(v), v).toBe(false);
    expect(parseTyped('decimal', '-')).toBeNull();
    expect(parseTyped('date', 'N/A')).toBeNull();
    expect(parseTyped('text', 'N/A')).toBe('N/A');
    expect(parseTyped('category', '-')).toBe('-');
  });
});

describe('booleans', () => {
  it('是/否, Y/N, Yes/No, true/false, 0/1, 对/错, 有/无 → 1/0', () => {
    for (const v of ['是', 'Y', 'y', 'Yes', 'YES', 'true', 'TRUE', '1', '对', '有', 'T']) expect(parseBoolean(v), v).toBe(1);
    for (const v of ['否', 'N', 'no', 'No', 'false', 'False', '0', '错', '无', 'F']) expect(parseBoolean(v), v).toBe(0);
    expect(parseBoolean('maybe')).toBeNull();
    expect(parseTyped('boolean', ' 是 ')).toBe(1);
  });
});

describe('dates and date-times', () => {
  it('ISO, yyyymmdd, 2024/1/5, 2024.1.5, 2024年1月5日, month names, invalid days rejected', () => {
    expect(parseDate('2024-01-05')).toBe('2024-01-05');
    expect(parseDate('20240105')).toBe('2024-01-05');
    expect(parseDate('2024/1/5')).toBe('2024-01-05');
    expect(parseDate('2024.1.5')).toBe('2024-01-05');
    expect(parseDate('2024年1月5日')).toBe('2024-01-05');
    expect(parseDate('2024 年 1 月 5 日')).toBe('2024-01-05');
    expect(parseDate('２０２４年１月５日')).toBe('2024-01-05');
    expect(parseDate('5 Jan 2024')).toBe('2024-01-05');
    expect(parseDate('05-Jan-2024')).toBe('2024-01-05');
    expect(parseDate('January 5, 2024')).toBe('2024-01-05');
    expect(parseDate('Sept 30, 2023')).toBe('2023-09-30');
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '2024-13-01', '20241301', '2024/0/5', 'Foo 5, 2024', '2024年13月1日']) expect(parseDate(bad), bad).toBeNull();
  });

  it('D/M vs M/D: by the hint, by the data, with a note when nothing decides', () => {
    expect(parseDate('02/03/2024')).toBe('2024-02-03');
    expect(parseDate('02/03/2024', 'dmy')).toBe('2024-03-02');
    expect(parseDate('5/1/24', 'mdy')).toBe('2024-05-01');
    expect(parseDate('5/1/85', 'mdy')).toBe('1985-05-01');
    expect(parseDate('13/01/2024', 'mdy')).toBeNull();
    const uk = inferColumn('order date', ['13/01/2024', '02/03/2024', '28/12/2023', '01/02/2024']);
    expect(uk).toMatchObject({ type: 'date', dateOrder: 'dmy', fitShare: 1 });
    expect(uk.note).toBeUndefined();
    expect(parseTyped('date', '02/03/2024', { dateOrder: uk.dateOrder })).toBe('2024-03-02');
    const us = inferColumn('date', ['01/13/2024', '02/03/2024', '12/28/2023']);
    expect(us).toMatchObject({ type: 'date', dateOrder: 'mdy' });
    const unknown = inferColumn('date', ['01/02/2024', '03/04/2024']);
    expect(unknown).toMatchObject({ type: 'date', dateOrder: 'mdy' });
    expect(unknown.note).toMatch(/not decided/);
  });

  it('date-times: ISO with T/Z/offset, 2024/1/5 8:26, AM/PM, 上午/下午, 时分秒', () => {
    expect(parseDateTime('2024-01-05 08:26:00')).toBe('2024-01-05 08:26:00');
    expect(parseDateTime('2024-01-05T08:26')).toBe('2024-01-05 08:26:00');
    expect(parseDateTime('2024-01-05T08:26:00Z')).toBe('2024-01-05 08:26:00');
    expect(parseDateTime('2024-01-05 08:26:00.123+08:00')).toBe('2024-01-05 08:26:00');
    expect(parseDateTime('2024/1/5 8:26')).toBe('2024-01-05 08:26:00');
    expect(parseDateTime('1/5/2024 8:26 PM')).toBe('2024-01-05 20:26:00');
    expect(parseDateTime('1/5/2024 12:05 AM')).toBe('2024-01-05 00:05:00');
    expect(parseDateTime('2024年1月5日 下午3点20分')).toBe('2024-01-05 15:20:00');
    expect(parseDateTime('2024年1月5日 08:26:09')).toBe('2024-01-05 08:26:09');
    expect(parseDateTime('2024年1月5日8时26分5秒')).toBe('2024-01-05 08:26:05');
    expect(parseDateTime('2024-01-05 24:00:00')).toBeNull();
    expect(parseDateTime('2024-01-05')).toBeNull();
    expect(parseTyped('datetime', '2024-01-05')).toBe('2024-01-05 00:00:00');
    expect(parseTyped('date', '2024-01-05 08:26:00')).toBe('2024-01-05');
  });

  it('Excel serial dates and epoch seconds/ms under date headers', () => {
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(60)).toBeNull();
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(45292)).toBe('2024-01-01');
    expect(inferColumn('下单日期', ['45292', '45300', '45310'])).toMatchObject({ type: 'date', dateFormat: 'excel-serial' });
    expect(inferColumn('order time', ['45292.5', '45300.25'])).toMatchObject({ type: 'datetime', dateFormat: 'excel-serial' });
    expect(parseTyped('date', '45292', { dateFormat: 'excel-serial' })).toBe('2024-01-01');
    expect(parseTyped('datetime', '45292.75', { dateFormat: 'excel-serial' })).toBe('2024-01-01 18:00:00');
    expect(inferColumn('created_at', ['1704067200', '1704153600'])).toMatchObject({ type: 'datetime', dateFormat: 'epoch' });
    expect(inferColumn('发送时间', ['1704067200000', '1704153600123'])).toMatchObject({ type: 'datetime', dateFormat: 'epoch' });
    expect(parseTyped('datetime', '1704067200', { dateFormat: 'epoch' })).toBe('2024-01-01 00:00:00');
    expect(parseTyped('datetime', '1704067200000', { dateFormat: 'epoch' })).toBe('2024-01-01 00:00:00');
    expect(parseTyped('datetime', '1704067200', { dateFormat: 'epoch', tzOffsetMinutes: 480 })).toBe('2024-01-01 08:00:00');
    // The same numbers under a non-date header are plain integers.
    expect(inferColumn('amount', ['45292', '45300', '45310']).type).toBe('integer');
    expect(inferColumn('score', ['1704067200', '1704153600']).type).toBe('integer');
  });

  it('yyyymmdd only when every value is a valid date; midnight-only date-times are dates', () => {
    expect(inferColumn('d', ['20240105', '20240230']).type).toBe('integer');
    expect(inferColumn('d', ['20240105', '20240229'])).toMatchObject({ type: 'date', dateFormat: 'yyyymmdd' });
    expect(inferColumn('下单时间', ['2024-01-05 00:00:00', '2024-01-06 00:00:00']).type).toBe('date');
    expect(inferColumn('下单时间', ['2024-01-05 00:00:00', '2024-01-06 10:00:00']).type).toBe('datetime');
  });
});

describe('phones and emails', () => {
  it('Chinese mobiles in every export form → E.164', () => {
    for (const v of ['13800138000', '138 0013 8000', '138-0013-8000', '+86-13800138000', '+86 138 0013 8000', '8613800138000', '0086 138 0013 8000', '１３８００１３８０００', '(+86) 138-0013-8000']) {
      expect(parsePhone(v), v).toBe('+8613800138000');
    }
    expect(parsePhone('12345678901')).toBeNull(); // 12x is not a mobile prefix
  });

  it('landlines with area code via libphonenumber (CN default), other countries by hint', () => {
    expect(parsePhone('010-12345678')).toBe('+861012345678');
    expect(parsePhone('(021)62345678')).toBe('+862162345678');
    expect(parsePhone('0755-8888 8888')).toBe('+8675588888888');
    expect(parsePhone('+86 21 6234 5678')).toBe('+862162345678');
    expect(parsePhone('310-246-1501', 'US')).toBe('+13102461501');
    expect(parseTyped('phone', '(415) 775-1055', { defaultCountry: 'US' })).toBe('+14157751055');
    for (const bad of ['12345', 'abc', '138001380001234567', '']) expect(parsePhone(bad), bad).toBeNull();
  });

  it('phone columns: by header or by Chinese mobiles; North American columns get country US', () => {
    expect(inferColumn('手机号码', ['13800138000', '+86 139 1234 5678', '１５０００００００００'])).toMatchObject({ type: 'phone', fitShare: 1 });
    expect(inferColumn('联系方式', ['13800138000', '010-12345678']).type).toBe('phone');
    expect(inferColumn('x', ['13800138000', '13900139000', '15000000000']).type).toBe('phone');
    expect(inferColumn('tel', ['310-246-1501', '415/775-1055', '(212) 555-0100'])).toMatchObject({ type: 'phone', defaultCountry: 'US', fitShare: 1 });
  });

  it('emails: trimmed, domain lowercased, mailto: dropped', () => {
    expect(parseEmail(' Alice@Example.COM ')).toBe('Alice@example.com');
    expect(parseEmail('mailto:bob@QQ.com')).toBe('bob@qq.com');
    expect(parseEmail('not an email')).toBeNull();
    expect(parseEmail('a@b')).toBeNull();
    expect(inferColumn('邮箱', ['a@b.com', 'X@Example.CN', '']).type).toBe('email');
  });
});

describe('column inference', () => {
  it('blank cells are empty, not invalid (Telco TotalCharges style)', () => {
    const inf = inferColumn('TotalCharges', ['29.85', ' ', '1889.5', '', '108.15']);
    expect(inf).toMatchObject({ type: 'decimal', fitShare: 1, nonEmpty: 3, badExamples: [] });
    expect(parseTyped('decimal', ' ')).toBeNull();
  });

  it('values that do not fit are counted and shown', () => {
    const amt = inferColumn('金额', [...Array.from({ length: 40 }, (_, i) => String(i * 10)), '未知']);
    expect(amt).toMatchObject({ type: 'integer', badExamples: ['未知'] });
    expect(amt.fitShare).toBeCloseTo(40 / 41);
    const mixed = inferColumn('金额', ['￥12', '1.2万', '35元', '(5)', '-', '9']);
    expect(mixed).toMatchObject({ type: 'decimal', fitShare: 1, missing: 1, nonEmpty: 6 });
  });

  it('ids: id headers, 17850.0 floats, leading zeros, > 15 digits; ordinary integers stay integers', () => {
    expect(inferColumn('CustomerID', ['17850.0', '13047.0', '']).type).toBe('id');
    expect(parseTyped('id', '17850.0')).toBe('17850');
    expect(parseTyped('id', ' C001 ')).toBe('C001');
    expect(columnParser('id')('17850.0')).toBe('17850');
    expect(inferColumn('customer_id', ['1', '2', '3']).type).toBe('id');
    expect(inferColumn('会员编号', ['1001', '1002']).type).toBe('id');
    // money written with two decimals is money, even when every cent is zero (found by the messy-brand generator)
    expect(inferColumn('实付金额', ['523.00', '41.00', '1999.00']).type).toBe('decimal');
    expect(inferColumn('value', ['10.00', '-3.00']).type).toBe('decimal');
    expect(inferColumn('InvoiceNo', ['536365', 'C536379', '536366']).type).toBe('id');
    expect(inferColumn('zip', ['01234', '02345', '10001']).type).toBe('id');
    expect(inferColumn('身份证号', ['110101199003074512', '11010119900307451X']).type).toBe('id');
    expect(inferColumn('ref', ['123456789012345678', '223456789012345678']).type).toBe('id');
    expect(inferColumn('amount_paid', ['1', '2', '3', '40']).type).toBe('integer');
    expect(inferColumn('Quantity', ['6', '-1', '12']).type).toBe('integer');
    expect(inferColumn('valid', ['1', '2', '3']).type).toBe('integer');
  });

  it('booleans need both values of a 0/1 flag and no id header', () => {
    expect(inferColumn('是否会员', ['是', '否', '是']).type).toBe('boolean');
    expect(inferColumn('flag', ['Y', 'N', 'y']).type).toBe('boolean');
    expect(inferColumn('SeniorCitizen', ['0', '1', '0']).type).toBe('boolean');
    expect(inferColumn('n', ['1', '1', '1']).type).toBe('integer');
    expect(inferColumn('class_id', ['0', '1']).type).toBe('id');
  });

  it('category vs text vs id codes', () => {
    const cities = Array.from({ length: 300 }, (_, i) => ['北京', '上海', '广州'][i % 3]!);
    expect(inferColumn('城市', cities)).toMatchObject({ type: 'category', distinct: 3, examples: ['北京', '上海', '广州'] });
    const notes = Array.from({ length: 50 }, (_, i) => `客户第${i}次反馈：物流很快，包装完好`);
    expect(inferColumn('备注', notes).type).toBe('text');
    expect(inferColumn('code', Array.from({ length: 50 }, (_, i) => `SKU-${1000 + i}`)).type).toBe('id');
    expect(inferColumn('empty', ['', ' ', '']).type).toBe('text');
  });

  it('validates its inputs', () => {
    expect(() => inferColumn('x', null as unknown as string[])).toThrow(/values must be an array/);
    expect(() => uniqueHeaders('a' as unknown as string[])).toThrow(/array/);
  });
});

describe('header names', () => {
  it('trimmed, empty → column_N, duplicates → name_2 (case-insensitive), never colliding', () => {
    expect(uniqueHeaders(['金额', '金额', '', ' 名称 ', 'Name', 'name'])).toEqual(['金额', '金额_2', 'column_3', '名称', 'Name', 'name_2']);
    expect(uniqueHeaders(['a', 'a', 'a_2'])).toEqual(['a', 'a_3', 'a_2']);
    expect(uniqueHeaders(['', 'column_1'])).toEqual(['column_1_2', 'column_1']);
    expect(uniqueHeaders(['\ufeffid', 'full   name'])).toEqual(['id', 'full name']);
  });
});

describe('entry validation', () => {
  it('parseTyped refuses unknown types and non-strings, maps null/undefined to null', () => {
    expect(() => parseTyped('money' as never, '1')).toThrow(/unknown column type "money"/);
    expect(() => parseTyped('integer', 5 as unknown as string)).toThrow(/raw must be a string/);
    expect(parseTyped('integer', undefined as unknown as string)).toBeNull();
  });
});

describe('ISO date-times read by character codes', () => {
  // The calendar by Date, written apart from the parser's arithmetic.
  const realDay = (y: number, m: number, d: number) => {
    const dt = new Date(Date.UTC(y, m - 1, d));
    return y >= 1000 && y <= 2999 && dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
  };
  const p2 = (n: number) => String(n).padStart(2, '0');
  it('accepts exactly the real days and times, in the column parser and parseDateTime alike (leap years, 29–31, hour 24, second 60)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 990, max: 3010 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 62 }), fc.boolean(), (y, m, d, h, mi, s, t) => {
        const raw = `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}${t ? 'T' : ' '}${p2(h)}:${p2(mi)}:${p2(s)}`;
        const want = realDay(y, m, d) && h < 24 && mi < 60 && s < 61 ? raw.replace('T', ' ') : null;
        expect(parseDateTime(raw)).toBe(want);
        expect(columnParser('datetime')(raw)).toBe(want);
      }),
      { numRuns: 20_000 },
    );
    for (const y of [1900, 2000, 2023, 2024, 2100]) for (const d of [28, 29, 30]) expect(parseDateTime(`${y}-02-${d} 00:00:00`)).toBe(realDay(y, 2, d) ? `${y}-02-${d} 00:00:00` : null);
  });
  it('leaves other layouts to the general reader', () => {
    expect(columnParser('datetime')('2024-1-05 10:00:00')).toBe('2024-01-05 10:00:00');
    expect(columnParser('datetime')('２０２４-01-05 10:00:00')).toBe('2024-01-05 10:00:00');
    expect(columnParser('datetime')('2024-01-05 1a:00:00')).toBeNull();
    expect(parseDateTime('2024/01/05 10:00:00')).toBe('2024-01-05 10:00:00');
  });
});
