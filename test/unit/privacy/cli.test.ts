/** The privacy commands through the real `segmint` bin on the demo workspace. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';

let t: ReturnType<typeof tempDir>;
let ws: string;

const cli = segmintIn(() => t.dir, { env: { SEGMINT_LANG: 'en' } });
const segmint = cli.run;
function json(args: string[]) {
  return cli.json([...args, '--workspace', ws]);
}
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

beforeAll(() => {
  t = tempDir('segmint-privacy-cli-');
  ws = cli.json(['demo', '--customers', '1200']).path;
});
afterAll(() => t.cleanup());

describe('segmint export / report / backup', () => {
  it('exports an RFM segment with masks, a pseudonymised id and a template; the audit has the hash', () => {
    const rfm = json(['rfm', '--dataset', '订单', '--scheme', 'cn8']);
    const big = [...rfm.segments].sort((a: { size: number }, b: { size: number }) => b.size - a.size)[0];
    json(['sms', 'suppression', 'sync', '--replies', '短信回复']);
    const out = path.join(t.dir, 'seg.csv');
    const r = json(['export', big.name, '--columns', '客户编号,姓名,手机号码,城市', '--mask', 'phone,name', '--pseudonymize', 'id', '--template', '{姓名|顾客}您好，回T退订', '--out', out]);
    expect(r.path).toBe(out);
    expect(r.sha256).toBe(sha(out));
    expect(r.segment).toBe(big.name);
    expect(r.rows).toBeGreaterThan(0);
    expect(r.rows + r.suppressed).toBeLessThanOrEqual(big.size);
    expect(r.protection.map((p: { column: string; protect: string }) => `${p.column}=${p.protect}`).sort()).toEqual(['客户编号=pseudonym', '姓名=mask', '手机号码=mask'].sort());
    const lines = readFileSync(out, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('客户编号,姓名,手机号码,城市,短信内容');
    expect(lines.length - 1).toBe(r.rows);
    expect(lines[1]).toMatch(/^p_[a-z2-7]{16},/);
    // No mobile number in the file: every 11-digit run is masked.
    expect(readFileSync(out, 'utf8')).not.toMatch(/1[3-9]\d{9}/);
    // The alias and GBK; without suppression more rows.
    const gbk = path.join(t.dir, 'seg-gbk.csv');
    const r2 = json(['segments', 'export', big.name, '--columns', '城市', '--encoding', 'gbk', '--no-suppression', '--out', gbk]);
    expect(r2.suppressed).toBe(0);
    expect(r2.rows).toBe(r.rows + r.suppressed);
    expect(readFileSync(gbk).subarray(0, 2).equals(Buffer.from([0xb3, 0xc7]))).toBe(true); // 城 in GBK, no BOM
    const audit = json(['query', '--sql', "SELECT details FROM audit_log WHERE action = 'export' ORDER BY id"]);
    expect(audit.rows.map((x: string[]) => JSON.parse(x[0]!).sha256)).toEqual([r.sha256, r2.sha256]);
  });

  it('bad input: one clear line and exit 1; usage errors exit 2', () => {
    const out = path.join(t.dir, 'bad.csv');
    const bad = segmint(['export', '重要价值客户', '--template', '{积分}到期', '--out', out, '--workspace', ws]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('{积分}');
    expect(existsSync(out)).toBe(false);
    expect(segmint(['export', 'nope', '--out', out, '--workspace', ws]).code).toBe(1);
    const missingDir = segmint(['export', '--dataset', 'CRM 联系人', '--out', path.join(t.dir, 'no', 'x.csv'), '--workspace', ws]);
    expect(missingDir.code).toBe(1);
    expect(missingDir.stderr).toContain('does not exist');
    expect(segmint(['export', '--dataset', 'CRM 联系人', '--mask', 'salary', '--out', out, '--workspace', ws]).code).toBe(1);
    expect(segmint(['export', '--dataset', 'CRM 联系人', '--workspace', ws]).code).toBe(2);
    expect(segmint(['report', '--kind', 'pie', '--out', out, '--workspace', ws]).code).toBe(2);
  });

  it('writes reports and backs up / restores', () => {
    const html = path.join(t.dir, 'r.html');
    const r = json(['report', '--kind', 'dashboard', '--out', html]);
    expect(r.format).toBe('html');
    expect(readFileSync(html, 'utf8')).toContain('<svg');
    expect(readFileSync(html, 'utf8')).not.toMatch(/https?:\/\//);
    const seg = json(['report', '--kind', 'segment', '--out', path.join(t.dir, 's.html'), '--lang', 'zh']);
    expect(seg.charts).toBeGreaterThanOrEqual(1);
    const b = json(['backup', 'create', '--reason', 'cli test']);
    expect(existsSync(b.path)).toBe(true);
    const list = json(['backup', 'list']);
    expect(list.backups[0].name).toBe(b.name);
    const before = json(['datasets', 'list']);
    const n = (before.datasets ?? before).length;
    const restored = json(['backup', 'restore', b.name]);
    expect(restored.workspace).toBe(ws);
    const after = json(['datasets', 'list']);
    expect((after.datasets ?? after).length).toBe(n);
    expect(segmint(['backup', 'restore', 'nope', '--workspace', ws]).code).toBe(1);
  });
  it('--purpose gateway: a send list of phone and message only, real names, each phone once; agency refuses a message', () => {
    const rfm = json(['rfm', '--dataset', '订单', '--scheme', 'cn8']);
    const big = [...rfm.segments].sort((a: { size: number }, b: { size: number }) => b.size - a.size)[0];
    const out = path.join(t.dir, 'send.csv');
    const r = json(['export', big.name, '--purpose', 'gateway', '--template', '{姓名|顾客}您好，回T退订', '--out', out]);
    expect(r.purpose).toBe('gateway');
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^[^,]+,短信内容$/);
    expect(lines.length - 1).toBe(r.rows);
    const phones = lines.slice(1).map((l) => l.split(',')[0]!);
    expect(phones.every((p) => /^1[3-9]\d{9}$/.test(p))).toBe(true);
    expect(new Set(phones).size).toBe(phones.length);
    expect(lines.slice(1).some((l) => /\*/.test(l))).toBe(false); // nothing masked: the message goes to that person
    const refused = segmint(['export', big.name, '--purpose', 'agency', '--template', '{姓名}您好', '--out', path.join(t.dir, 'agency.csv'), '--workspace', ws]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/agency carries no message/);
  });
});
