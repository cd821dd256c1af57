import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStep, nfkc, trimText } from '../../../main/analysis/clean/steps';
import { RecipeStep, type RecipeStepInput } from '../../../shared/api/recipe';
import { normalizeDate, normalizePhone } from '../../../main/analysis/clean/values';
import type { Cell, Table } from '../../../main/analysis/clean/table';
import { canonicalPhone, cnSurelyMobilePrefixes } from '../../../main/kernel/values';
import { validity } from '../../../main/analysis/quality/profile';

// Strings rich in the characters cleaning cares about: spaces of all widths, zero-width, CJK, full-width forms.
const messy = fc
  .array(fc.constantFrom(' ', '\u3000', '\t', '\n', '\u00a0', '\u200b', 'a', 'Z', '张', '顧', 'Ａ', '１', '，', '-', '.', '0'), { maxLength: 20 })
  .map((cs) => cs.join(''));
const anyText = fc.oneof(messy, fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
const cell: fc.Arbitrary<Cell> = fc.oneof(anyText, fc.integer({ min: -1000, max: 1000 }), fc.constant(null));
const table = (width: number) =>
  fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 40 }).map((rows): Table => ({ columns: Array.from({ length: width }, (_, j) => `c${j}`), rows }));
const step = (s: RecipeStepInput) => RecipeStep.parse(s);

describe('properties', () => {
  it('trim is idempotent (strings and whole tables)', () => {
    fc.assert(fc.property(anyText, fc.boolean(), (s, collapse) => trimText(trimText(s, collapse), collapse) === trimText(s, collapse)));
    fc.assert(
      fc.property(table(3), (t) => {
        const once = runStep(t, step({ op: 'trim', columns: ['c0', 'c1', 'c2'] })).table;
        const twice = runStep(once, step({ op: 'trim', columns: ['c0', 'c1', 'c2'] }));
        expect(twice.report.cellsChanged).toBe(0);
        expect(twice.table.rows).toEqual(once.rows);
      }),
    );
  });

  it('NFKC is idempotent and leaves no full-width ASCII forms', () => {
    fc.assert(fc.property(anyText, (s) => nfkc(nfkc(s)) === nfkc(s) && !/[\uff01-\uff5e\u3000]/.test(nfkc(s))));
    fc.assert(fc.property(table(2), (t) => runStep(runStep(t, step({ op: 'nfkc', columns: ['c0', 'c1'] })).table, step({ op: 'nfkc', columns: ['c0', 'c1'] })).report.cellsChanged === 0));
  });

  it('filter: kept + removed = input, in order, nothing lost or duplicated', () => {
    const cond = fc.record({
      column: fc.constantFrom('c0', 'c1'),
      op: fc.constantFrom('eq', 'ne', 'gt', 'lt', 'contains', 'notContains', 'empty', 'notEmpty', 'in', 'notIn', 'regex') as fc.Arbitrary<'eq'>,
      value: fc.oneof(fc.constantFrom('a', '张', '0', '^\\d', ''), fc.integer({ min: -5, max: 5 })),
      values: fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -5, max: 5 })), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(table(2), fc.array(cond, { minLength: 1, maxLength: 3 }), fc.constantFrom('and', 'or'), fc.constantFrom('keep', 'remove'), (t, conditions, combine, mode) => {
        const r = runStep(t, step({ op: 'filter', conditions, combine, mode } as RecipeStepInput), { strict: false }); // a refused regex ('') drops its condition
        const kept = r.table.rowIds!;
        const gone = r.removed!.rowIds!;
        expect(kept.length + gone.length).toBe(t.rows.length);
        expect([...kept, ...gone].sort((a, b) => a - b)).toEqual(t.rows.map((_, i) => i));
        expect(kept).toEqual([...kept].sort((a, b) => a - b));
        kept.forEach((id, i) => expect(r.table.rows[i]).toBe(t.rows[id]));
        gone.forEach((id, i) => expect(r.removed!.rows[i]).toBe(t.rows[id]));
        expect(r.report.rowsRemoved).toBe(gone.length);
      }),
    );
  });

  it('phone normalisation is idempotent for Chinese mobiles in any common notation', () => {
    const mobile = fc.tuple(fc.constantFrom(...cnSurelyMobilePrefixes()), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })).map(([p, rest]) => `${p}${rest.join('')}`);
    fc.assert(
      fc.property(mobile, fc.constantFrom('', '+86', '0086', '86-', '+86 '), fc.constantFrom('', ' ', '-'), (m, prefix, sep) => {
        const written = prefix + m.slice(0, 3) + sep + m.slice(3, 7) + sep + m.slice(7);
        const r = normalizePhone(written);
        expect(r).toEqual({ ok: true, e164: '+86' + m, kind: 'mobile' });
        expect(normalizePhone((r as { e164: string }).e164)).toEqual(r);
      }),
    );
  });

  it('the cleaning step and the profile call a number a mobile exactly when the import does (the same prefixes: 140–144, 154 … are not)', () => {
    const national = fc.tuple(fc.integer({ min: 10_000, max: 19_999 }), fc.integer({ min: 0, max: 999_999 })).map(([p, rest]) => `${p}${String(rest).padStart(6, '0')}`);
    fc.assert(
      fc.property(national, fc.constantFrom('', '+86', '0086', '86'), (n, prefix) => {
        const imported = canonicalPhone(prefix + n).e164;
        const cleaned = normalizePhone(prefix + n);
        expect(cleaned.ok ? cleaned.e164 : null).toBe(imported);
        expect(validity('phone', prefix + n, 'CN') === null).toBe(imported !== null);
        if (imported) expect(validity('phone', imported, 'CN')).toBeNull();
      }),
      { numRuns: 2000 },
    );
    for (const n of ['14012345678', '14433725894', '15412345678']) expect(normalizePhone(n)).toEqual({ ok: false, reason: 'invalid_mobile' });
    expect(validity('phone', '+8614433725894', 'CN')).not.toBeNull(); // the stored form is checked too
  });

  it('date standardisation is idempotent and agrees across notations', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const y = d.getUTCFullYear();
        const m = d.getUTCMonth() + 1;
        const day = d.getUTCDate();
        const iso = d.toISOString().slice(0, 10);
        for (const s of [`${y}/${m}/${day}`, `${y}年${m}月${day}日`, `${String(day).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`]) {
          const out = normalizeDate(s, { order: 'dmy' });
          expect(out).toBe(iso);
          expect(normalizeDate(out!)).toBe(out);
        }
      }),
    );
  });
});
