/**
 * `segmint uplift fit` and `segmint plan` through the real bin on the planted campaign's files
 * (orders keyed by member id or only by phone, replies from phones written 138-xxxx-xxxx, the send
 * list with a 对照组 arm), imported the normal way. The plan is judged by the planted truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { generateUpliftCampaign } from '../../../main/demo/messy/uplift';
import { tempDir } from '../../helpers/app';
import { createRng } from '../../../main/kernel/random';
import { segmintIn } from '../../helpers/cli';

const c = generateUpliftCampaign({ seed: 20, customers: 4000 });
let t: ReturnType<typeof tempDir>;
let W: string[];
const cli = segmintIn(() => t.dir, { extraArgs: ['--lang', 'en'] });
const SRC = ['--assignment', '发送名单', '--orders', '订单', '--replies', '回复', '--sends', '发送', '--profiles', '会员'];

beforeAll(() => {
  t = tempDir();
  const ws = path.join(t.dir, 'uplift.segmint');
  W = ['--workspace', ws];
  cli.json(['workspace', 'create', ws]);
  for (const [key, name] of [['contacts', '会员'], ['orders', '订单'], ['sends', '发送'], ['replies', '回复'], ['assignment', '发送名单']] as const) {
    const f = path.join(t.dir, `${key}.csv`);
    writeFileSync(f, c.files[key]);
    cli.json(['import', f, '--name', name, ...W]);
  }
}, 180_000);
afterAll(() => t.cleanup());

describe('segmint uplift fit / plan', () => {
  it('fit: the held-out Qini is above 0 and above ranking by response probability; the verdict says targeting beats sending to all', () => {
    const r = cli.json(['uplift', 'fit', ...SRC, ...W]);
    expect(r.control).toBe('对照组');
    expect(r.variants).toEqual(['A', 'B']);
    expect(r.customers).toBe(4000);
    // outcomes read through the identity layer equal the planted ones, per arm
    for (const a of r.arms) {
      const truth = c.truth.filter((x) => (x.arm === 'control' ? '对照组' : x.arm) === a.arm);
      expect({ customers: a.customers, converted: a.converted, unsubscribed: a.unsubscribed }, a.arm).toEqual({ customers: truth.length, converted: truth.filter((x) => x.converted).length, unsubscribed: truth.filter((x) => x.unsubscribed).length });
    }
    const b = r.evaluation.find((e: { variant: string }) => e.variant === 'B');
    expect(b.qiniInterval[0]).toBeGreaterThan(0);
    expect(b.qini).toBeGreaterThan(b.responseQini);
    expect(r.verdictEn).toMatch(/^Targeting beats sending to everyone/);
  });

  it('the same campaign with its send list, orders, sends and contacts in DuckDB (replies stay in the workspace): the same fit and plan', () => {
    const ws = path.join(t.dir, 'uplift-duck.segmint');
    const D = ['--workspace', ws];
    cli.json(['workspace', 'create', ws]);
    for (const [key, name] of [['contacts', '会员'], ['orders', '订单'], ['sends', '发送'], ['replies', '回复'], ['assignment', '发送名单']] as const)
      cli.json(['import', path.join(t.dir, `${key}.csv`), '--name', name, ...(key === 'replies' ? [] : ['--engine', 'duckdb']), ...D]);
    const same = (args: string[]) => {
      const drop = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (/^(datasetId|segmentationId|seconds)$/.test(k) ? undefined : v)));
      const [s, d] = [cli.json([...args, ...W]), cli.json([...args, ...D])];
      expect(drop(d)).toEqual(drop(s));
      return d;
    };
    const fit = same(['uplift', 'fit', ...SRC]);
    expect(fit.customers).toBe(4000);
    const plan = same(['plan', ...SRC, '--size', '1000', '--name', 'duck-check']);
    expect(plan.send).toBeGreaterThan(500);
  });

  it('plan beside a large order history of other customers (600,000 lines): it plans (the latest order time, spread into Math.max, overflowed the stack)', () => {
    const ws = path.join(t.dir, 'big-history.segmint');
    const BW = ['--workspace', ws];
    cli.json(['workspace', 'create', ws]);
    const others = Array.from({ length: 600_000 }, (_, i) => `X${i},N${900000 + (i % 50_000)},,2022-0${1 + (i % 9)}-1${i % 10} 12:00:00,${10 + (i % 90)},已完成`);
    for (const [key, name] of [['contacts', '会员'], ['orders', '订单'], ['sends', '发送'], ['replies', '回复'], ['assignment', '发送名单']] as const) {
      const f = path.join(t.dir, `big-${key}.csv`);
      // the others are members of the campaign's provinces too (their region's profile is learnt from them)
      const provinces = [...new Set(c.files.contacts.trim().split('\n').slice(1).map((l) => l.split(',')[2]!))];
      const otherContacts = Array.from({ length: 50_000 }, (_, i) => `N${900000 + i},,${provinces[i % provinces.length]},2021-01-01 10:00:00`);
      const extra = key === 'orders' ? others : key === 'contacts' ? otherContacts : [];
      writeFileSync(f, extra.length ? c.files[key].trimEnd() + '\n' + extra.join('\n') + '\n' : c.files[key]);
      cli.json(['import', f, '--name', name, ...BW]);
    }
    const hours = (args: string[], out: string) => {
      const r = cli.json(['plan', ...SRC, '--size', '1000', '--out', out, ...args]);
      const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8').replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true }).data;
      return { r, hour: new Map(rows.map((x) => [x.customer_id!, Number(x.send_hour)])) };
    };
    const big = hours(BW, path.join(t.dir, 'big-plan.csv'));
    expect(big.r.send).toBeGreaterThan(500);
    expect(big.r.control).toBeGreaterThan(0);
    expect(big.r.send + big.r.control).toBeLessThanOrEqual(1000);
    // only the campaign's customers are described (their features and outcomes read only their rows), but the
    // send-time model still learns its regional profiles from everyone: the others' 600,000 noon orders draw the
    // campaign's customers with little history of their own towards 12 o'clock
    const small = hours(W, path.join(t.dir, 'small-plan.csv'));
    expect(big.r.sendTime.customersWithHistory).toBe(small.r.sendTime.customersWithHistory);
    const noon = (m: Map<string, number>) => [...m.values()].filter((h) => h === 12).length;
    expect(noon(big.hour)).toBeGreaterThan(noon(small.hour));
  }, 240_000);

  it('plan: the send list holds out its control group, and by the truth beats sending B to everyone', () => {
    const out = path.join(t.dir, 'sendlist.csv');
    const r = cli.json(['plan', ...SRC, '--size', '2000', '--control-share', '0.1', '--out', out, ...W]);
    expect(r.send + r.control).toBeLessThanOrEqual(2000);
    expect(r.control).toBe(Math.round((r.send + r.control) * 0.1));
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8').replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(r.send);
    expect(new Set(rows.map((x) => x.variant))).toEqual(new Set(Object.keys(r.byVariant)));
    const truth = new Map(c.truth.map((x) => [x.memberId, x]));
    const planned = rows.map((x) => ({ t: truth.get(x.member_id)!, v: x.variant as 'A' | 'B' }));
    expect(planned.every((p) => p.t)).toBe(true);
    // expected incremental conversions per sent customer, by the planted probabilities
    const perPlanned = planned.reduce((s, p) => s + p.t.pConvert[p.v] - p.t.pConvert.control, 0) / planned.length;
    const perEveryone = c.truth.reduce((s, x) => s + x.pConvert.B - x.pConvert.control, 0) / c.truth.length;
    expect(perPlanned).toBeGreaterThan(2 * perEveryone);
    // sleeping dogs (annoyed into unsubscribing) are mostly left out
    const dogsShare = planned.filter((p) => p.t.type === 'sleeping_dog').length / planned.length;
    expect(dogsShare).toBeLessThan(c.truth.filter((x) => x.type === 'sleeping_dog').length / c.truth.length / 2);
    // a plan without --budget or --size is a usage error
    expect(cli.run(['plan', ...SRC, ...W]).code).toBe(2);

    // the send group is a segment, ready for the send-list export
    const segs = cli.json(['segments', 'list', ...W]).segmentations;
    expect(segs.find((x: { id: string }) => x.id === r.segmentationId).segments[0].size).toBe(r.send);

    // the planned campaign goes out on 2024-07-01 10:00; its results arrive as new order lines
    const members = cli.json(['query', '--sql', `SELECT member_id, variant, "group" FROM ${r.datasetId}`, ...W]).rows as [string, string, string][];
    const rng = createRng(99);
    const start = Date.UTC(2024, 6, 1, 10);
    const lines: string[] = [];
    const count = { send: { n: 0, x: 0 }, control: { n: 0, x: 0 } };
    members.forEach(([m, v, g], k) => {
      const tr = truth.get(m)!;
      const p = g === 'send' ? tr.pConvert[v as 'A' | 'B'] : tr.pConvert.control;
      const grp = count[g as 'send' | 'control'];
      grp.n++;
      if (rng() < p) {
        grp.x++;
        const at = new Date(start + (1 + (k % 100)) * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
        lines.push(`N${k},${m},,${at}:00,199,已完成`);
      }
    });
    lines.push(`N-late,${members[0]![0]},,2024-07-09 10:00:00,199,已完成`); // after the window: never counted
    const f = path.join(t.dir, 'july-orders.csv');
    writeFileSync(f, ['订单号,会员ID,手机号,下单时间,金额,订单状态', ...lines].join('\n') + '\n');
    cli.json(['import', f, '--append-to', '订单', ...W]);
    const m = cli.json(['uplift', 'measure', '--plan', r.datasetId, '--orders', '订单', '--start', '2024-07-01 10:00', '--window', '7d', ...W]);
    expect(m.send).toMatchObject({ customers: count.send.n, converted: count.send.x });
    expect(m.control).toMatchObject({ customers: count.control.n, converted: count.control.x });
    expect(m.incremental).toBeCloseTo((count.send.x / count.send.n - count.control.x / count.control.n) * count.send.n, 9);
    expect(m.interval[0]).toBeGreaterThan(0); // the planned customers really were moved
    expect(m.expected.incrementalConversions).toBeCloseTo(r.expected.incrementalConversions, 9);
  });
});
