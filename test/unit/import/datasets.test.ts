/**
 * Every file in test/datasets (the vendored public datasets) read by the engine exactly as the import job does: encoding
 * and dialect detected from the first 64 KiB, then the whole file streamed through the decoder
 * and the reader in 64 KiB chunks. Shapes and counts are the README's; every row is also
 * checked against an independent parse (papaparse, or a plain split for space-separated files).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { datasetPath, datasetsDir } from '../../helpers/datasets';
import { physicalLines, readAll, readFile, tilingProblem, type ReadResult } from './helpers';
import { createDecoder, type EncodingName } from '../../../main/import/encoding';
import { inferColumn, type ColumnType } from '../../../main/import/types';
import { parseTyped } from '../../../main/kernel/values';
import { suggestRoles } from '../../../main/import/roles';

interface Expected {
  encoding: EncodingName;
  delimiter: string;
  quote: '"' | null;
  header: string[] | null;
  rows: number;
  cols: number;
  lineEnding: '\n' | '\r\n';
  skipInitialSpace?: boolean;
}

const EXPECTED: Record<string, Expected> = {
  'cdnow-master.txt': { encoding: 'utf-8', delimiter: ' +', quote: null, header: ['customer_id', 'date', 'number_of_cds', 'dollar_value'], rows: 69_659, cols: 4, lineEnding: '\r\n' },
  'cdnow-sample.txt': { encoding: 'utf-8', delimiter: ' +', quote: null, header: null, rows: 6_919, cols: 5, lineEnding: '\r\n' },
  'cdnow-customers-summary.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: ['ID', 'frequency', 'recency', 'T'], rows: 2_357, cols: 4, lineEnding: '\n' },
  'cdnow-customers-summary-monetary.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: ['ID', 'x', 't_x', 'T', 'zbar'], rows: 2_357, cols: 5, lineEnding: '\r\n' },
  'online-retail-sample.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'], rows: 38_103, cols: 8, lineEnding: '\n' },
  'telco-customer-churn.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: null, rows: 7_043, cols: 21, lineEnding: '\n' },
  'sms-spam-collection.tsv': { encoding: 'utf-8', delimiter: '\t', quote: null, header: null, rows: 5_574, cols: 2, lineEnding: '\n' },
  'sms-zh-labelled-sample.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: ['id', 'label', 'text'], rows: 307, cols: 3, lineEnding: '\n' },
  'sms-zh-labelled-sample-gbk.csv': { encoding: 'gb18030', delimiter: ',', quote: '"', header: ['编号', '标签', '短信内容'], rows: 306, cols: 3, lineEnding: '\r\n' },
  'fbs-sms-spam-zh.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: ['category', 'text_segmented'], rows: 14_074, cols: 2, lineEnding: '\n' },
  'fbs-sms-spam-zh-gbk.csv': { encoding: 'gb18030', delimiter: ',', quote: '"', header: ['类别', '短信内容(已分词)'], rows: 14_074, cols: 2, lineEnding: '\r\n' },
  'mall-customers.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: ['CustomerID', 'Gender', 'Age', 'Annual Income (k$)', 'Spending Score (1-100)'], rows: 200, cols: 5, lineEnding: '\n' },
  'febrl-dataset1.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: null, rows: 1_000, cols: 11, lineEnding: '\n', skipInitialSpace: true },
  'febrl-dataset4a.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: null, rows: 5_000, cols: 11, lineEnding: '\r\n', skipInitialSpace: true },
  'febrl-dataset4b.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: null, rows: 5_000, cols: 11, lineEnding: '\n', skipInitialSpace: true },
  'restaurant-fodors-zagat.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: ['name', 'addr', 'city', 'phone', 'type', 'class'], rows: 864, cols: 6, lineEnding: '\n' },
  'restaurant-fodors-zagat-gold.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: ['class', 'id_1', 'id_2'], rows: 112, cols: 3, lineEnding: '\n', skipInitialSpace: true },
  'cora-citations.tsv': { encoding: 'utf-8', delimiter: '\t', quote: '"', header: null, rows: 1_879, cols: 17, lineEnding: '\n' },
  'cora-citations-gold.tsv': { encoding: 'utf-8', delimiter: '\t', quote: '"', header: ['id1', 'id2'], rows: 64_578, cols: 2, lineEnding: '\r\n' },
  'iris.csv': { encoding: 'utf-8', delimiter: ',', quote: '"', header: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'], rows: 150, cols: 5, lineEnding: '\n' },
};
const HEADERLESS = new Set(['cdnow-sample.txt', 'sms-spam-collection.tsv']);

const cache = new Map<string, ReadResult>();
const read = (f: string) => {
  if (!cache.has(f)) cache.set(f, readFile(datasetPath(f)));
  return cache.get(f)!;
};
const col = (r: ReadResult, name: string) => {
  const i = r.header!.indexOf(name);
  expect(i, name).toBeGreaterThanOrEqual(0);
  return r.rows.map((row) => row[i]!);
};
const infer = (r: ReadResult, name: string) => inferColumn(name, col(r, name).slice(0, 5000));

/** Rows by an independent parser: papaparse (quoting off = a quote character absent from the file), or a plain split. */
function reference(f: string, e: Expected): string[][] {
  const bytes = readFileSync(datasetPath(f));
  const d = createDecoder(e.encoding);
  const text = d.decode(bytes) + d.end();
  let rows: string[][];
  if (e.delimiter === ' +') {
    rows = text.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => l.trim().split(/ +/));
  } else {
    const p = Papa.parse<string[]>(text, { delimiter: e.delimiter, quoteChar: e.quote ?? '\u0001', skipEmptyLines: 'greedy' });
    rows = p.data;
  }
  if (e.skipInitialSpace) rows = rows.map((r) => r.map((v, i) => (i > 0 ? v.trimStart() : v)));
  return HEADERLESS.has(f) ? rows : rows.slice(1);
}

