import { describe, expect, it } from 'vitest';
import { runStep, titleCase, trimText, nfkc, toSimplified, deriveValue } from '../../../main/analysis/clean/steps';
import { RecipeStep, type RecipeStepInput } from '../../../shared/api/recipe';
import { normalizePhone, normalizeEmail, normalizeDate, parseMoney } from '../../../main/analysis/clean/values';
import { compileSafe } from '../../../main/analysis/clean/regex';
import type { Cell, Table } from '../../../main/analysis/clean/table';

const tbl = (columns: string[], rows: Cell[][]): Table => ({ columns, rows });
const one = (values: Cell[], name = 'v'): Table => tbl([name], values.map((v) => [v]));
const run = (t: Table, step: RecipeStepInput, strict = true) => runStep(t, RecipeStep.parse(step), { strict });
const col = (t: Table, name: string) => t.rows.map((r) => r[t.columns.indexOf(name)]);

describe('text steps', () => {
  it('trims Unicode and full-width spaces, zero-width characters, collapses runs; blank becomes null', () => {
    const r = run(one(['  张三　 ', 'a \t  b', '\u200b李四\ufeff', '　 ', 42, null]), { op: 'trim', columns: ['v'] });
    expect(col(r.table, 'v')).toEqual(['张三', 'a b', '李四', null, 42, null]);
    expect(r.report.cellsChanged).toBe(4);
    expect(r.report.rowsChanged).toBe(4);
    expect(r.report.examples[0]).toEqual({ row: 0, column: 'v', before: '  张三　 ', after: '张三' });
    expect(trimText('a  b', false)).toBe('a  b');
  });

  it('changes case (title case leaves CJK alone)', () => {
    expect(col(run(one(['john SMITH', 'mary-ann o’neil', '王小明 wang']), { op: 'case', columns: ['v'], mode: 'title' }).table, 'v')).toEqual(['John Smith', 'Mary-Ann O’neil', '王小明 Wang']);
    expect(col(run(one(['Abc', '中文']), { op: 'case', columns: ['v'], mode: 'upper' }).table, 'v')).toEqual(['ABC', '中文']);
    expect(titleCase('HELLO world')).toBe('Hello World');
  });

  it('NFKC: full-width letters, digits, punctuation and the ideographic space become half-width', () => {
    const r = run(one(['ＡＢＣ１２３', '张三\u3000李四', '（０１０）１２３４', '１２，３４５．５０元', '普通']), { op: 'nfkc', columns: ['v'] });
    expect(col(r.table, 'v')).toEqual(['ABC123', '张三 李四', '(010)1234', '12,345.50元', '普通']);
    expect(r.report.cellsChanged).toBe(4);
    expect(nfkc('①')).toBe('1');
  });

  it('traditional → simplified (Taiwan and Hong Kong variants)', () => {
    const r = run(one(['顧客資料', '臺北市', '電話號碼', '简体不变']), { op: 't2s', columns: ['v'] });
    expect(col(r.table, 'v')).toEqual(['顾客资料', '台北市', '电话号码', '简体不变']);
    expect(toSimplified('軟體', 'twp')).toBe('软件');
    expect(toSimplified('軟體', 'tw')).toBe('软体');
    expect(toSimplified('會員積分', 'hk')).toBe('会员积分');
  });
});

