/** `segmint dedupe` and `segmint link` through the real bin on the demo workspace. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/app';
import { segmintBin as bin, segmintIn } from '../../helpers/cli';
import { clusterPairsOf, pairwiseScores } from '../../../main/analysis/dedupe/index';

let t: ReturnType<typeof tempDir>;

const cli = segmintIn(() => t.dir);
const segmint = cli.run;
const json = (args: string[]) => cli.json(args);
const csv = (file: string) => readFileSync(file, 'utf8');

beforeAll(() => (t = tempDir()));
afterAll(() => t.cleanup());

describe('segmint dedupe / link', () => {
  it('finds the planted duplicates and links the demo datasets', () => {
    const demo = json(['demo', '--customers', '1500']);
    const truth = JSON.parse(readFileSync(demo.truth, 'utf8')) as { duplicateGroups: number[][]; customers: number };
    const out = path.join(t.dir, 'dupes.csv');
    const d = json(['dedupe', '--dataset', 'CRM 联系人', '--workspace', demo.path, '--out', out]);
    expect(d.clusters).toBeGreaterThan(0);
    expect(d.pairsCompared).toBeGreaterThan(d.pairs);
    expect(d.seconds).toBeGreaterThan(0);
    const text = csv(out);
    expect(text.startsWith('\ufeffsource_row,cluster_id,score\r\n')).toBe(true);
    const rows = text.trim().split('\r\n').slice(1).map((l) => l.split(',').map(Number));
    expect(rows).toHaveLength(d.rowsInClusters);
    const groups = new Map<number, number[]>();
    for (const [row, cluster] of rows) (groups.get(cluster!) ?? groups.set(cluster!, []).get(cluster!)!).push(row!);
    expect(groups.size).toBe(d.clusters);
    const s = pairwiseScores(clusterPairsOf([...groups.values()]), clusterPairsOf(truth.duplicateGroups));
    expect(s.precision).toBeGreaterThanOrEqual(0.98);
    expect(s.recall).toBeGreaterThanOrEqual(0.98);

    const linksFile = path.join(t.dir, 'links.csv');
    const l = json(['link', '--datasets', 'CRM 联系人,订单,短信发送', '--workspace', demo.path, '--out', linksFile]);
    expect(l.customers).toBe(truth.customers);
    expect(csv(linksFile).startsWith('\ufeffdataset,source_row,customer_id,rule,score\r\n')).toBe(true);
    const lines = csv(linksFile).trim().split('\r\n');
    expect(lines).toHaveLength(l.links + 1);
    expect(new Set(lines.slice(1).map((x) => x.split(',')[2])).size).toBe(l.customers);
    // human output without --json
    const human = segmint(['link', '--datasets', 'CRM 联系人', '--workspace', demo.path]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/customers from/);
  });

  it('user and usage errors', () => {
    const ws = path.join(t.dir, 'workspaces', 'Segmint demo.segmint');
    const bad = segmint(['dedupe', '--dataset', 'nope', '--workspace', ws]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(segmint(['dedupe', '--dataset', 'CRM 联系人', '--threshold', '2', '--workspace', ws]).code).toBe(2);
    expect(segmint(['link', '--workspace', ws]).code).toBe(2);
  });
});
