/**
 * The layer check `npm test` runs (dependency-cruiser, rules in .dependency-cruiser.cjs): the real
 * tree passes, and a tree with one forbidden import of each kind fails with that rule's name.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = path.join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string, dirs: string[]) {
  const r = spawnSync(process.execPath, [bin, ...dirs, '--config', config, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return { status: r.status, violations: out.summary.violations };
}

describe('layer rules', () => {
  it('hold on the source tree', () => {
    const r = cruise(root, ['main', 'shared', 'renderer']);
    expect(r.violations).toEqual([]);
  }, 120_000);

  it('fail on each kind of forbidden import', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segmint-layers-'));
    try {
      const put = (rel: string, text: string) => {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), text);
      };
      put('main/analysis/engine.ts', "export const x = 1;\n");
      put('main/services/store.ts', "export const y = 2;\n");
      put('shared/api/contract.ts', "import { x } from '../../main/analysis/engine';\nexport const c = x;\n");
      put('main/analysis/leaky.ts', "import { y } from '../services/store';\nexport const l = y;\n");
      put('main/services/window.ts', "import { app } from 'electron';\nexport const w = app;\n");
      put('renderer/screen.tsx', "import { y } from '../main/services/store';\nexport const s = y;\n");
      const r = cruise(dir, ['main', 'shared', 'renderer']);
      expect(r.violations.map((v) => `${v.rule.name}: ${v.from}`).sort()).toEqual([
        'analysis-is-pure-engine: main/analysis/leaky.ts',
        'renderer-through-contract: renderer/screen.tsx',
        'services-host-free: main/services/window.ts',
        'shared-stands-alone: shared/api/contract.ts',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
