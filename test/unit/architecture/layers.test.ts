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
      put('main/kernel/numbers.ts', "import { x } from '../analysis/engine';\nexport const k = x;\n");
      put('main/services/store.ts', "export const y = 2;\n");
      put('shared/api/contract.ts', "import { x } from '../../main/analysis/engine';\nexport const c = x;\n");
      put('main/analysis/leaky.ts', "import { y } from '../services/store';\nexport const l = y;\n");
      put('main/services/window.ts', "import { app } from 'electron';\nexport const w = app;\n");
      put('renderer/screen.tsx', "import { y } from '../main/services/store';\nexport const s = y;\n");
      // a screen linking back through the frame that imports it (the old Shell circle); a type-only import back is fine
      put('renderer/frame.tsx', "import { open } from './page';\nexport const go = () => open;\n");
      put('renderer/page.tsx', "import { go } from './frame';\nexport const open = () => go;\n");
      put('main/db/all.ts', "import { one } from './one';\nexport interface Step { n: number }\nexport const all = [one];\n");
      put('main/db/one.ts', "import type { Step } from './all';\nexport const one: Step = { n: 1 };\n");
      const r = cruise(dir, ['main', 'shared', 'renderer']);
      expect(r.violations.map((v) => `${v.rule.name}: ${v.from}`).sort()).toEqual([
        'analysis-is-pure-engine: main/analysis/leaky.ts',
        'kernel-is-domain-free: main/kernel/numbers.ts',
        'no-import-circles: renderer/frame.tsx', // the circle is reported once
        'renderer-through-contract: renderer/screen.tsx',
        'services-host-free: main/services/window.ts',
        'shared-stands-alone: shared/api/contract.ts',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