describe('phones', () => {
  it('normalises Chinese mobiles written many ways to E.164', () => {
    for (const s of ['13812345678', '+86 138 1234 5678', '+86-13812345678', '008613812345678', '86-138-1234-5678', '138-1234-5678', '(+86)138 1234 5678', '１３８１２３４５６７８'])
      expect(normalizePhone(s), s).toEqual({ ok: true, e164: '+8613812345678', kind: 'mobile' });
    expect(normalizePhone(13912345678)).toEqual({ ok: true, e164: '+8613912345678', kind: 'mobile' });
  });

  it('landlines become E.164 and are flagged; invalid numbers keep their text, flagged with a reason', () => {
    const t = one(['010-12345678', '021 6123 4567', '12345678901', '12345', 'abc', '+1 650 253 0000', '13812345678', null]);
    const r = run(t, { op: 'phone', columns: ['v'] });
    expect(col(r.table, 'v')).toEqual(['+861012345678', '+862161234567', '12345678901', '12345', 'abc', '+16502530000', '+8613812345678', null]);
    const reasons = Object.fromEntries(r.flags.map((f) => [f.row, f.reason]));
    expect(reasons).toEqual({ 0: 'landline', 1: 'landline', 2: 'invalid_mobile', 3: 'too_short', 4: 'not_a_number' });
    expect(r.report.rowsFlagged).toBe(5);
    // 3 of 7 non-empty values unreadable → an issue (> 10%)
    expect(r.issues[0]).toMatchObject({ kind: 'unparsed_values', column: 'v', count: 3 });
    const nul = run(t, { op: 'phone', columns: ['v'], onInvalid: 'null', flagLandline: false });
    expect(col(nul.table, 'v').filter((v) => v === null)).toHaveLength(4);
    expect(nul.flags.every((f) => f.reason !== 'landline')).toBe(true);
  });
});

describe('emails, dates, money', () => {
  it('emails: trimmed and lower-cased; Gmail dots only when asked', () => {
    expect(normalizeEmail('  Zhang.San@QQ.com ')).toEqual({ ok: true, email: 'zhang.san@qq.com' });
    expect(normalizeEmail('Zhang.San+vip@Gmail.com', { gmailDots: true, plusTags: true })).toEqual({ ok: true, email: 'zhangsan@gmail.com' });
    expect(normalizeEmail('zhang.san@163.com', { gmailDots: true })).toEqual({ ok: true, email: 'zhang.san@163.com' });
    const r = run(one(['A@B.CN', 'no-at-sign', 'x@y']), { op: 'email', columns: ['v'] });
    expect(col(r.table, 'v')).toEqual(['a@b.cn', 'no-at-sign', 'x@y']);
    expect(r.flags.map((f) => f.reason)).toEqual(['no_at_sign', 'invalid_email']);
  });

  it('dates: Chinese, slashes, D/M vs M/D, Excel serials, date-times → ISO', () => {
    expect(normalizeDate('2024年1月5日')).toBe('2024-01-05');
    expect(normalizeDate('2024/1/5')).toBe('2024-01-05');
    expect(normalizeDate('05/01/2024', { order: 'dmy' })).toBe('2024-01-05');
    expect(normalizeDate('05/01/2024', { order: 'mdy' })).toBe('2024-05-01');
    expect(normalizeDate(45296)).toBe('2024-01-05');
    expect(normalizeDate('45296')).toBe('2024-01-05');
    expect(normalizeDate(45296.5)).toBe('2024-01-05 12:00:00');
    expect(normalizeDate('2024年1月5日 下午3点20分')).toBe('2024-01-05 15:20:00');
    expect(normalizeDate('2024-01-05T08:26:00', { output: 'date' })).toBe('2024-01-05');
    expect(normalizeDate('2024-01-05', { output: 'datetime' })).toBe('2024-01-05 00:00:00');
    expect(normalizeDate('2023-02-30')).toBeNull();
    expect(normalizeDate(45296, { excelSerial: false })).toBeNull();
    const r = run(one(['2024年1月5日', '5 Jan 2024', '下周', null]), { op: 'date', columns: ['v'], order: 'dmy' });
    expect(col(r.table, 'v')).toEqual(['2024-01-05', '2024-01-05', '下周', null]);
    expect(r.flags).toEqual([{ row: 2, step: 0, rule: 'date', column: 'v', reason: 'unparsed_date' }]);
  });

  it('money: ¥, 元, 万 and thousands separators → numbers', () => {
    expect(parseMoney('¥1,234.50')).toBe(1234.5);
    expect(parseMoney('1.2万')).toBe(12000);
    expect(parseMoney('1.2万元')).toBe(12000);
    expect(parseMoney('1,234元')).toBe(1234);
    expect(parseMoney('￥3亿')).toBe(300000000);
    expect(parseMoney('(1,234.50)')).toBe(-1234.5);
    const r = run(one(['1.2万元', '¥88', 99, '面议']), { op: 'currency', columns: ['v'] });
    expect(col(r.table, 'v')).toEqual([12000, 88, 99, '面议']);
    expect(r.report.cellsChanged).toBe(2);
  });
});

