/** Message templates: parsing, validation messages, fallbacks, literal braces, segments and spill-over. */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { datasetPath } from '../../helpers/datasets';
import { createRng, randInt } from '../../../main/kernel/random';
import { compileTemplate, parseTemplate, renderTemplate, validateTemplate } from '../../../main/export/template';
import { isAppError } from '../../../shared/errors';

describe('parseTemplate / validateTemplate', () => {
  it('parts, fields, fallbacks and literal braces', () => {
    const p = parseTemplate('{姓名|顾客}您好，您的积分{积分}即将到期{{不变}}');
    expect(p.errors).toEqual([]);
    expect(p.fields).toEqual(['姓名', '积分']);
    expect(p.parts.map((x) => (x.type === 'text' ? x.text : `<${x.name}|${x.fallback}>`))).toEqual(['<姓名|顾客>', '您好，您的积分', '<积分|null>', '即将到期{不变}']);
    expect(parseTemplate('{ name |dear customer }').parts[0]).toMatchObject({ name: 'name', fallback: 'dear customer ' });
    expect(parseTemplate('{a|x|y}').parts[0]).toMatchObject({ name: 'a', fallback: 'x|y' });
  });
  it('syntax errors carry codes, positions and both languages', () => {
    const codes = (t: string) => parseTemplate(t).errors.map((e) => e.code);
    expect(codes('您好 {姓名')).toEqual(['template.unclosed']);
    expect(codes('您好 }')).toEqual(['template.stray_brace']);
    expect(codes('{a{b}')).toEqual(['template.nested_brace']);
    expect(codes('{|顾客}')).toEqual(['template.empty_field']);
    expect(codes('  ')).toEqual(['template.empty']);
    const e = parseTemplate('ab {x').errors[0]!;
    expect(e.details).toEqual({ position: 3 });
    expect(e.en).toMatch(/position 4/);
    expect(e.zh).toMatch(/第 4 个字符/);
  });
  it('unknown fields are listed, with a suggestion for a near-miss column', () => {
    const v = validateTemplate('{Name|friend}, {积分} {等级}', ['name', '积分']);
    expect(v.ok).toBe(false);
    expect(v.unknownFields).toEqual(['Name', '等级']);
    expect(v.errors.map((e) => [e.code, e.details])).toEqual([
      ['template.unknown_field', { field: 'Name', suggestion: 'name' }],
      ['template.unknown_field', { field: '等级', suggestion: null }],
    ]);
    expect(v.errors[1]!.zh).toContain('{等级}');
    expect(validateTemplate('{name} {积分}', ['name', '积分']).ok).toBe(true);
  });
  it('compiling a broken template throws an AppError listing the problems', () => {
    try {
      compileTemplate('{a');
      throw new Error('no throw');
    } catch (e) {
      expect(isAppError(e)).toBe(true);
      expect((e as { code: string }).code).toBe('template.invalid');
    }
  });
});

