/** `segmint lifecycle|geo|journeys|nps` through the real bin on the demo workspace: JSON on stdout, CSV with BOM, exit codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/app';
import { segmintBin as bin, segmintIn } from '../../helpers/cli';
import type { DemoTruth } from '../../../main/demo/generate';

let t: ReturnType<typeof tempDir>;
let ws: string;
let truth: DemoTruth;

const cli = segmintIn(() => t.dir, { extraArgs: ['--lang', 'en'] });
const segmint = cli.run;
const json = (args: string[]) => cli.json(args);
const csv = (file: string) => {
  const text = readFileSync(file, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return text.slice(1).trim().split('\r\n').map((l) => l.split(','));
};

beforeAll(() => {
  t = tempDir();
  const demo = json(['demo', '--customers', '2000']);
  ws = demo.path;
  truth = JSON.parse(readFileSync(demo.truth, 'utf8'));
}, 180_000);
afterAll(() => t.cleanup());

describe('segmint insights commands', () => {
  it('lifecycle: stages sum to the customers, --out writes the stage table, --segment saves a rule segment', () => {
    const out = path.join(t.dir, 'stages.csv');
    const r = json(['lifecycle', '--dataset', '订单', '--customers', 'CRM 联系人', '--as-of', '2024-06-30', '--segment', 'declining', '--workspace', ws, '--out', out]);
    expect(r.asOf).toBe('2024-06-30');
    expect(r.stages.reduce((s: number, x: { count: number }) => s + x.count, 0)).toBe(r.customers);
    const rows = csv(out);
    expect(rows[0]!.slice(0, 4)).toEqual(['stage', 'name_zh', 'name_en', 'customers']);
    expect(rows.slice(1).reduce((s, x) => s + Number(x[3]), 0)).toBe(r.customers);
    expect(r.segment.members).toBe(r.stages.find((s: { stage: string }) => s.stage === 'declining').count);
    const segs = json(['segments', 'list', '--workspace', ws]);
    expect(JSON.stringify(segs)).toContain(r.segment.segmentationId);
  }, 60_000);

  it('geo: the planted region first by response; city drill-down; phone-derived places', () => {
    const out = path.join(t.dir, 'geo.csv');
    const r = json(['geo', '--dataset', 'CRM 联系人', '--measure', 'response', '--sends', '短信发送', '--receipts', '短信回执', '--orders', '订单', '--workspace', ws, '--out', out]);
    expect(r.rows.find((x: { rank: number }) => x.rank === 1).name).toBe(truth.regionEffect.province);
    const rows = csv(out);
    expect(rows[0]).toEqual(['rank', 'code', 'name', 'english', 'customers', 'value', 'share', 'sent', 'responded', 'ci_low', 'ci_high']);
    expect(rows[1]![2]).toBe(truth.regionEffect.province);
    const city = json(['geo', '--dataset', 'CRM 联系人', '--by', 'city', '--province', 'Zhejiang', '--workspace', ws]);
    expect(city.province.name).toBe('浙江省');
    expect(city.rows.map((x: { name: string }) => x.name).sort()).toEqual(['宁波市', '杭州市', '温州市']);
    expect(json(['geo', '--dataset', '短信发送', '--workspace', ws]).source).toBe('phone');
  }, 60_000);

  it('journeys: the planted path converts best; --out writes the path table', () => {
    const out = path.join(t.dir, 'paths.csv');
    const r = json(['journeys', '--touches', '渠道触点', '--orders', '订单', '--workspace', ws, '--out', out]);
    expect(r.bestPaths[0].key).toBe(truth.journeys.plantedPath.join(' > '));
    expect(r.sankey).toBeUndefined();
    const rows = csv(out);
    expect(rows[0]).toEqual(['path', 'steps', 'paths', 'conversions', 'conversion_rate', 'ci_low', 'ci_high', 'value']);
    expect(rows.length - 1).toBe(r.topPaths.length);
  }, 60_000);

  it('nps: overall, by group, later churn; errors exit 1 with one line, usage errors exit 2', () => {
    const out = path.join(t.dir, 'nps.csv');
    const r = json(['nps', '--dataset', '满意度调查', '--by', '调研渠道', '--orders', '订单', '--workspace', ws, '--out', out]);
    expect(r.nps.n).toBe(truth.survey.answers);
    expect(r.outcome.comparison.churn.p).toBeLessThan(0.001);
    const rows = csv(out);
    expect(rows.slice(1).map((x) => x[0]).sort()).toEqual(['APP', '小程序', '短信']);
    expect(rows.slice(1).reduce((s, x) => s + Number(x[1]), 0)).toBe(truth.survey.answers);
    const bad = segmint(['nps', '--dataset', '满意度调查', '--by', 'nope', '--workspace', ws]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('nope');
    expect(segmint(['geo', '--dataset', 'CRM 联系人', '--by', 'county', '--workspace', ws]).code).toBe(2);
    expect(segmint(['journeys', '--touches', '渠道触点', '--workspace', ws]).code).toBe(2);
    expect(segmint(['lifecycle', '--dataset', '订单', '--as-of', '30/06/2024', '--workspace', ws]).code).toBe(2);
  }, 60_000);

  it('nps on a survey and orders in DuckDB equals the same files in the workspace', () => {
    const files = ['满意度调查', '订单'].map((name) => {
      const f = path.join(t.dir, `${name}.csv`);
      json(['export', '--dataset', name, '--no-suppression', '--out', f, '--workspace', ws]);
      return [name, f] as const;
    });
    const answers = ['sqlite', 'duckdb'].map((engine) => {
      const w = path.join(t.dir, `nps-${engine}.segmint`);
      json(['workspace', 'create', w]);
      for (const [name, f] of files) json(['import', f, '--name', name, '--engine', engine, '--workspace', w]);
      return json(['nps', '--dataset', '满意度调查', '--by', '调研渠道', '--orders', '订单', '--workspace', w]);
    });
    expect(answers[0].nps.n).toBe(truth.survey.answers);
    expect(answers[1].outcome.comparison.churn.p).toBeLessThan(0.001);
    const drop = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'datasetId' || k === 'ordersDatasetId' ? undefined : v)));
    expect(drop(answers[1])).toEqual(drop(answers[0]));
  }, 120_000);
});
