/**
 * Presentation mode masks customer names by value: the known names of the workspace (name-role
 * columns of its datasets and the customers table) are masked wherever they appear — inside a
 * personalised SMS text, under any SQL alias, in group_concat or json_object results — not only
 * in columns whose header says "name".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownNameMatcher, maskKnownNames } from '../../../main/privacy/known-names';
import { testApp, type TestApp } from '../../helpers/app';

let app: TestApp;
let names: string[] = [];
let contacts = '';
let sends = '';
beforeAll(async () => {
  app = testApp();
  const { jobId } = await app.call('demo/open', { seed: 11, customers: 300 });
  await app.ctx.jobs.wait(jobId);
  const ds = await app.call('datasets/list', {});
  contacts = ds.find((d) => d.name === 'CRM 联系人')!.id;
  sends = ds.find((d) => d.name === '短信发送')!.id;
  const r = await app.call('datasets/query', { sql: `SELECT DISTINCT "姓名" FROM ${contacts}`, limit: 10_000 });
  names = r.rows.map((x) => String(x[0])).filter((n) => [...n].length >= 2);
}, 120_000);
afterAll(() => app.close());

const leaks = (answer: unknown) => {
  const text = JSON.stringify(answer);
  return names.filter((n) => text.includes(n));
};

describe('known names', () => {
  it('masks names inside free text, longest first, Latin names only as whole words', () => {
    const m = knownNameMatcher(['杨思远', '欧阳娜娜', '欧阳娜', 'Ann Lee', 'Ann', '伟']);
    expect(maskKnownNames('杨思远您好，欧阳娜娜的券已到账', m)).toBe('杨**您好，欧阳**的券已到账');
    expect(maskKnownNames('Dear Ann, Annual report by Ann Lee', m)).toBe('Dear A**, Annual report by A** L**');
    // One-character names are not masked inside text (they would hide every such character).
    expect(maskKnownNames('伟大的活动', m)).toBe('伟大的活动');
  });
});

describe('presentation mode masks names by value', () => {
  it('no known name reaches a caller: SMS texts, aliases, group_concat, json_object', async () => {
    expect(names.length).toBeGreaterThan(100);
    const raw = await app.call('datasets/rows', { id: sends, offset: 0, limit: 2000 });
    const personalised = JSON.stringify(raw.rows);
    const inTexts = names.filter((n) => personalised.includes(n + '您好'));
    expect(inTexts.length).toBeGreaterThan(0); // the demo's variant B greets customers by name
    await app.call('settings/set', { presentationMode: true });
    try {
      const answers = [
        await app.call('datasets/rows', { id: sends, offset: 0, limit: 2000 }),
        await app.call('datasets/query', { sql: `SELECT "姓名" AS 客户, "城市" FROM ${contacts}`, limit: 10_000 }),
        await app.call('datasets/query', { sql: `SELECT group_concat("姓名", '、') AS who FROM ${contacts}` }),
        await app.call('datasets/query', { sql: `SELECT json_object('n', "姓名", 'c', "城市") AS j FROM ${contacts}`, limit: 10_000 }),
      ];
      expect(answers.map(leaks)).toEqual([[], [], [], []]);
      // Still readable as masked names (surname kept), and other columns untouched.
      expect(JSON.stringify(answers[1])).toMatch(/"[\p{Script=Han}]{1,2}\*{1,3}"/u);
      expect(JSON.stringify(answers[1])).toMatch(/杭州|上海|北京|广州|深圳|成都/);
    } finally {
      await app.call('settings/set', { presentationMode: false });
    }
    expect(leaks(await app.call('datasets/query', { sql: `SELECT "姓名" AS 客户 FROM ${contacts}`, limit: 10_000 })).length).toBe(names.length);
  });
});
