/**
 * SMS send-log benchmark (`npm run bench -- sms`; sizes BENCH_SMS_ROWS, default 1000000; engines BENCH_SMS_ENGINES,
 * default sqlite,duckdb): a seeded
 * send log (5 campaigns, A/B, one phone per customer out of sends / 5, a personalised 60-character
 * text, 已送达/失败/成功, cost) and the customers' orders (sends / 5, 10% cancelled), imported by the
 * real CLI into the workspace and, in a second workspace, into DuckDB; then `segmint sms report
 * --sends --orders` in each after the identity build (timed on its own) — wall time and peak RSS of the process, so the table shows whether the
 * report's memory grows with sends. Beside it, in the same run, DuckDB's own last-touch attribution
 * of the same CSVs (an ASOF join of valid orders to the latest delivered send before them within
 * 7 days, ties in time to the later line), whose conversions per campaign must equal the report's.
 */
import { createWriteStream, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRng, randInt } from '../../main/kernel/random';
import { execCli } from './import';
import { duckdbChild } from './peers';
import { round } from './sqlite';

const CAMPAIGNS = ['双11预热', '会员日', '新品上市', '618返场', '生日关怀'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵'];
const START = Date.UTC(2025, 9, 1);
const SPAN_S = 60 * 86_400;

const pad = (n: number) => String(n).padStart(2, '0');
const fmt = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const phoneOf = (c: number) => `138${String(c).padStart(8, '0')}`;

async function writeLines(file: string, header: string, n: number, line: (i: number) => string): Promise<number> {
  const out = createWriteStream(file);
  let buf = header + '\n';
  for (let i = 0; i < n; i++) {
    buf += line(i) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res) => out.end(() => res()));
  return statSync(file).size;
}

/** The send log and the orders, seeded. */
export async function writeLog(dir: string, n: number): Promise<{ sends: string; orders: string; mb: number }> {
  const rng = createRng(23);
  const customers = Math.max(1, Math.round(n / 5));
  const sends = path.join(dir, `sms-${n}-sends.csv`);
  const orders = path.join(dir, `sms-${n}-orders.csv`);
  const a = await writeLines(sends, '活动名称,版本,手机号码,短信内容,发送时间,发送状态,费用', n, () => {
    const c = randInt(rng, customers);
    const campaign = CAMPAIGNS[randInt(rng, CAMPAIGNS.length)]!;
    const variant = rng() < 0.5 ? 'A' : 'B';
    const name = SURNAMES[randInt(rng, SURNAMES.length)]! + (rng() < 0.3 ? '先生' : '女士');
    const text = `【优品汇】${name}您好，${campaign}专场已开启，会员专享满299减50，详情见小程序首页，回T退订`;
    const r = rng();
    const status = r < 0.85 ? '已送达' : r < 0.95 ? '失败' : '成功';
    return `${campaign},${variant},${phoneOf(c)},${text},${fmt(START + randInt(rng, SPAN_S) * 1000)},${status},${variant === 'B' ? '0.10' : '0.05'}`;
  });
  const b = await writeLines(orders, '订单号,手机号,下单时间,实付金额,订单状态', Math.round(n / 5), (i) => {
    const c = randInt(rng, customers);
    return `SO${10_000_000 + i},${phoneOf(c)},${fmt(START + randInt(rng, SPAN_S + 7 * 86_400) * 1000)},${(19 + randInt(rng, 500)).toFixed(2)},${rng() < 0.1 ? '已取消' : '已完成'}`;
  });
  return { sends, orders, mb: round((a + b) / 2 ** 20, 1) };
}

/** DuckDB's own attribution of the same CSVs: conversions (sends credited with a valid order) per campaign. */
function duckdbAttribution(sends: string, orders: string) {
  const q = (f: string) => `'${f.replace(/'/g, "''")}'`;
  const sql = `
    WITH s AS (SELECT row_number() OVER () AS rn, 活动名称 AS campaign, 手机号码 AS phone, 发送时间::TIMESTAMP AS ts, 发送状态 AS status FROM read_csv(${q(sends)}, all_varchar = true)),
    d AS (SELECT phone, ts, max(rn) AS rn FROM s WHERE status = '已送达' GROUP BY 1, 2),
    o AS (SELECT 手机号 AS phone, 下单时间::TIMESTAMP AS ts FROM read_csv(${q(orders)}, all_varchar = true) WHERE 订单状态 = '已完成' AND 实付金额::DOUBLE > 0),
    m AS (SELECT DISTINCT d.rn FROM o ASOF JOIN d ON o.phone = d.phone AND o.ts > d.ts WHERE o.ts - d.ts <= INTERVAL 7 DAY)
    SELECT s.campaign, count(*) FROM m JOIN s USING (rn) GROUP BY 1 ORDER BY 1`;
  return duckdbChild<{ converted: Record<string, number> }>(`const r = await con.runAndReadAll(${JSON.stringify(sql)}); return { converted: Object.fromEntries(r.getRows().map(([c, n]) => [c, Number(n)])) };`);
}