describe('map', () => {
  const gender: RecipeStepInput = { op: 'map', columns: ['g'], entries: [{ from: ['M', 'male', '先生'], to: '男' }, { from: ['F', 'female', '女士'], to: '女' }] };
  it('maps 男/M/male/Male → 男 case-insensitively; unknown values kept and reported', () => {
    const r = run(one(['M', 'Male', ' male ', '男', 'F', 'FEMALE', '女士', 'x', 'x', null], 'g'), gender);
    expect(col(r.table, 'g')).toEqual(['男', '男', '男', '男', '女', '女', '女', 'x', 'x', null]);
    expect(r.issues).toEqual([expect.objectContaining({ kind: 'unmapped_values', count: 2, examples: ['x'] })]);
  });
  it('case-sensitive mode and unmatched → null / other', () => {
    const r = run(one(['M', 'Male', 'm'], 'g'), { ...gender, caseInsensitive: false, unmatched: 'other', otherValue: '未知' } as RecipeStepInput);
    expect(col(r.table, 'g')).toEqual(['男', '未知', '未知']);
  });
});

describe('split, merge, derive', () => {
  it('splits by delimiter (rest in the last column) and by regex', () => {
    const t = tbl(['addr'], [['广东省,深圳市,南山区'], ['北京市'], [null]]);
    const r = run(t, { op: 'split', column: 'addr', delimiter: ',', into: ['省', '市'] });
    expect(r.table.columns).toEqual(['addr', '省', '市']);
    expect(r.table.rows.map((x) => x.slice(1))).toEqual([['广东省', '深圳市,南山区'], ['北京市', null], [null, null]]);
    const d = run(t, { op: 'split', column: 'addr', delimiter: ',', into: ['省', '市'], rest: 'drop', keepOriginal: false });
    expect(d.table.columns).toEqual(['省', '市']);
    expect(d.table.rows[0]).toEqual(['广东省', '深圳市']);
    const g = run(tbl(['n'], [['张三 / 李四;王五']]), { op: 'split', column: 'n', regex: '\\s*[/;]\\s*', into: ['a', 'b', 'c'] });
    expect(g.table.rows[0]).toEqual(['张三 / 李四;王五', '张三', '李四', '王五']);
  });

  it('merges with a separator, skipping empty parts', () => {
    const t = tbl(['省', '市', 'x'], [['广东省', '深圳市', 1], ['北京市', null, 2], [null, null, 3]]);
    const r = run(t, { op: 'merge', columns: ['省', '市'], into: '地址', separator: '' });
    expect(r.table.columns).toEqual(['省', '市', '地址', 'x']);
    expect(col(r.table, '地址')).toEqual(['广东省深圳市', '北京市', null]);
    expect(r.report.cellsChanged).toBe(2);
  });

  it('derives date parts, lengths, arithmetic and day differences (no eval)', () => {
    const t = tbl(['d', 'q', 'p', 'name'], [['2024-01-05', 3, '2.5', '张三'], ['2024-03-31 10:00:00', 2, null, 'Ann'], [null, 4, 0, null]]);
    expect(col(run(t, { op: 'derive', into: 'y', fn: 'year', args: ['d'] }).table, 'y')).toEqual([2024, 2024, null]);
    expect(col(run(t, { op: 'derive', into: 'w', fn: 'weekday', args: ['d'] }).table, 'w')).toEqual([5, 7, null]); // Friday, Sunday
    expect(col(run(t, { op: 'derive', into: 'm', fn: 'quarter', args: ['d'] }).table, 'm')).toEqual([1, 1, null]);
    expect(col(run(t, { op: 'derive', into: 'amt', fn: 'mul', args: ['q', 'p'] }).table, 'amt')).toEqual([7.5, null, 0]);
    expect(col(run(t, { op: 'derive', into: 'r', fn: 'div', args: ['q', 'p'] }).table, 'r')).toEqual([1.2, null, null]);
    expect(col(run(t, { op: 'derive', into: 'plus', fn: 'add', args: ['q'], constant: 0.1 }).table, 'plus')).toEqual([3.1, 2.1, 4.1]);
    expect(col(run(t, { op: 'derive', into: 'len', fn: 'length', args: ['name'] }).table, 'len')).toEqual([2, 3, null]);
    expect(deriveValue('daysBetween', ['2024-01-05', '2024-03-01'], undefined, '')).toBe(56);
    expect(() => run(t, { op: 'derive', into: 'q', fn: 'year', args: ['d'] })).toThrow(/already exists/);
  });
});

