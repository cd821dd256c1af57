/** Every file in ../shared/datasets read by the engine: counts, dialects, types and exact values. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { datasetPath } from '../../helpers/datasets';
import { readAll, readFile } from './helpers';
import { inferColumn, parseTyped } from '../../../main/import/types';
import { suggestRoles } from '../../../main/import/roles';

const col = (r: ReturnType<typeof readFile>, name: string) => {
  const i = r.header!.indexOf(name);
  expect(i, name).toBeGreaterThanOrEqual(0);
  return r.rows.map((row) => row[i]!);
};

describe('real datasets', () => {
  it('cdnow-master.txt: runs of spaces, CRLF, 69,659 × 4, yyyymmdd dates', () => {
    const r = readFile(datasetPath('cdnow-master.txt'));
    expect(r.dialect).toMatchObject({ delimiter: ' +', header: true, lineEnding: '\r\n' });
    expect(r.header).toEqual(['customer_id', 'date', 'number_of_cds', 'dollar_value']);
    expect(r.rows).toHaveLength(69_659);
    expect(r.quarantined).toHaveLength(0);
    expect(r.rows[0]).toEqual(['00001', '19970101', '1', '11.77']);
    const date = inferColumn('date', col(r, 'date').slice(0, 5000));
    expect(date).toMatchObject({ type: 'date', dateFormat: 'yyyymmdd' });
    expect(parseTyped('date', '19970101')).toBe('1997-01-01');
    expect(inferColumn('dollar_value', col(r, 'dollar_value').slice(0, 5000)).type).toBe('decimal');
    expect(inferColumn('customer_id', col(r, 'customer_id').slice(0, 5000)).type).toBe('id');
  });

  it('cdnow-sample.txt has no header: 6,919 × 5', () => {
    const r = readFile(datasetPath('cdnow-sample.txt'));
    expect(r.dialect.header).toBe(false);
    expect(r.rows).toHaveLength(6_919);
    expect(r.rows.every((x) => x.length === 5)).toBe(true);
  });

  it('sms-spam-collection.tsv: tab, quoting off, no header, 5,574 rows (ham 4,827 / spam 747)', () => {
    const r = readFile(datasetPath('sms-spam-collection.tsv'));
    expect(r.dialect).toMatchObject({ delimiter: '\t', quote: null, header: false });
    expect(r.rows).toHaveLength(5_574);
    expect(r.rows.filter((x) => x[0] === 'spam')).toHaveLength(747);
    expect(r.rows.some((x) => x[1]!.startsWith('"HEY HEY WERETHE MONKEESPEOPLE'))).toBe(true);
  });

  it('telco: TotalCharges is decimal with 11 blanks; SeniorCitizen is boolean; Churn is a label', () => {
    const r = readFile(datasetPath('telco-customer-churn.csv'));
    expect(r.rows).toHaveLength(7_043);
    expect(r.header).toHaveLength(21);
    const tc = col(r, 'TotalCharges');
    expect(tc.filter((v) => v.trim() === '')).toHaveLength(11);
    const inf = inferColumn('TotalCharges', tc);
    expect(inf).toMatchObject({ type: 'decimal', fitShare: 1, nonEmpty: 7_032 });
    expect(inferColumn('SeniorCitizen', col(r, 'SeniorCitizen')).type).toBe('boolean');
    expect(inferColumn('tenure', col(r, 'tenure')).type).toBe('integer');
    const infs = r.header!.map((h) => inferColumn(h, col(r, h).slice(0, 2000)));
    const roles = suggestRoles(infs);
    expect(roles[r.header!.indexOf('customerID')]).toBe('customer_id');
    expect(roles[r.header!.indexOf('Churn')]).toBe('label');
  });

  it('online retail: ISO datetimes, integer quantities, CustomerID 17850.0 → integer id', () => {
    const r = readFile(datasetPath('online-retail-sample.csv'));
    expect(r.rows).toHaveLength(38_103);
    expect(inferColumn('InvoiceDate', col(r, 'InvoiceDate').slice(0, 5000)).type).toBe('datetime');
    expect(inferColumn('Quantity', col(r, 'Quantity').slice(0, 5000)).type).toBe('integer');
    expect(inferColumn('UnitPrice', col(r, 'UnitPrice').slice(0, 5000)).type).toBe('decimal');
    const cid = inferColumn('CustomerID', col(r, 'CustomerID').slice(0, 5000));
    expect(cid.type).toBe('id');
    expect(parseTyped('id', '17850.0')).toBe('17850');
    expect(col(r, 'CustomerID').filter((v) => v === '')).toHaveLength(1_725);
    const infs = r.header!.map((h) => inferColumn(h, col(r, h).slice(0, 2000)));
    expect(suggestRoles(infs)).toEqual(['order_id', 'item', null, 'quantity', 'timestamp', 'unit_price', 'customer_id', 'region']);
    // Descriptions with commas inside quotes stay whole.
    expect(col(r, 'Description').some((d) => d.includes(','))).toBe(true);
  });

  it('GBK copies decode to exactly the text of their UTF-8 siblings', () => {
    const utf = readFile(datasetPath('fbs-sms-spam-zh.csv'));
    const gbk = readFile(datasetPath('fbs-sms-spam-zh-gbk.csv'));
    expect(gbk.encoding).toBe('gb18030');
    expect(gbk.header).toEqual(['类别', '短信内容(已分词)']);
    expect(gbk.rows).toHaveLength(14_074);
    expect(gbk.rows).toEqual(utf.rows);
    const su = readFile(datasetPath('sms-zh-labelled-sample.csv'));
    const sg = readFile(datasetPath('sms-zh-labelled-sample-gbk.csv'));
    expect(sg.header).toEqual(['编号', '标签', '短信内容']);
    expect(su.rows).toHaveLength(307);
    expect(sg.rows).toEqual(su.rows.filter((x) => x[0] !== '2'));
  });

  it('small chunks split multi-byte characters and CRLF pairs without changing anything', () => {
    for (const f of ['fbs-sms-spam-zh-gbk.csv', 'sms-zh-labelled-sample.csv', 'cdnow-sample.txt']) {
      const bytes = readFileSync(datasetPath(f));
      const slice = bytes.subarray(0, 40_000);
      expect(readAll(slice, 7).rows, f).toEqual(readAll(slice, 65536).rows);
    }
  });

  it('reads the remaining files with their documented shapes and no quarantine', () => {
    const shapes: [string, number, number, boolean][] = [
      ['iris.csv', 150, 5, true],
      ['mall-customers.csv', 200, 5, true],
      ['febrl-dataset1.csv', 1_000, 11, true],
      ['febrl-dataset4a.csv', 5_000, 11, true],
      ['febrl-dataset4b.csv', 5_000, 11, true],
      ['restaurant-fodors-zagat.csv', 864, 6, true],
      ['restaurant-fodors-zagat-gold.csv', 112, 3, true],
      ['cora-citations.tsv', 1_879, 17, true],
      ['cora-citations-gold.tsv', 64_578, 2, true],
      ['cdnow-customers-summary.csv', 2_357, 4, true],
      ['cdnow-customers-summary-monetary.csv', 2_357, 5, true],
    ];
    for (const [f, rows, cols, header] of shapes) {
      const r = readFile(datasetPath(f));
      expect(r.rows.length, f).toBe(rows);
      expect(r.quarantined, f).toHaveLength(0);
      expect(r.dialect.header, f).toBe(header);
      expect((r.header ?? r.rows[0]!).length, f).toBe(cols);
    }
    const rest = readFile(datasetPath('restaurant-fodors-zagat.csv'));
    expect(rest.header).toEqual(['name', 'addr', 'city', 'phone', 'type', 'class']);
    const mall = readFile(datasetPath('mall-customers.csv'));
    expect(mall.header).toContain('Annual Income (k$)');
    expect(inferColumn('Gender', mall.rows.map((x) => x[1]!)).type).toBe('category');
  });
});