describe('renderTemplate', () => {
  it('fallbacks, missing fields, numbers and optional fields', () => {
    const t = '{姓名|顾客}您好，您的积分{积分}即将到期{备注|}';
    expect(renderTemplate(t, { 姓名: '张三', 积分: 1200 })).toMatchObject({ text: '张三您好，您的积分1200即将到期', usedFallback: ['备注'], missing: [] });
    expect(renderTemplate(t, { 姓名: '  ', 积分: null })).toMatchObject({ text: '顾客您好，您的积分即将到期', usedFallback: ['姓名', '备注'], missing: ['积分'] });
    expect(renderTemplate('Hi {n}', { n: new Date(Date.UTC(2024, 4, 31)) }).text).toBe('Hi 2024-05-31');
  });
  it('segments after rendering: a Chinese name turns a GSM-7 message into UCS-2 and spills', () => {
    const t = compileTemplate('Hi {name|there}, your 200 points expire on 31 May. Visit any store to use them. Reply STOP to opt out.');
    expect(t.baseline).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const en = renderTemplate(t, { name: 'Alice' });
    expect(en.segments.encoding).toBe('GSM-7');
    expect(en.spillover).toBe(false);
    const zh = renderTemplate(t, { name: '张三' });
    expect(zh.segments).toMatchObject({ encoding: 'UCS-2', units: zh.text.length, segments: 2 }); // > 70: two parts of 67
    expect(zh).toMatchObject({ spillover: true, extraSegments: 1 });
    // UCS-2 template: 69 characters with the fallback '顾客'; a 3-character name fits (70), 4 need 71 > 70.
    const cn = compileTemplate('{姓名|顾客}您好！您在本店累计的会员积分将于本月底全部到期清零，请尽快登录官方微信小程序兑换精美礼品或直接抵扣现金，详情请咨询附近的门店，退订回T');
    expect(cn.baseline).toMatchObject({ encoding: 'UCS-2', units: [...'顾客您好！您在本店累计的会员积分将于本月底全部到期清零，请尽快登录官方微信小程序兑换精美礼品或直接抵扣现金，详情请咨询附近的门店，退订回T'].length, segments: 1 });
    expect(renderTemplate(cn, { 姓名: '张小明' })).toMatchObject({ spillover: false, segments: { units: 70, segments: 1 } });
    expect(renderTemplate(cn, { 姓名: '欧阳娜娜' })).toMatchObject({ spillover: true, segments: { units: 71, segments: 2 } });
    expect(renderTemplate(cn, { 姓名: '欧阳娜娜娜娜娜娜' })).toMatchObject({ spillover: true });
    expect(renderTemplate(cn, { 姓名: '王' })).toMatchObject({ spillover: false, extraSegments: 0 });
  });
  it('FEBRL names in a GSM-7 template near the 160 limit: spill-over exactly when the text passes 160', () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(datasetPath('febrl-dataset4a.csv'), 'utf8'), { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim() }).data;
    const body = ', your 1,200 loyalty points expire on 31 May 2025. Visit any of our stores or reply YES to renew them for another year. Reply STOP to opt out.';
    const t = compileTemplate(`Dear {given_name|customer} {surname|}${body}`);
    const baseLen = `Dear customer ${body}`.length;
    expect(t.baseline).toMatchObject({ encoding: 'GSM-7', units: baseLen, segments: 1 });
    let spills = 0;
    let fallbacks = 0;
    for (const r of rows) {
      const m = renderTemplate(t, { given_name: r.given_name, surname: r.surname });
      const len = m.text.length;
      expect(m.spillover).toBe(len > 160); // ASCII only: GSM-7 septets = characters
      expect(m.segments.segments).toBe(len > 160 ? Math.ceil(len / 153) : 1);
      if (m.spillover) spills++;
      if (m.usedFallback.includes('given_name')) fallbacks++;
    }
    expect(rows.length).toBe(5000);
    // Measured: 2,312 of 5,000 (names of ≥ 14 characters with the space) spill into a second
    // part; 112 have no given name and get 'customer'.
    expect(spills).toBeGreaterThan(2200);
    expect(spills).toBeLessThan(2450);
    expect(fallbacks).toBeGreaterThan(100);
  });
  it('seeded Chinese names: spill-over share grows with name length', () => {
    const rng = createRng(7);
    const surnames = ['王', '李', '张', '刘', '欧阳', '司马'];
    const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英';
    const t = compileTemplate('{姓名|顾客}您好！您在本店累计的会员积分将于本月底全部到期清零，请尽快登录官方微信小程序兑换精美礼品或直接抵扣现金，详情请咨询附近的门店，退订回T');
    const byLen = new Map<number, { n: number; spill: number }>();
    for (let i = 0; i < 2000; i++) {
      let name = surnames[randInt(rng, surnames.length)]!;
      const k = 1 + randInt(rng, 2);
      for (let j = 0; j < k; j++) name += given[randInt(rng, given.length)];
      const m = renderTemplate(t, { 姓名: name });
      const s = byLen.get(name.length) ?? { n: 0, spill: 0 };
      s.n++;
      if (m.spillover) s.spill++;
      byLen.set(name.length, s);
      expect(m.spillover).toBe(t.baseline.units - 2 + name.length > 70);
    }
    expect(byLen.get(2)!.spill).toBe(0);
    expect(byLen.get(3)!.spill).toBe(0);
    expect(byLen.get(4)!.spill).toBe(byLen.get(4)!.n);
    expect(byLen.get(4)!.n).toBeGreaterThan(200);
  });
});