describe('regex', () => {
  it('refuses catastrophic shapes and back-references; accepts ordinary patterns', () => {
    for (const p of ['(a+)+$', '(a*)*', '(\\w+\\s?)*x', '(a|aa)+', '(?:x+y?){2,}', '(a)\\1', '(?<=x)y']) expect(compileSafe(p).ok, p).toBe(false);
    for (const p of ['^\\d{3}-\\d{4}$', '(\\d{4})年(\\d{1,2})月', '[a-z]+@[a-z.]+', '(\\+86)?1[3-9]\\d{9}', '(?<code>\\d{6})']) expect(compileSafe(p).ok, p).toBe(true);
    expect(compileSafe('(abc').ok).toBe(false);
    expect(compileSafe('a', 'g').ok).toBe(false);
  });

  it('extracts a group into a new column and replaces in place', () => {
    const t = one(['订单号: A123456 已发货', '无', null]);
    const r = run(t, { op: 'regexExtract', column: 'v', pattern: '([A-Z]\\d{6})', into: 'order' });
    expect(col(r.table, 'order')).toEqual(['A123456', null, null]);
    const n = run(t, { op: 'regexExtract', column: 'v', pattern: '(?<id>\\d+)', group: 'id', into: 'num' });
    expect(col(n.table, 'num')).toEqual(['123456', null, null]);
    const rep = run(one(['138-1234-5678', 'a--b']), { op: 'regexReplace', columns: ['v'], pattern: '-', replacement: '' });
    expect(col(rep.table, 'v')).toEqual(['13812345678', 'ab']);
    expect(() => run(t, { op: 'regexReplace', columns: ['v'], pattern: '(a+)+', replacement: '' })).toThrow(/refused/);
    const lenient = run(t, { op: 'regexReplace', columns: ['v'], pattern: '(a+)+', replacement: '' }, false);
    expect(lenient.issues[0]!.kind).toBe('invalid_regex');
    expect(lenient.table).toBe(t);
  });
});

describe('filter', () => {
  const t = tbl(['city', 'amount', 'date'], [['北京', 100, '2024-01-05'], ['上海', '50', '2024-02-01'], ['深圳', null, null], ['北京', 300, '2024-03-09']]);
  it('keeps matching rows and returns the removed ones with their row numbers', () => {
    const r = run(t, { op: 'filter', conditions: [{ column: 'amount', op: 'gte', value: 60 }] });
    expect(r.table.rows.map((x) => x[0])).toEqual(['北京', '北京']);
    expect(r.table.rowIds).toEqual([0, 3]);
    expect(r.removed!.rowIds).toEqual([1, 2]);
    expect(r.report.rowsRemoved).toBe(2);
  });
  it('supports in, contains, regex, empty, dates as text, or-combination and remove mode', () => {
    const ids = (step: RecipeStepInput) => run(t, step).table.rowIds;
    expect(ids({ op: 'filter', conditions: [{ column: 'city', op: 'in', values: ['上海', '深圳'] }] })).toEqual([1, 2]);
    expect(ids({ op: 'filter', conditions: [{ column: 'date', op: 'lt', value: '2024-02-15' }] })).toEqual([0, 1]);
    expect(ids({ op: 'filter', conditions: [{ column: 'amount', op: 'empty' }, { column: 'city', op: 'regex', value: '^上' }], combine: 'or' })).toEqual([1, 2]);
    expect(ids({ op: 'filter', conditions: [{ column: 'city', op: 'eq', value: '北京' }], mode: 'remove' })).toEqual([1, 2]);
    expect(ids({ op: 'filter', conditions: [{ column: 'city', op: 'ne', value: '北京' }, { column: 'amount', op: 'between', value: 10, value2: 60 }] })).toEqual([1]);
  });
});

