/** Display masks and PII detection: fixed cases plus the real FEBRL, restaurant and Telco files. */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { datasetPath } from '../../helpers/datasets';
import { detectPiiKind, isValidCnId, maskAddress, maskEmail, maskGeneric, maskIdNumber, maskName, maskPhone, maskValue } from '../../../main/privacy/masks';

const readCsv = (name: string) =>
  Papa.parse<Record<string, string>>(readFileSync(datasetPath(name), 'utf8'), { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim() }).data;

describe('maskPhone', () => {
  it('Chinese mobiles in every common spelling keep 3 + 4 digits, written the national way whatever prefix (no +86 for a spreadsheet to escape)', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('138 1234 1234')).toBe('138****1234');
    expect(maskPhone('138-1234-1234')).toBe('138****1234');
    expect(maskPhone('１３８１２３４１２３４')).toBe('138****1234');
    expect(maskPhone('+8613812341234')).toBe('138****1234');
    expect(maskPhone('+86 138-1234-1234')).toBe('138****1234');
    expect(maskPhone('0086 13812341234')).toBe('138****1234');
    expect(maskPhone('8613812341234')).toBe('138****1234');
  });
  it('other numbers keep the last 4 digits (at most half) and their punctuation', () => {
    expect(maskPhone('010-12345678')).toBe('***-****5678');
    expect(maskPhone('310/246-1501')).toBe('***/***-1501');
    expect(maskPhone('+1 (310) 246-1501')).toBe('+* (***) ***-1501');
    expect(maskPhone('95588')).toBe('***88');
    expect(maskPhone('12345678901')).toBe('*******8901'); // 11 digits but not a mobile (12…)
    expect(maskPhone('无')).toBe('无');
    expect(maskPhone('')).toBe('');
  });
  it('every phone of the restaurant file keeps at most its last 4 digits', () => {
    const rows = readCsv('restaurant-fodors-zagat.csv');
    expect(rows.length).toBe(864);
    for (const r of rows) {
      const m = maskPhone(r.phone!);
      const digits = r.phone!.replace(/\D/g, '');
      const shown = m.replace(/\D/g, '');
      expect(shown.length).toBeLessThanOrEqual(4);
      expect(digits.endsWith(shown)).toBe(true);
      expect(m.length).toBe(r.phone!.trim().length); // same shape: separators stay
    }
  });
});