describe('every file in the vendored datasets folder', () => {
  it('the table covers every file there', () => {
    const files = readdirSync(datasetsDir).filter((f) => f !== 'README.md' && f !== 'SHA256SUMS');
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [f, e] of Object.entries(EXPECTED)) {
    it(`${f}: ${e.rows} × ${e.cols}, ${e.encoding}, ${JSON.stringify(e.delimiter)}, nothing quarantined, same rows as an independent parser`, () => {
      const r = read(f);
      expect(r.guess.encoding).toBe(e.encoding);
      expect(r.detected).toMatchObject({ delimiter: e.delimiter, quote: e.quote, header: !HEADERLESS.has(f), lineEnding: e.lineEnding, skipLines: 0, skipInitialSpace: e.skipInitialSpace ?? false });
      if (e.header) expect(r.header).toEqual(e.header);
      expect((r.header ?? r.rows[0]!).length).toBe(e.cols);
      expect(r.rows).toHaveLength(e.rows);
      expect(r.rows.every((x) => x.length === e.cols)).toBe(true);
      expect(r.quarantined).toEqual([]);
      expect(r.badBytes).toBe(0);
      const bytes = readFileSync(datasetPath(f));
      const d = createDecoder(e.encoding);
      expect(tilingProblem(r.spans, physicalLines(d.decode(bytes) + d.end()))).toBeNull();
      expect(r.rows).toEqual(reference(f, e));
    });
  }
});

describe('exact values and README figures', () => {
  it('cdnow-master: first purchase, 23,570 customers, yyyymmdd dates, roles', () => {
    const r = read('cdnow-master.txt');
    expect(r.rows[0]).toEqual(['00001', '19970101', '1', '11.77']);
    expect(r.rows[r.rows.length - 1]).toEqual(['23570', '19970326', '2', '42.96']);
    expect(new Set(col(r, 'customer_id')).size).toBe(23_570);
    const infs = r.header!.map((h) => infer(r, h));
    expect(infs.map((c) => c.type)).toEqual(['id', 'date', 'integer', 'decimal']);
    expect(infs[1]).toMatchObject({ dateFormat: 'yyyymmdd', fitShare: 1 });
    expect(parseTyped('date', '19970101')).toBe('1997-01-01');
    expect(parseTyped('id', '00001')).toBe('00001');
    expect(suggestRoles(infs)).toEqual(['customer_id', 'timestamp', 'quantity', 'amount']);
  });

  it('cdnow-sample: no header, 2,357 customers; headerless roles from types', () => {
    const r = read('cdnow-sample.txt');
    expect(r.rows[0]).toEqual(['00004', '0001', '19970101', '2', '29.33']);
    expect(new Set(r.rows.map((x) => x[0])).size).toBe(2_357);
    const infs = [0, 1, 2, 3, 4].map((i) => inferColumn(`column_${i + 1}`, r.rows.slice(0, 5000).map((x) => x[i]!)));
    expect(infs.map((c) => c.type)).toEqual(['id', 'id', 'date', 'integer', 'decimal']);
    expect(suggestRoles(infs)[2]).toBe('timestamp');
  });

  it('online retail: types, 1,725 rows without a customer, cancellations, roles', () => {
    const r = read('online-retail-sample.csv');
    const infs = r.header!.map((h) => infer(r, h));
    const types = Object.fromEntries(infs.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ InvoiceDate: 'datetime', Quantity: 'integer', UnitPrice: 'decimal', CustomerID: 'id', InvoiceNo: 'id', Country: 'category' });
    expect(parseTyped('id', '17850.0')).toBe('17850');
    expect(col(r, 'CustomerID').filter((v) => v === '')).toHaveLength(1_725);
    expect(new Set(col(r, 'CustomerID').filter((v) => v !== '')).size).toBe(445);
    expect(col(r, 'Quantity').map((v) => parseTyped('integer', v)).every((v) => v !== null)).toBe(true);
    expect(col(r, 'InvoiceDate').map((v) => parseTyped('datetime', v)).every((v) => typeof v === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:00$/.test(v))).toBe(true);
    // Descriptions keep their trailing spaces and commas inside quotes.
    expect(col(r, 'Description').some((d) => d.includes(','))).toBe(true);
    expect(col(r, 'Description').some((d) => d.endsWith(' '))).toBe(true);
    expect(suggestRoles(infs)).toEqual(['order_id', 'item', null, 'quantity', 'timestamp', 'unit_price', 'customer_id', 'region']);
  });

  it('telco: TotalCharges decimal with 11 blanks, flags, Churn=Yes 1,869', () => {
    const r = read('telco-customer-churn.csv');
    const tc = col(r, 'TotalCharges');
    expect(tc.filter((v) => v === ' ')).toHaveLength(11);
    expect(inferColumn('TotalCharges', tc)).toMatchObject({ type: 'decimal', fitShare: 1, nonEmpty: 7_032, badExamples: [] });
    expect(tc.filter((v) => parseTyped('decimal', v) === null)).toHaveLength(11);
    expect(infer(r, 'SeniorCitizen').type).toBe('boolean');
    expect(infer(r, 'tenure').type).toBe('integer');
    expect(infer(r, 'MonthlyCharges').type).toBe('decimal');
    expect(infer(r, 'Churn').type).toBe('boolean');
    expect(col(r, 'Churn').filter((v) => parseTyped('boolean', v) === 1)).toHaveLength(1_869);
    const roles = suggestRoles(r.header!.map((h) => infer(r, h)));
    expect(roles[r.header!.indexOf('customerID')]).toBe('customer_id');
    expect(roles[r.header!.indexOf('gender')]).toBe('gender');
    expect(roles[r.header!.indexOf('TotalCharges')]).toBe('amount');
    expect(roles[r.header!.indexOf('Churn')]).toBe('label');
  });

  it('SMS spam TSV: quoting off keeps bare quotes, ham 4,827 / spam 747, label is a category', () => {
    const r = read('sms-spam-collection.tsv');
    expect(r.rows.filter((x) => x[0] === 'ham')).toHaveLength(4_827);
    expect(r.rows.filter((x) => x[0] === 'spam')).toHaveLength(747);
    expect(r.rows[0]![1]).toMatch(/^Go until jurong point/);
    expect(r.rows.some((x) => x[1] === '"HEY HEY WERETHE MONKEESPEOPLE SAY WE MONKEYAROUND! HOWDY GORGEOUS, HOWU DOIN? FOUNDURSELF A JOBYET SAUSAGE?LOVE JEN XXX"')).toBe(true);
    expect(r.rows.some((x) => x[1]!.includes('&lt;'))).toBe(true);
    const infs = [0, 1].map((i) => inferColumn(`column_${i + 1}`, r.rows.slice(0, 5000).map((x) => x[i]!)));
    expect(infs.map((c) => c.type)).toEqual(['category', 'text']);
    expect(suggestRoles(infs)).toEqual(['label', 'message_text']);
  });

  it('Chinese SMS: ham 271 / spam 36, private-use emoji in row 2; the GBK copy is the same minus row 2', () => {
    const u = read('sms-zh-labelled-sample.csv');
    expect(u.rows.filter((x) => x[1] === '0')).toHaveLength(271);
    expect(u.rows.filter((x) => x[1] === '1')).toHaveLength(36);
    expect(u.rows[1]![2]).toContain('\ue310');
    const g = read('sms-zh-labelled-sample-gbk.csv');
    expect(g.rows).toEqual(u.rows.filter((x) => x[0] !== '2'));
    const infs = g.header!.map((h) => infer(g, h));
    expect(infs.map((c) => c.type)).toEqual(['id', 'boolean', 'text']);
    expect(suggestRoles(infs)).toEqual([null, 'label', 'message_text']);
  });

  it('FBS: the GBK copy decodes to exactly the rows of the UTF-8 file (all 14,074)', () => {
    const u = read('fbs-sms-spam-zh.csv');
    const g = read('fbs-sms-spam-zh-gbk.csv');
    expect(g.rows).toEqual(u.rows);
    const cat = infer(g, '类别');
    expect(cat.type).toBe('category');
    expect(new Set(col(g, '类别')).size).toBe(14);
    expect(suggestRoles(g.header!.map((h) => infer(g, h)))).toEqual(['label', 'message_text']);
  });

  it('FEBRL: ", " separated, 500 originals + 500 duplicates, dates of birth as yyyymmdd', () => {
    const r = read('febrl-dataset1.csv');
    expect(r.header).toEqual(['rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id']);
    expect(r.rows[0]).toEqual(['rec-223-org', '', 'waller', '6', 'tullaroop street', 'willaroo', 'st james', '4011', 'wa', '19081209', '6988048']);
    expect(col(r, 'rec_id').filter((v) => v.endsWith('-org'))).toHaveLength(500);
    expect(col(r, 'rec_id').filter((v) => v.includes('-dup-'))).toHaveLength(500);
    const dob = infer(r, 'date_of_birth');
    expect(dob).toMatchObject({ type: 'date', dateFormat: 'yyyymmdd' });
    expect(dob.fitShare).toBeGreaterThan(0.95);
    expect(infer(r, 'postcode').type).toBe('id');
    const roles = suggestRoles(r.header!.map((h) => infer(r, h)));
    expect(roles).toEqual([null, 'name', 'name', null, null, null, 'city', null, 'region', 'birthday', null]);
    for (const f of ['febrl-dataset4a.csv', 'febrl-dataset4b.csv']) {
      const x = read(f);
      expect(col(x, 'rec_id').filter((v) => v.endsWith(f.endsWith('4a.csv') ? '-org' : '-dup-0'))).toHaveLength(5_000);
    }
  });

  it('restaurants: quoted values, US phones flagged, gold ids are 1-based rows', () => {
    const r = read('restaurant-fodors-zagat.csv');
    expect(r.rows[0]).toEqual(["arnie morton's of chicago", '435 s. la cienega blv.', 'los angeles', '310/246-1501', 'american', " '0'"]);
    const phone = infer(r, 'phone');
    expect(phone).toMatchObject({ type: 'phone', defaultCountry: 'US' });
    expect(phone.fitShare).toBeGreaterThan(0.99);
    expect(parseTyped('phone', '310/246-1501', { defaultCountry: 'US' })).toBe('+13102461501');
    expect(parseTyped('phone', '310-246-1501', { defaultCountry: 'US' })).toBe('+13102461501');
    const gold = read('restaurant-fodors-zagat-gold.csv');
    expect(gold.rows[0]).toEqual(["'0'", '1', '2']);
    const pairs = gold.rows.map((x) => [Number(x[1]), Number(x[2])]);
    expect(pairs.every(([a, b]) => a! >= 1 && b! <= 864)).toBe(true);
  });

  it('cora: 17 columns, gold has 64,578 pairs; iris and mall types', () => {
    const c = read('cora-citations.tsv');
    expect(c.header).toContain('authors');
    expect(col(c, 'id').map(Number)).toEqual(Array.from({ length: 1879 }, (_, i) => i + 1));
    const g = read('cora-citations-gold.tsv');
    expect(g.rows[g.rows.length - 1]).toEqual(['1878', '1879']);
    const iris = read('iris.csv');
    expect(iris.header!.map((h) => infer(iris, h).type)).toEqual(['decimal', 'decimal', 'decimal', 'decimal', 'category']);
    expect(new Set(col(iris, 'species'))).toEqual(new Set(['setosa', 'versicolor', 'virginica']));
    const mall = read('mall-customers.csv');
    expect(mall.header!.map((h) => infer(mall, h).type)).toEqual(['id', 'category', 'integer', 'integer', 'integer']);
    expect(suggestRoles(mall.header!.map((h) => infer(mall, h)))).toEqual(['customer_id', 'gender', null, null, null]);
    expect(mall.rows[199]).toEqual(['200', 'Male', '30', '137', '83']);
  });
});