async function step(dir: string, label: string, args: string[]) {
  console.error(`[bench]   ${label} …`);
  const r = await execCli(dir, args);
  if (r.code !== 0) throw new Error(`${label} failed: ${r.out.slice(0, 500)}`);
  return { json: JSON.parse(r.out), seconds: round(r.wallSeconds), peakRssMB: Math.round(r.peak / 2 ** 20) };
}

async function engineRun(dir: string, n: number, log: { sends: string; orders: string }, engine: 'sqlite' | 'duckdb') {
  const ws = path.join(dir, `sms-${n}-${engine}.segmint`);
  await execCli(dir, ['workspace', 'create', ws]);
  const W = ['--workspace', ws, '--json'];
  const E = engine === 'duckdb' ? ['--engine', 'duckdb'] : [];
  const sends = await step(dir, `import sends (${engine})`, ['import', log.sends, '--name', 'sends', ...E, ...W]);
  const orders = await step(dir, `import orders (${engine})`, ['import', log.orders, '--name', 'orders', ...E, ...W]);
  // the identity layer is built once, as the app does on the first analysis (timed on its own)
  const identity = await step(dir, `identity (${engine})`, ['identity', ...W]);
  const report = await step(dir, `sms report (${engine})`, ['sms', 'report', '--sends', 'sends', '--orders', 'orders', ...W]);
  const campaigns = report.json.campaigns as { campaign: string; sent: number; delivered: number; converted: number }[];
  return {
    importSeconds: round(sends.seconds + orders.seconds),
    identity: { seconds: identity.seconds, peakRssMB: identity.peakRssMB, customers: identity.json.customers },
    report: { seconds: report.seconds, peakRssMB: report.peakRssMB },
    sent: report.json.totals.sent,
    delivered: report.json.totals.delivered,
    converted: Object.fromEntries(campaigns.map((c) => [c.campaign, c.converted])),
    revenue: report.json.totals.revenue,
  };
}

export async function smsBench(dir: string) {
  const sizes = (process.env.BENCH_SMS_ROWS ?? '1000000').split(',').map(Number);
  const table: Record<string, unknown>[] = [];
  for (const n of sizes) {
    console.error(`[bench] SMS send log, ${n} sends …`);
    const log = await writeLog(dir, n);
    const peer = await duckdbAttribution(log.sends, log.orders);
    const row: Record<string, unknown> = { sends: n, csvMB: log.mb, duckdbAttribution: peer };
    // BENCH_SMS_ENGINES=duckdb: a size too large to wait for in the workspace
    const engines = (process.env.BENCH_SMS_ENGINES ?? 'sqlite,duckdb').split(',').filter((e): e is 'sqlite' | 'duckdb' => e === 'sqlite' || e === 'duckdb');
    for (const engine of engines) {
      const r = await engineRun(dir, n, log, engine);
      const same = 'converted' in peer ? JSON.stringify(Object.entries(r.converted).sort()) === JSON.stringify(Object.entries(peer.converted).sort()) : null;
      row[engine] = { ...r, sameConversionsAsDuckdbPeer: same, reportVsPeer: 'seconds' in peer ? round(r.report.seconds / peer.seconds, 2) : null };
    }
    table.push(row);
    rmSync(log.sends, { force: true });
    rmSync(log.orders, { force: true });
  }
  return { table, note: 'identity: the build the first analysis would make; report: whole `segmint sms report --sends --orders` process after it (start-up, identity check, attribution in SQL, the report); duckdbAttribution: in-memory DuckDB reading both CSVs and attributing valid orders to the latest delivered send (last touch, 7 days), conversions per campaign' };
}
