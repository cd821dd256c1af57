/**
 * The command line under misuse, through the real bin: unknown flags are usage errors (exit 2,
 * en/zh) before anything runs; `--json | head` ends quietly; creating a workspace in a missing
 * folder says so; dataset names are unique (import makes them unique with a note, rename refuses)
 * and a name held by several datasets is never resolved silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { tempDir } from '../../helpers/app';
import { segmintBin, segmintIn } from '../../helpers/cli';

const t = tempDir('segmint-cli-robust-');
const { run, json } = segmintIn(() => t.dir);
const ws = path.join(t.dir, 'robust.segmint');
const csv = path.join(t.dir, 'orders.csv');

beforeAll(() => {
  const lines = ['customer_id,order_date,amount'];
  for (let i = 0; i < 400; i++) lines.push(`c${i % 60},2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')},${(i % 37) + 5}.5`);
  writeFileSync(csv, lines.join('\n'));
  json(['workspace', 'create', ws]);
});
afterAll(() => t.cleanup());

describe('unknown flags', () => {
  it('are a usage error (exit 2) that names the flag, in English and Chinese, and nothing runs', () => {
    const other = path.join(t.dir, 'never.segmint');
    const r = run(['workspace', 'create', other, '--powr', '0.9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --powr for "segmint workspace create"/);
    expect(existsSync(other)).toBe(false);
    const zh = run(['workspace', 'create', other, '--powr', '0.9', '--lang', 'zh']);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toContain('不认识参数 --powr');
    expect(existsSync(other)).toBe(false);
  });

  it('a misspelt analysis flag with a value no longer runs with the defaults', () => {
    json(['import', csv, '--workspace', ws, '--name', 'orders']);
    const r = run(['rfm', '--dataset', 'orders', '--workspace', ws, '--treshold', 'median', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--treshold');
    // Known flags still work, including the writer's --format/--mask on a command with --out.
    expect(json(['rfm', '--dataset', 'orders', '--workspace', ws, '--threshold', 'median']).customers).toBe(60);
  });
});

describe('a closed stdout', () => {
  it('`--json | head -c 100` ends quietly with exit 0 and no stack trace', () => {
    const sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 60000) SELECT x, 'padding padding padding padding' AS t FROM c";
    const script = `"${process.execPath}" "${segmintBin}" query --sql "${sql}" --limit 60000 --workspace "${ws}" --json 2>"${t.dir}/err.txt" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"; cat "${t.dir}/err.txt"`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, SEGMINT_HOME: t.dir } });
    const [code, ...err] = r.stdout.split('\n');
    expect(err.join('\n')).not.toMatch(/EPIPE|Error|at .*\.m?js/);
    expect(code).toBe('0');
  });
});

describe('workspace create', () => {
  it('in a folder that does not exist says so (exit 1), not "internal error"', () => {
    const missing = path.join(t.dir, 'no', 'such', 'folder', 'x.segmint');
    const r = run(['workspace', 'create', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The folder ${path.dirname(missing)} does not exist`);
    expect(r.stderr).not.toMatch(/internal error/i);
    const zh = run(['workspace', 'create', missing, '--lang', 'zh']);
    expect(zh.stderr).toContain('不存在');
    expect(existsSync(path.dirname(missing))).toBe(false);
  });
});

describe('dataset names', () => {
  it('an import under a taken name is stored as "name (2)" with a note; rename to a taken name is refused', () => {
    const a = json(['import', csv, '--workspace', ws, '--name', 'dup']);
    const r = run(['import', csv, '--workspace', ws, '--name', 'dup', '--json']);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(b.name).toBe('dup (2)');
    expect(b.renamedFrom).toBe('dup');
    expect(r.stderr).toContain('note: a dataset named "dup" exists; this one is named "dup (2)"');
    const names = json(['datasets', 'list', '--workspace', ws]).datasets.map((d: { name: string }) => d.name);
    expect(new Set(names).size).toBe(names.length);
    // --dataset by name finds exactly the one so named.
    expect(json(['datasets', 'show', 'dup', '--workspace', ws]).datasetId).toBe(a.datasetId);
    const refused = run(['datasets', 'rename', b.datasetId, 'dup', '--workspace', ws]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Another dataset is already named "dup"');
    expect(json(['datasets', 'rename', b.datasetId, 'dup second', '--workspace', ws]).name).toBe('dup second');
  });

  it('datasets delete asks for the name, as the app does; a DuckDB dataset goes with its table', () => {
    for (const engine of ['sqlite', 'duckdb']) {
      const d = json(['import', csv, '--workspace', ws, '--name', `to delete ${engine}`, '--engine', engine]);
      const refused = run(['datasets', 'delete', d.datasetId, '--confirm', 'something else', '--workspace', ws]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`Type the dataset name "to delete ${engine}" to confirm deletion.`);
      expect(run(['datasets', 'delete', d.datasetId, '--workspace', ws]).code).toBe(2);
      expect(json(['datasets', 'delete', `to delete ${engine}`, '--confirm', `to delete ${engine}`, '--workspace', ws])).toEqual({ deleted: d.datasetId, name: `to delete ${engine}` });
      expect(json(['datasets', 'list', '--workspace', ws]).datasets.map((x: { id: string }) => x.id)).not.toContain(d.datasetId);
      // the same name imported again is not renamed: nothing of the deleted dataset is left to clash with
      const again = json(['import', csv, '--workspace', ws, '--name', `to delete ${engine}`, '--engine', engine]);
      expect(again.name).toBe(`to delete ${engine}`);
      expect(again.rowsImported).toBe(d.rowsImported);
      expect(json(['datasets', 'show', again.name, '--workspace', ws]).datasetId).toBe(again.datasetId);
    }
  });

  it('a name that several datasets share (older workspaces) is refused with their ids, never resolved to one', () => {
    const db = new Database(ws);
    const ids = (db.prepare("SELECT id FROM datasets WHERE name IN ('dup', 'dup second') ORDER BY id").all() as { id: string }[]).map((r) => r.id);
    db.prepare("UPDATE datasets SET name = 'twin' WHERE id IN (?, ?)").run(ids[0], ids[1]);
    db.close();
    const r = run(['rfm', '--dataset', 'twin', '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`2 datasets are named "twin" (${ids.join(', ')}): give the id instead`);
    expect(json(['datasets', 'show', ids[1]!, '--workspace', ws]).datasetId).toBe(ids[1]);
  });

  it('a job command failing before its job, beside a DuckDB file, ends with its own code (its job thread was loading DuckDB)', () => {
    // the early job thread loads DuckDB's library while the command is worked out; a process that ended
    // meanwhile aborted (exit 134) about one time in two on this machine
    expect(existsSync(`${ws}.duckdb`)).toBe(true);
    for (let k = 0; k < 5; k++) {
      const usage = run(['rfm', '--no-such-flag', '--workspace', ws]);
      expect(usage.code, usage.stderr).toBe(2);
      const missing = run(['rfm', '--dataset', 'no such dataset', '--workspace', ws]);
      expect(missing.code, missing.stderr).toBe(1);
      // flags first: no early thread; the one started as the command is found loads DuckDB too
      const late = run(['--workspace', ws, 'rfm', '--dataset', 'no such dataset']);
      expect(late.code, late.stderr).toBe(1);
    }
  });
});

describe('segmint workspace passphrase', () => {
  it('encrypts a plain workspace and says what became of each backup; none stays plaintext', () => {
    const file = path.join(t.dir, 'tobe-secret.segmint');
    json(['workspace', 'create', file]);
    json(['import', csv, '--workspace', file, '--name', 'orders']);
    const b = json(['backup', 'create', '--workspace', file]);
    const r = run(['workspace', 'passphrase', '--workspace', file, '--new-passphrase-env', 'NEW_PASS', '--json'], { NEW_PASS: 'a long passphrase' });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.encrypted).toBe(true);
    expect(out.backups.rekeyed).toContain(b.name);
    expect(out.backups.rekeyed.some((n: string) => n.includes('before-passphrase-change'))).toBe(true);
    expect(out.backups.removed).toEqual([]);
    const list = run(['backup', 'list', '--workspace', file, '--passphrase-env', 'NEW_PASS', '--json'], { NEW_PASS: 'a long passphrase' });
    for (const x of JSON.parse(list.stdout).backups as { path: string }[]) {
      const head = spawnSync('head', ['-c', '16', x.path], { encoding: 'latin1' }).stdout;
      expect(head).not.toBe('SQLite format 3\u0000');
    }
    expect(run(['workspace', 'passphrase', '--workspace', file, '--passphrase-env', 'NEW_PASS'], { NEW_PASS: 'a long passphrase' }).code).toBe(2);
  });
});

describe('boolean flags belong to their command', () => {
  it("another command's boolean is not one here: `workspace passphrase --decrypt` vs `text dictionary --remove WORD`", () => {
    const r = run(['text', 'dictionary', '--remove', '优品汇', '--workspace', ws, '--json']);
    expect(r.code, r.stderr).toBe(0);
    // …and a boolean given a value where it is not one is still caught: rfm has no --decrypt.
    const bad = run(['rfm', '--dataset', 'orders', '--workspace', ws, '--decrypt']);
    expect(bad.code).toBe(2);
  });
});
