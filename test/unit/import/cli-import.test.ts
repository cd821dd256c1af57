/** `segmint import` through the real bin: the user can say there is no header (a one-line file), and phone columns report their flagged cells. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';

let t: ReturnType<typeof tempDir>;
let ws: string;
const cli = segmintIn(() => t.dir);

beforeAll(() => {
  t = tempDir();
  ws = path.join(t.dir, 'imp.segmint');
  cli.json(['workspace', 'create', ws]);
});
afterAll(() => t.cleanup());

describe('segmint import', () => {
  it('--header no imports a one-line file as one row; a bad value is a usage error', () => {
    const file = path.join(t.dir, 'one.csv');
    writeFileSync(file, '张三,北京,13800138000\n');
    const r = cli.json(['import', file, '--workspace', ws, '--header', 'no']);
    expect(r).toMatchObject({ rowsIn: 1, rowsImported: 1, rowsQuarantined: 0, header: false });
    const bad = cli.run(['import', file, '--workspace', ws, '--header', 'maybe']);
    expect(bad.code).toBe(2);
  });

  it('--delimiter picks the delimiter; phone cells that are not numbers are flagged with a reason', () => {
    const file = path.join(t.dir, 'pipe.txt');
    writeFileSync(file, '会员号|手机\nM1|138 1234 5678\nM2|1.38E+10\nM3|(+86)139-1234-5678\n');
    const r = cli.json(['import', file, '--workspace', ws, '--delimiter', '|']);
    expect(r).toMatchObject({ rowsIn: 3, rowsImported: 3, delimiter: '|' });
    expect(r.columns.find((c: { name: string }) => c.name === '手机')).toMatchObject({ type: 'phone', invalid: 1, invalidReasons: { excel_scientific: 1 } });
  });
});