describe('cap and validate', () => {
  it('caps by IQR fences (integers stay integers) and by percentiles', () => {
    const t = one([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
    // Q1 = 3.25, Q3 = 7.75, IQR 4.5 → upper fence 14.5 → 14 for an integer column
    const r = run(t, { op: 'cap', columns: ['v'] });
    expect(col(r.table, 'v')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 14]);
    const p = run(one([1.5, 2, 3, 4, 100]), { op: 'cap', columns: ['v'], method: 'percentile', lower: 0.25, upper: 0.75 });
    expect(col(p.table, 'v')).toEqual([2, 2, 3, 4, 4]);
  });

  it('flags rows by range, regex, required, unique and cross-field rules with the rule name', () => {
    const t = tbl(['id', 'age', 'phone', 'sent', 'delivered'], [
      ['a', 30, '+8613812345678', '2024-01-05 10:00:00', '2024-01-05 10:00:05'],
      ['b', 150, '12345', '2024-01-05 10:00:00', '2024-01-05 09:59:00'],
      ['a', null, null, '2024-01-05 10:00:00', null],
    ]);
    const flags = (rule: unknown, name = 'r') => run(t, { op: 'validate', name, rule } as RecipeStepInput).flags.map((f) => [f.row, f.rule, f.reason]);
    expect(flags({ kind: 'range', column: 'age', min: 0, max: 120 }, '年龄范围')).toEqual([[1, '年龄范围', '150 > 120']]);
    expect(flags({ kind: 'regex', column: 'phone', pattern: '^\\+861[3-9]\\d{9}$' })).toEqual([[1, 'r', 'does not match the pattern']]);
    expect(flags({ kind: 'required', columns: ['age', 'phone'] }).map((f) => f[0])).toEqual([2, 2]);
    expect(flags({ kind: 'unique', columns: ['id'] })).toEqual([[2, 'r', 'duplicate of row 0']]);
    const cmp = run(t, { op: 'validate', name: '送达时间≥发送时间', rule: { kind: 'compare', left: 'delivered', op: 'gte', right: 'sent' } });
    expect(cmp.flags.map((f) => [f.row, f.rule])).toEqual([[1, '送达时间≥发送时间']]);
    expect(cmp.report.rowsFlagged).toBe(1);
    expect(cmp.table).toBe(t);
  });
});

describe('missing and typed columns', () => {
  it('strict mode throws on a missing column; lenient mode reports it and uses the rest', () => {
    const t = tbl(['a'], [[' x ']]);
    expect(() => run(t, { op: 'trim', columns: ['a', 'b'] })).toThrow(/column "b"/);
    const r = run(t, { op: 'trim', columns: ['a', 'b'] }, false);
    expect(r.table.rows).toEqual([['x']]);
    expect(r.issues).toEqual([expect.objectContaining({ kind: 'missing_column', column: 'b' })]);
  });
  it('reports a column of another type and non-numeric columns for numeric steps', () => {
    const t: Table = { columns: ['d', 'n'], rows: [['2024-01-05', 'x'], ['2024-01-06', null]], types: { d: 'date', n: 'text' } };
    const r = run(t, { op: 'fill', columns: ['d', 'n'], method: 'mean' });
    expect(r.issues.map((i) => [i.kind, i.column])).toEqual([['type_mismatch', 'n'], ['not_numeric', 'n']]);
  });
});
