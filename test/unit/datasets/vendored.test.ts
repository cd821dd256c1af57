/**
 * The public datasets tests and benches read live in the repo (test/datasets), so a fresh clone
 * passes without the brief's shared folder beside the project: every file any test, bench or eval names is there, byte-exact
 * to its SHA256SUMS line, and listed with its source and licence in the README.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/datasets';

const vendored = path.join(repoRoot, 'test', 'datasets');

/** Every `name.csv|tsv|txt` that a file under test/ or scripts/ passes to datasetPath / path.join(datasets, …). */
function referencedNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'datasets' && e.name !== 'fixtures') walk(p); continue; }
      if (!/\.(ts|mjs)$/.test(e.name)) continue;
      const text = readFileSync(p, 'utf8');
      for (const m of text.matchAll(/(?:datasetPath|join\((?:datasets|datasetsDir),)\s*\(?\s*'([\w.-]+\.(?:csv|tsv|txt))'/g)) names.add(m[1]!);
    }
  };
  walk(path.join(repoRoot, 'test'));
  walk(path.join(repoRoot, 'scripts'));
  return names;
}

describe('vendored datasets', () => {
  it('no test, bench or eval script reads the datasets folder outside the repo', () => {
    // the path is assembled so that this file does not name it itself
    const outside = new RegExp(`['"]shared['"],\\s*['"]datasets['"]|\\.\\./${'shared'}/datasets`);
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) { if (e.name !== 'datasets') walk(p); continue; }
        if (/\.(ts|mjs)$/.test(e.name) && outside.test(readFileSync(p, 'utf8').replace(/^\s*(\*|\/\/).*$/gm, ''))) offenders.push(p);
      }
    };
    for (const d of ['test', 'scripts', 'main']) walk(path.join(repoRoot, d));
    expect(offenders).toEqual([]);
  });

  it('every dataset a test, bench or eval names is in test/datasets, byte-exact to SHA256SUMS', () => {
    const sums = new Map(readFileSync(path.join(vendored, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => {
      const [hash, name] = l.split(/\s+\*?/);
      return [name!, hash!] as const;
    }));
    const names = referencedNames();
    expect(names.size).toBeGreaterThanOrEqual(15); // the scan itself works
    for (const name of names) expect(sums.has(name), `${name} listed in SHA256SUMS`).toBe(true);
    const files = readdirSync(vendored).filter((f) => f !== 'README.md' && f !== 'SHA256SUMS');
    expect(files.sort()).toEqual([...sums.keys()].sort());
    for (const f of files) {
      const bytes = readFileSync(path.join(vendored, f));
      expect(createHash('sha256').update(bytes).digest('hex'), f).toBe(sums.get(f));
      expect(statSync(path.join(vendored, f)).size).toBeLessThan(4 * 1024 * 1024);
    }
  });

  it('the README names each file with its source and licence', () => {
    const readme = readFileSync(path.join(vendored, 'README.md'), 'utf8');
    const rows = readme.split('\n').filter((l) => l.startsWith('| `'));
    for (const f of readdirSync(vendored).filter((x) => x !== 'README.md' && x !== 'SHA256SUMS')) {
      const stem = f.replace(/-gold(?=\.)/, '').replace(/\.(csv|tsv|txt)$/, '');
      const row = rows.find((r) => r.includes('`' + f + '`') || r.includes('`' + stem + '.'));
      expect(row, `README row for ${f}`).toBeDefined();
      expect(row!.split('|').length, `${f}: source and licence columns`).toBeGreaterThanOrEqual(8);
    }
  });
});
