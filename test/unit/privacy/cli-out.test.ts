/**
 * Every file the CLI writes with --out goes through the one export writer: formula triggers
 * neutralised, an audit entry with the SHA-256 of the written file, columns masked when asked
 * (--mask), .xlsx by extension — and no second CSV writer that skips all that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { segmintIn } from '../../helpers/cli';
import { tempDir } from '../../helpers/app';

const t = tempDir('segmint-cli-out-');
const { run, json } = segmintIn(() => t.dir);
const ws = path.join(t.dir, 'out.segmint');
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

beforeAll(() => {
  const csv = path.join(t.dir, 'contacts.csv');
  writeFileSync(csv, '姓名,手机号码,备注\n张伟,13812345678,"=HYPERLINK(""http://evil.example"",""点我"")"\n李娜,13987654321,@SUM(1+1)\n王芳,13700001111,-5\n');
  json(['workspace', 'create', ws]);
  json(['import', csv, '--workspace', ws, '--name', 'contacts']);
});
afterAll(() => t.cleanup());

const auditExports = () => json(['query', '--workspace', ws, '--sql', "SELECT rows, details FROM audit_log WHERE action = 'export' ORDER BY id"]).rows as [number, string][];

describe('CLI --out through the export writer', () => {
  it('neutralises formulas and records the file with its SHA-256 in the audit log', () => {
    const out = path.join(t.dir, 'q.csv');
    const r = json(['query', '--workspace', ws, '--sql', 'SELECT "姓名", "手机号码", "备注" FROM ds_1 ORDER BY _row', '--out', out]);
    expect(r.out).toBe(out);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(text).toContain("'@SUM(1+1)");
    expect(text).toMatch(/,-5\r\n$/); // a plain negative number is not a formula
    expect(text).toContain('13812345678');
    const entries = auditExports();
    const last = JSON.parse(entries.at(-1)![1]);
    expect(entries.at(-1)![0]).toBe(3);
    expect(last).toMatchObject({ command: 'query', path: out, sha256: sha(out), format: 'csv' });
  });

  it('masks the columns named by --mask (by name or kind) and writes .xlsx by extension', () => {
    const out = path.join(t.dir, 'masked.csv');
    json(['query', '--workspace', ws, '--sql', 'SELECT "姓名", "手机号码" FROM ds_1 ORDER BY _row', '--out', out, '--mask', 'phone,姓名']);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('张伟');
    expect(text).toContain('138****5678');
    expect(JSON.parse(auditExports().at(-1)![1])).toMatchObject({ masked: ['姓名', '手机号码'], sha256: sha(out) });
    const xlsx = path.join(t.dir, 'q.xlsx');
    json(['quarantine', 'contacts', '--workspace', ws, '--out', xlsx]);
    expect(readFileSync(xlsx).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(JSON.parse(auditExports().at(-1)![1])).toMatchObject({ command: 'quarantine', format: 'xlsx', sha256: sha(xlsx) });
  });

  it('refuses a --mask word that matches no column, writing nothing', () => {
    const out = path.join(t.dir, 'never.csv');
    const r = run(['query', '--workspace', ws, '--sql', 'SELECT "姓名" FROM ds_1', '--out', out, '--mask', 'salary']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--mask salary/);
    expect(() => readFileSync(out)).toThrow();
  });
});