describe('chunk boundaries', () => {
  it('7-byte chunks (splitting multi-byte characters and CRLF pairs) give the same rows on whole files', () => {
    for (const f of ['sms-zh-labelled-sample.csv', 'sms-zh-labelled-sample-gbk.csv', 'restaurant-fodors-zagat.csv', 'cdnow-sample.txt', 'mall-customers.csv', 'cora-citations.tsv']) {
      const bytes = readFileSync(datasetPath(f));
      const tiny = readAll(bytes, 7);
      expect(tiny.rows, f).toEqual(read(f).rows);
      expect(tiny.quarantined, f).toEqual([]);
    }
  });

  it('mixed odd chunk sizes over the whole GBK FBS file give the UTF-8 rows', () => {
    const r = readAll(readFileSync(datasetPath('fbs-sms-spam-zh-gbk.csv')), [7, 13, 1, 65_521, 2]);
    expect(r.rows).toEqual(read('fbs-sms-spam-zh.csv').rows);
  });
});

describe('type inference column by column on the real files', () => {
  const cases: [string, string, ColumnType][] = [
    ['cdnow-customers-summary.csv', 'frequency', 'integer'],
    ['cdnow-customers-summary.csv', 'recency', 'decimal'],
    ['cdnow-customers-summary-monetary.csv', 'zbar', 'decimal'],
    ['cdnow-customers-summary-monetary.csv', 'ID', 'id'],
    ['cora-citations-gold.tsv', 'id1', 'integer'],
  ];
  for (const [f, c, t] of cases) it(`${f} ${c} → ${t}`, () => expect(infer(read(f), c).type).toBe(t));
});
