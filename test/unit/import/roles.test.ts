/** Role suggestions from Chinese and English headers, with the inferred types. */
import { describe, expect, it } from 'vitest';
import { inferColumn, type ColumnInference, type ColumnType } from '../../../main/import/types';
import { suggestRole, suggestRoles } from '../../../main/import/roles';

/** A column inference with a given type (roles read the name, the type and a few statistics). */
const col = (name: string, type: ColumnType, extra: Partial<ColumnInference> = {}): ColumnInference => ({ name, type, fitShare: 1, nonEmpty: 10, badExamples: [], distinct: 5, examples: [], ...extra });

describe('roles from headers', () => {
  it('the Chinese headers of common CRM / order / SMS exports', () => {
    const cases: [string, ColumnType, string][] = [
      ['客户ID', 'id', 'customer_id'], ['客户编号', 'id', 'customer_id'], ['会员号', 'id', 'customer_id'], ['会员卡号', 'id', 'customer_id'],
      ['手机', 'phone', 'phone'], ['手机号码', 'phone', 'phone'], ['电话', 'phone', 'phone'], ['联系电话', 'phone', 'phone'],
      ['邮箱', 'email', 'email'], ['姓名', 'text', 'name'], ['客户名称', 'text', 'name'], ['性别', 'category', 'gender'], ['生日', 'date', 'birthday'], ['出生日期', 'date', 'birthday'],
      ['省份', 'category', 'region'], ['地区', 'category', 'region'], ['城市', 'category', 'city'],
      ['下单时间', 'datetime', 'timestamp'], ['发送时间', 'datetime', 'timestamp'], ['支付时间', 'datetime', 'timestamp'],
      ['金额', 'decimal', 'amount'], ['实付金额', 'decimal', 'amount'], ['消费金额', 'decimal', 'amount'], ['数量', 'integer', 'quantity'], ['单价', 'decimal', 'unit_price'],
      ['订单号', 'id', 'order_id'], ['订单编号', 'id', 'order_id'], ['商品', 'category', 'item'], ['商品名称', 'text', 'item'],
      ['渠道', 'category', 'channel'], ['活动', 'category', 'campaign'], ['活动名称', 'category', 'campaign'], ['分组', 'category', 'variant'],
      ['短信状态', 'category', 'sms_status'], ['发送状态', 'category', 'sms_status'], ['短信内容', 'text', 'message_text'], ['回复内容', 'text', 'reply_text'],
      ['标签', 'category', 'label'], ['类别', 'category', 'label'], ['是否流失', 'boolean', 'label'], ['费用', 'decimal', 'cost'],
    ];
    for (const [name, type, role] of cases) expect(suggestRole(name, col(name, type)), name).toBe(role);
  });

  it('the English headers of the shared datasets', () => {
    const cases: [string, ColumnType, string | null][] = [
      ['CustomerID', 'id', 'customer_id'], ['customerID', 'id', 'customer_id'], ['customer_id', 'id', 'customer_id'], ['InvoiceNo', 'id', 'order_id'], ['StockCode', 'id', 'item'],
      ['Description', 'text', null], ['Quantity', 'integer', 'quantity'], ['InvoiceDate', 'datetime', 'timestamp'], ['UnitPrice', 'decimal', 'unit_price'], ['Country', 'category', 'region'],
      ['date', 'date', 'timestamp'], ['dollar_value', 'decimal', 'amount'], ['number_of_cds', 'integer', 'quantity'], ['label', 'category', 'label'], ['text', 'text', 'message_text'],
      ['Churn', 'boolean', 'label'], ['gender', 'category', 'gender'], ['TotalCharges', 'decimal', 'amount'], ['species', 'category', 'label'], ['date_of_birth', 'date', 'birthday'],
      ['given_name', 'text', 'name'], ['surname', 'text', 'name'], ['suburb', 'text', 'city'], ['state', 'category', 'region'], ['phone', 'phone', 'phone'], ['city', 'text', 'city'],
      ['Spending Score (1-100)', 'integer', null], ['Age', 'integer', null], ['tenure', 'integer', null],
    ];
    for (const [name, type, role] of cases) expect(suggestRole(name, col(name, type)), name).toBe(role);
  });

  it('a header match with an unsuitable type is weak: an amount must be numeric, a timestamp a date', () => {
    expect(suggestRole('金额', col('金额', 'text'))).toBeNull();
    expect(suggestRole('下单时间', col('下单时间', 'text'))).toBeNull();
    expect(suggestRoles([col('金额', 'text'), col('实付', 'decimal')])).toEqual([null, 'amount']);
  });

  it('one column per role, the best match first; name may take given name and surname', () => {
    const cols = [col('下单时间', 'datetime'), col('创建时间', 'datetime'), col('金额', 'decimal'), col('实付金额', 'decimal'), col('given_name', 'text'), col('surname', 'text'), col('会员号', 'id'), col('客户类型', 'category')];
    expect(suggestRoles(cols)).toEqual(['timestamp', null, 'amount', null, 'name', 'name', 'customer_id', null]);
  });

  it('headerless files get roles from types: dates, free text and the label beside it, phones, emails', () => {
    const sms = [inferColumn('column_1', ['ham', 'spam', 'ham', 'ham']), inferColumn('column_2', ['Go until jurong point, crazy..', 'Free entry in 2 a wkly comp to win FA Cup', 'U dun say so early hor... U c already then say', 'Nah I don\'t think he goes to usf'])];
    expect(suggestRoles(sms)).toEqual(['label', 'message_text']);
    const other = [col('column_1', 'id'), col('column_2', 'date'), col('column_3', 'phone'), col('column_4', 'email'), col('column_5', 'decimal')];
    expect(suggestRoles(other)).toEqual([null, 'timestamp', 'phone', 'email', null]);
    // A named column is not given a role from its type alone, except phone and email.
    expect(suggestRoles([col('备注', 'text', { avgLength: 40 }), col('联系方式x', 'phone')])).toEqual([null, 'phone']);
  });

  it('a realistic Chinese order export end to end (inferred types, then roles)', () => {
    const data: Record<string, string[]> = {
      订单编号: ['SO20240105001', 'SO20240105002', 'SO20240106001'],
      会员号: ['M1001', 'M1002', 'M1001'],
      手机号码: ['13800138000', '13900139000', '13800138000'],
      下单时间: ['2024-01-05 10:00:00', '2024-01-05 11:30:00', '2024-01-06 09:15:00'],
      商品名称: ['保温杯', '帆布包', '保温杯'],
      数量: ['1', '2', '1'],
      实付金额: ['¥59.00', '¥98.00', '¥59.00'],
      渠道: ['天猫', '京东', '天猫'],
      活动名称: ['元旦大促', '元旦大促', '新年会员日'],
      回复内容: ['好的', 'TD', '谢谢'],
    };
    const infs = Object.entries(data).map(([k, v]) => inferColumn(k, v));
    expect(infs.map((c) => c.type)).toEqual(['id', 'id', 'phone', 'datetime', 'category', 'integer', 'decimal', 'category', 'category', 'text']);
    expect(suggestRoles(infs)).toEqual(['order_id', 'customer_id', 'phone', 'timestamp', 'item', 'quantity', 'amount', 'channel', 'campaign', 'reply_text']);
  });

  it('validates its inputs', () => {
    expect(() => suggestRoles(null as unknown as ColumnInference[])).toThrow(/array/);
  });
});
