/**
 * The campaign report's message lengths (segments per message, messages a personalised name pushes
 * into more segments) on a send log with its lengths planted, and on a campaign of 300,000 sends:
 * the report once kept every text and took the maximum by spreading a 300k-element array into
 * Math.max, which overflowed the call stack ("Maximum call stack size exceeded" at 1M sends).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { importFile, tempDir, testApp } from '../../helpers/app';
import { countSmsSegments } from '../../../main/analysis/sms/segments';

const t = tempDir();
afterAll(() => t.cleanup());

const SHORT = '【品牌】亲爱的会员，会员日全场满299减50，回T退订'; // UCS-2, one segment
const name = (n: number) => '欧阳'.repeat(n);
/** The short text with a name long enough to need `segments` UCS-2 segments (67 units each past the first 70). */
function withName(segments: number): string {
  let n = 1;
  while (countSmsSegments(`【品牌】尊敬的${name(n)}，会员日全场满299减50，回T退订`).segments < segments) n++;
  return `【品牌】尊敬的${name(n)}，会员日全场满299减50，回T退订`;
}

/** The campaign report of a send log (CSV lines after the header), imported into a new workspace. */
async function reportOf(name: string, lines: string[]) {
  const file = path.join(t.dir, `${name}.csv`);
  writeFileSync(file, `活动名称,版本,手机号码,短信内容,发送时间,发送状态,费用\n${lines.join('\n')}\n`);
  const app = testApp();
  try {
    await app.call('workspace/create', { name });
    const sends = await importFile(app, file, name);
    return await app.call('sms/report', { sends, windowDays: 7, minCount: 30 });
  } finally {
    await app.close();
  }
}

describe('message lengths in the campaign report', () => {
  it('counts the usual segments, the spilled messages and the first spilled one in row order; GSM-7 and mixed campaigns', async () => {
    const two = withName(2);
    const three = withName(3);
    expect([countSmsSegments(SHORT).segments, countSmsSegments(two).segments, countSmsSegments(three).segments]).toEqual([1, 2, 3]);
    const rows: string[] = [];
    const send = (campaign: string, i: number, text: string) => rows.push(`${campaign},A,${13900000000 + i},${text},2024-11-0${1 + (i % 9)} 10:00:00,DELIVRD,0.05`);
    // 会员日: 30 short, then a three-segment message, then 6 two-segment ones, 10 more short
    for (let i = 0; i < 30; i++) send('会员日', i, SHORT);
    send('会员日', 30, three);
    for (let i = 31; i < 37; i++) send('会员日', i, two);
    for (let i = 37; i < 47; i++) send('会员日', i, SHORT);
    // news: GSM-7 only; mix: GSM-7 and UCS-2
    for (let i = 0; i < 12; i++) send('news', 100 + i, 'Sale today only reply T to stop');
    for (let i = 0; i < 6; i++) send('mix', 200 + i, i % 2 ? SHORT : 'Sale today only reply T to stop');
    const r = await reportOf('lengths', rows);
    const by = (c: string) => r.campaigns.find((x) => x.campaign === c)!.length;
    expect(by('会员日')).toEqual({ encoding: 'UCS-2', typicalSegments: 1, maxSegments: 3, spilled: 7, segmentsSent: 40 + 3 + 6 * 2, example: three });
    expect(by('news')).toEqual({ encoding: 'GSM-7', typicalSegments: 1, maxSegments: 1, spilled: 0, segmentsSent: 12, example: null });
    expect(by('mix')!.encoding).toBe('mixed');
  });

  it('a campaign of 300,000 sends gets its report (it overflowed the call stack before)', async () => {
    const n = 300_000;
    const lines = new Array<string>(n);
    const two = withName(2);
    for (let i = 0; i < n; i++) lines[i] = `大促,${i % 2 ? 'A' : 'B'},${13800000000 + (i % 50_000)},${i % 1000 === 0 ? two : SHORT},2024-11-${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:00:00,DELIVRD,0.05`;
    const r = await reportOf('big', lines);
    expect(r.totals.sent).toBe(n);
    expect(r.campaigns[0]!.length).toEqual({ encoding: 'UCS-2', typicalSegments: 1, maxSegments: 2, spilled: n / 1000, segmentsSent: n + n / 1000, example: two });
  }, 240_000);
});
