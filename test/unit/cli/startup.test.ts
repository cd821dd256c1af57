/**
 * CLI start-up loads only what the command needs: a command that lists datasets must not load the
 * chart renderer, xlsx, tokenizer, pinyin, OpenCC, phone-carrier or PostgreSQL client packages (each 0.02–1 s to load),
 * and a command that needs one (the tokenizer for `text keywords`) still gets it and gives its answer.
 * Every package the real bin loads, by require() or import, is logged by a preloaded hook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { datasetPath } from '../../helpers/datasets';
import { tempDir } from '../../helpers/app';
import { segmintBin } from '../../helpers/cli';

const HEAVY = ['echarts', 'exceljs', '@node-rs/jieba', 'pinyin-pro', 'opencc-js', 'libphonenumber-geo-carrier', 'pg'];

// Records every bare specifier resolved, by CommonJS require() (main thread) and by ESM import (loader hook).
const HOOK = `
import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';
const log = process.env.SEGMINT_LOAD_LOG;
const load = Module._load;
Module._load = function (request, ...rest) { appendFileSync(log, request + '\\n'); return load.call(this, request, ...rest); };
register('data:text/javascript,' + encodeURIComponent(
  'import { appendFileSync } from "node:fs";' +
  'export async function resolve(s, c, next) { appendFileSync(' + JSON.stringify(log) + ', s + "\\\\n"); return next(s, c); }'));
`;

let t: ReturnType<typeof tempDir>;
let ws: string;
let hook: string;
let log: string;

function run(args: string[]): { code: number | null; stdout: string; loaded: Set<string> } {
  rmSync(log, { force: true });
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', hook, segmintBin, ...args, '--json'], { encoding: 'utf8', env: { ...process.env, SEGMINT_HOME: t.dir, SEGMINT_LOAD_LOG: log } });
  expect(r.status, r.stderr).toBe(0);
  const loaded = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean).map((s) => s.replace(/^(@[^/]+\/[^/]+|[^/]+).*$/, '$1')));
  return { code: r.status, stdout: r.stdout, loaded };
}

beforeAll(() => {
  t = tempDir();
  ws = path.join(t.dir, 'startup.segmint');
  hook = path.join(t.dir, 'hook.mjs');
  log = path.join(t.dir, 'loaded.log');
  writeFileSync(hook, HOOK);
});
afterAll(() => t.cleanup());

describe('segmint start-up', () => {
  it('datasets list loads the database driver and none of the heavy packages', () => {
    run(['workspace', 'create', ws]);
    run(['import', datasetPath('sms-zh-labelled-sample.csv'), '--name', 'sms', '--workspace', ws]);
    const r = run(['datasets', 'list', '--workspace', ws]);
    expect(JSON.parse(r.stdout).datasets.map((d: { name: string }) => d.name)).toEqual(['sms']);
    expect(r.loaded.has('better-sqlite3-multiple-ciphers')).toBe(true); // the hook sees package loads
    expect(HEAVY.filter((p) => r.loaded.has(p))).toEqual([]);
  });

  it('text keywords loads the tokenizer on first use and segments the texts', () => {
    const r = run(['text', 'keywords', '--dataset', 'sms', '--column', 'text', '--workspace', ws]);
    const out = JSON.parse(r.stdout);
    expect(out.docs).toBe(307);
    expect(out.tokens).toBeGreaterThan(307);
    expect(r.loaded.has('@node-rs/jieba')).toBe(true);
    expect(r.loaded.has('echarts')).toBe(false);
  });
});