describe('maskName', () => {
  it('Chinese names keep the surname; compound surnames keep both characters', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张小明')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('司马相如')).toBe('司马**');
    expect(maskName('诸葛亮')).toBe('诸葛*');
    expect(maskName('上官婉儿')).toBe('上官**');
    expect(maskName('慕容复')).toBe('慕容*');
    expect(maskName('歐陽修')).toBe('歐陽*');
    expect(maskName('欧阳')).toBe('欧*'); // two characters: a surname alone is not kept whole
    expect(maskName('单于明')).toBe('单**'); // 单 read as the common single surname
  });
  it('single characters, non-Chinese and mixed names', () => {
    expect(maskName('张')).toBe('*');
    expect(maskName('J')).toBe('*');
    expect(maskName('John Smith')).toBe('J*** S****');
    expect(maskName("Mary-Jane O'Brien")).toBe("M***-J*** O'B****");
    expect(maskName('Anna 李四')).toBe('A*** 李*');
    expect(maskName('迪丽热巴·迪力木拉提')).toBe('迪***·迪****');
    expect(maskName('김민수')).toBe('김**');
    expect(maskName('  张三  ')).toBe('张*');
  });
  it('FEBRL given names and surnames: first letter kept, length kept, nothing else shown', () => {
    const rows = readCsv('febrl-dataset4a.csv');
    let n = 0;
    for (const r of rows) {
      for (const v of [r.given_name!, r.surname!].map((s) => s.trim()).filter(Boolean)) {
        const m = maskName(v);
        expect(m.length).toBe(v.length);
        if (v.length > 1 && /^[a-z]+$/.test(v)) {
          expect(m).toBe(v[0] + '*'.repeat(v.length - 1));
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(9000);
  });
});

describe('maskEmail, maskIdNumber, maskAddress, maskValue', () => {
  it('emails keep the first character and the domain; the length is hidden', () => {
    expect(maskEmail('alice@example.com')).toBe('a***@example.com');
    expect(maskEmail('bo@example.com')).toBe('b***@example.com');
    expect(maskEmail('a@qq.com')).toBe('***@qq.com');
    expect(maskEmail(' Alice.Wang@Example.COM ')).toBe('A***@Example.COM');
  });
  it('Chinese IDs keep 3 + 4; other ids keep their last 4 (at most half)', () => {
    expect(maskIdNumber('110101199003071234')).toBe('110***********1234');
    expect(maskIdNumber('11010519491231002x')).toBe('110***********002X');
    expect(maskIdNumber('110105 19491231 002X')).toBe('110***********002X');
    expect(maskIdNumber('110101900307123')).toBe('110********7123');
    expect(maskIdNumber('E12345678')).toBe('*****5678');
    expect(maskIdNumber('AB12')).toBe('**12');
    expect(isValidCnId('11010519491231002X')).toBe(true); // GB 11643 examples
    expect(isValidCnId('440524188001010014')).toBe(true);
    expect(isValidCnId('110105194912310021')).toBe(false);
  });
  it('addresses keep the administrative prefix only', () => {
    expect(maskAddress('北京市朝阳区建国路88号')).toBe('北京市朝阳区****');
    expect(maskAddress('广东省深圳市南山区科技园科苑路15号')).toBe('广东省深圳市南山区****');
    expect(maskAddress('上海浦东新区张江路')).toBe('上海浦东新区****');
    expect(maskAddress('杭州市文三路华星小区3幢')).toBe('杭州市****'); // 小区 is not a district
    expect(maskAddress('建国路88号')).toBe('****');
    expect(maskAddress('12 Main St, Springfield, IL')).toBe('****, IL');
    expect(maskAddress('435 s. la cienega blv.')).toBe('****');
  });
  it('maskValue dispatches and handles numbers and empties', () => {
    expect(maskValue(13812341234, 'phone')).toBe('138****1234');
    expect(maskValue(null, 'name')).toBeNull();
    expect(maskValue(undefined, 'name')).toBeNull();
    expect(maskValue('  ', 'email')).toBe('');
    expect(maskValue('7590-VHVEG', 'generic')).toBe(maskGeneric('7590-VHVEG'));
    expect(maskGeneric('7590-VHVEG')).toBe('****-*HVEG');
  });
});

describe('detectPiiKind', () => {
  it('roles and Chinese headers', () => {
    expect(detectPiiKind('手机号', null, [])).toBe('phone');
    expect(detectPiiKind('联系电话', null, [])).toBe('phone');
    expect(detectPiiKind('姓名', null, [])).toBe('name');
    expect(detectPiiKind('收货人', null, [])).toBe('name');
    expect(detectPiiKind('商品名称', null, [])).toBeNull();
    expect(detectPiiKind('身份证号', null, [])).toBe('id_number');
    expect(detectPiiKind('收货地址', null, [])).toBe('address');
    expect(detectPiiKind('邮箱', null, [])).toBe('email');
    expect(detectPiiKind('x', 'phone', [])).toBe('phone');
    expect(detectPiiKind('x', 'name', [])).toBe('name');
    expect(detectPiiKind('hotel', null, [])).toBeNull();
  });
  it('values win: a customer_id column of mobiles or valid IDs is personal data', () => {
    expect(detectPiiKind('会员编号', 'customer_id', ['13812341234', '139 0000 1111', '+86 150-1234-5678'])).toBe('phone');
    expect(detectPiiKind('cust', 'customer_id', ['11010519491231002X', '440524188001010014'])).toBe('id_number');
    expect(detectPiiKind('cust', 'customer_id', ['C001', 'C002', 'C003'])).toBeNull();
    expect(detectPiiKind('contact', null, ['a@b.cn', 'x@y.com', ''])).toBe('email');
  });
  it('real headers: FEBRL, restaurants, Telco, Online Retail, Mall', () => {
    const febrl = readCsv('febrl-dataset4a.csv');
    const kinds = (rows: Record<string, string>[]) =>
      Object.fromEntries(Object.keys(rows[0]!).map((h) => [h, detectPiiKind(h, null, rows.slice(0, 200).map((r) => r[h]))]));
    expect(kinds(febrl)).toMatchObject({ rec_id: null, given_name: 'name', surname: 'name', address_1: 'address', address_2: 'address', suburb: null, postcode: null, date_of_birth: null, soc_sec_id: 'id_number' });
    expect(kinds(readCsv('restaurant-fodors-zagat.csv'))).toMatchObject({ phone: 'phone', addr: 'address', city: null, type: null });
    // Telco: 'PhoneService' is Yes/No — the header hint is vetoed by the values.
    const telco = kinds(readCsv('telco-customer-churn.csv'));
    expect(Object.entries(telco).filter(([, k]) => k !== null)).toEqual([]);
    expect(Object.values(kinds(readCsv('online-retail-sample.csv'))).every((k) => k === null)).toBe(true);
    expect(Object.values(kinds(readCsv('mall-customers.csv'))).every((k) => k === null)).toBe(true);
  });
});
