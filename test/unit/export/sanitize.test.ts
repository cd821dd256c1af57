/** Formula-injection neutralisation: every trigger, numbers and numeric strings untouched. */
import { describe, expect, it } from 'vitest';
import { FORMULA_TRIGGERS, needsNeutralising, sanitizeCell } from '../../../main/export/sanitize';

describe('sanitizeCell', () => {
  it('each trigger character gets a leading apostrophe', () => {
    expect(sanitizeCell('=1+1')).toBe("'=1+1");
    expect(sanitizeCell('=HYPERLINK("http://x","click")')).toBe('\'=HYPERLINK("http://x","click")');
    expect(sanitizeCell('+1+cmd|\' /C calc\'!A0')).toBe("'+1+cmd|' /C calc'!A0");
    expect(sanitizeCell('-2+3')).toBe("'-2+3");
    expect(sanitizeCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(sanitizeCell('\t=1')).toBe("'\t=1");
    expect(sanitizeCell('\r=1')).toBe("'\r=1");
    expect(sanitizeCell('＝1+1')).toBe("'＝1+1");
    for (const t of FORMULA_TRIGGERS) expect(needsNeutralising(t + 'A1')).toBe(true);
  });
  it('only strings are touched; plain numeric strings stay (documented decision)', () => {
    expect(sanitizeCell(-5)).toBe(-5);
    expect(sanitizeCell(0)).toBe(0);
    expect(sanitizeCell(null)).toBeNull();
    expect(sanitizeCell(true)).toBe(true);
    const d = new Date(0);
    expect(sanitizeCell(d)).toBe(d);
    for (const s of ['-5', '+5', '-0.25', '-.5', '1e-3', '-1E+5', '+8613812341234']) expect(sanitizeCell(s)).toBe(s);
    for (const s of ['-5 ', '- 5', '-1-1', '-A1', '+86 138 1234 1234', '-', '+']) expect(sanitizeCell(s)).toBe("'" + s);
  });
  it('ordinary text is unchanged, including a trigger later in the string', () => {
    for (const s of ['张三', 'a=b', ' =1+1', '', "'=1", 'x@y.com', '138****1234']) expect(sanitizeCell(s)).toBe(s);
  });
});
