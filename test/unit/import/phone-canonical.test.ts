/**
 * Phone columns at import (issue 16 item 11, issue 15 item 2): a phone-like column is never typed
 * as a number, the raw table keeps each value exactly as read, and the typed table holds the
 * canonical E.164 number — or NULL with a reason (Excel's 1.38E+10, prefixes that are not mobiles).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { inferColumn } from '../../../main/import/types';
import { parsePhoneNumberFromString as parsePhoneNumberMax } from 'libphonenumber-js/max';
import { canonicalPhone, cnMobilePrefixValid, parsePhone } from '../../../main/kernel/values';
import { testApp, type TestApp } from '../../helpers/app';
import type { ImportSummary } from '../../../shared/api/import';

// Planted: one national number written every way people write it.
const WRITTEN = ['13812345678', '138 1234 5678', '138-1234-5678', '+86 138 1234 5678', '+8613812345678', '008613812345678', '8613812345678', '(+86)138-1234-5678', '(+86) 13812345678', '１３８１２３４５６７８', '＋８６　１３８１２３４５６７８', '+86-138-1234-5678'];

describe('canonicalPhone', () => {
  it('every written form of one mobile gives the same E.164 value', () => {
    for (const w of WRITTEN) expect(canonicalPhone(w), w).toEqual({ e164: '+8613812345678', problem: null });
  });

  // 162 is a virtual operators' mobile range in the full metadata, so it stays valid.
  it('prefixes that are not mobiles in the full metadata are refused (140–144, 154, 160, 161, 163, 164)', () => {
    for (const p of ['140', '141', '142', '143', '144', '154', '160', '161', '163', '164']) {
      expect(canonicalPhone(`${p}12345678`), p).toEqual({ e164: null, problem: 'not_a_mobile_prefix' });
      expect(parsePhone(`+86${p}12345678`), p).toBeNull();
    }
    for (const p of ['130', '145', '162', '165', '177', '199']) expect(parsePhone(`${p}12345678`), p).toBe(`+86${p}12345678`);
  });

  it("the mobile prefixes kept as ranges are exactly libphonenumber-js's: all 10,000 five-digit prefixes, three endings each", () => {
    let mobiles = 0;
    for (let p = 10_000; p < 20_000; p++) {
      const answers = ['000000', '555555', '999999'].map((end) => {
        const n = parsePhoneNumberMax(`${p}${end}`, 'CN');
        return !!n && n.isValid() && n.getType() === 'MOBILE';
      });
      // the five digits decide: every ending gets the same answer, and the ranges give it
      expect(new Set(answers).size, String(p)).toBe(1);
      expect(cnMobilePrefixValid(`${p}000000`), String(p)).toBe(answers[0]);
      if (answers[0]) mobiles++;
    }
    expect(mobiles).toBeGreaterThan(4_000); // not a vacuous check: about half the prefixes are mobiles
  });

  it("Excel's scientific form is flagged, not guessed", () => {
    expect(canonicalPhone('1.38E+10')).toEqual({ e164: null, problem: 'excel_scientific' });
    expect(canonicalPhone('1.38123E+10')).toEqual({ e164: null, problem: 'excel_scientific' });
  });

  it('landlines and foreign numbers keep their country', () => {
    expect(parsePhone('010-12345678')).toBe('+861012345678');
    expect(parsePhone('0086 21 6123 4567')).toBe('+862161234567');
    expect(parsePhone('+852 9123 4567')).toBe('+85291234567');
    expect(canonicalPhone('call me').problem).toBe('not_a_phone_number');
  });
});

describe('a phone-like column is never typed as a number', () => {
  // 10% of values unparseable: before, the column fell through to integer/decimal.
  const col = (n: number, good: (i: number) => string) => Array.from({ length: n }, (_, i) => (i % 10 === 9 ? 'unknown' : good(i)));

  it('landlines with a leading 0 and mobiles with +86 under a phone header', () => {
    const landline = inferColumn('电话', col(200, (i) => `010${String(10000000 + i * 7919).slice(0, 8)}`));
    expect(landline.type).toBe('phone');
    const intl = inferColumn('phone', col(200, (i) => `+86 13${i % 10} ${String(1000 + i).padStart(4, '0')} ${String(5000 + i).padStart(4, '0')}`));
    expect(intl.type).toBe('phone');
    // With > 50% bad it is still not a number.
    const mostlyBad = inferColumn('手机', Array.from({ length: 100 }, (_, i) => (i % 3 ? `0${1000000000 + i}` : '13812345678')));
    expect(['phone', 'text', 'id']).toContain(mostlyBad.type);
  });
});

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'phones' });
});
afterAll(() => app.close());

describe('phone columns through the import service', () => {
  it('raw values stay untouched, typed values are canonical E.164, bad cells carry a reason', async () => {
    const values = [...WRITTEN, '1.38E+10', '14012345678', '01012345678', '+86 131 2345 6789', '未知'];
    const expected = [...WRITTEN.map(() => '+8613812345678'), null, null, '+861012345678', '+8613123456789', null];
    const lines = values.map((v, i) => `${i + 1},"${v}"`);
    const file = path.join(app.dir, 'phones.csv');
    writeFileSync(file, `id,手机\n${lines.join('\n')}\n`);
    const inspect = await app.call('import/inspect', { files: [{ path: file }] });
    expect(inspect.columns[1]!.type).toBe('phone');
    const { jobId } = await app.call('import/start', { files: [{ path: file }], name: 'phones', settings: inspect.settings });
    const job = await app.ctx.jobs.wait(jobId);
    const summary = job.result as ImportSummary;
    expect(summary.rowsImported).toBe(values.length);
    const db = app.ctx.requireSession().db;
    const raw = db.prepare(`SELECT "手机" AS v FROM ${summary.datasetId}__raw ORDER BY _row`).all() as { v: string }[];
    const typed = db.prepare(`SELECT "手机" AS v FROM ${summary.datasetId} ORDER BY _row`).all() as { v: string | null }[];
    expect(raw.map((r) => r.v)).toEqual(values);
    expect(typed.map((r) => r.v)).toEqual(expected);
    const col = summary.columns.find((c) => c.name === '手机')!;
    expect(col.invalid).toBe(3);
    expect(col.invalidReasons).toEqual({ excel_scientific: 1, not_a_mobile_prefix: 1, not_a_phone_number: 1 });
  });

  it('a phone role forced on an integer column still keeps leading zeros and +', async () => {
    const file = path.join(app.dir, 'phones2.csv');
    writeFileSync(file, 'id,contact\n1,01012345678\n2,+8613912345678\n3,13712345678\n');
    const inspect = await app.call('import/inspect', { files: [{ path: file }] });
    const settings = { ...inspect.settings, columns: inspect.settings.columns.map((c) => (c.name === 'contact' ? { ...c, type: 'integer' as const, role: 'phone' as const } : c)) };
    const { jobId } = await app.call('import/start', { files: [{ path: file }], name: 'phones2', settings });
    const summary = (await app.ctx.jobs.wait(jobId)).result as ImportSummary;
    const db = app.ctx.requireSession().db;
    expect((db.prepare(`SELECT contact AS v FROM ${summary.datasetId} ORDER BY _row`).all() as { v: string }[]).map((r) => r.v)).toEqual(['+861012345678', '+8613912345678', '+8613712345678']);
    expect((db.prepare(`SELECT contact AS v FROM ${summary.datasetId}__raw ORDER BY _row`).all() as { v: string }[]).map((r) => r.v)).toEqual(['01012345678', '+8613912345678', '13712345678']);
  });
});
