import { describe, expect, it } from 'vitest';
import { untranslated } from '../../e2e/untranslated-check';

describe('untranslated-text rule used by the zh e2e check', () => {
  it('flags English words, raw codes and English dates the issue quoted', () => {
    const found = untranslated(['类型 id/text/category', '原因 invalid_number', '5 fields, expected 11', '12/3/2026, 7:21:37 AM', 'recency']);
    expect(found.map((f) => f.text)).toEqual(['类型 id/text/category', '原因 invalid_number', '5 fields, expected 11', '12/3/2026, 7:21:37 AM', 'recency']);
    expect(found[0]!.words).toEqual(['id/text/category']);
    expect(found[2]!.words).toEqual(['fields', 'expected']);
    expect(found[3]!.words).toEqual(['<en date>']);
  });

  it('lets Chinese text, numbers, zh dates and the product names/units through', () => {
    expect(untranslated(['RFM 分群', '短信 SMS 送达率 95.2%', 'k-means（k = 4）', 'BG/NBD + Gamma-Gamma', '2026/12/3 07:21:37', 'p = 0.03', 'ds_1', 'AUC 0.81', '导出 CSV', 'user40019@qq.com', '路径 /tmp/segmint-e2e-x/workspaces/a.segmint', 'dd_19d5d2a428ac', '或 segmint import --append-to）'])).toEqual([]);
  });
});
