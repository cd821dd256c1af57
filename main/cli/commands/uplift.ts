/** `segmint uplift fit` and `segmint plan` — whom to send the next campaign to, which variant, when. */
import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';
import { resolveDataset } from '../../services/datasets';

const SRC = '--assignment D --orders D [--replies D] [--sends D] [--profiles D] [--control LABEL] [--window 7d] [--learner t|ct] [--base logistic|gbm] [--seed N]';

const ds = (c: CliContext, flag: string) => (c.flag(flag) === undefined ? undefined : resolveDataset(c.app.ctx.requireSession().db, c.flag(flag)!).id);
const num = (c: CliContext, flag: string) => {
  const v = c.flag(flag);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${flag} must be a number`);
  return n;
};

function sources(c: CliContext) {
  const learner = c.flag('learner') ?? 't';
  if (!['t', 'ct', 't_learner', 'class_transform'].includes(learner)) throw new UsageError('--learner is t (two models) or ct (class transformation)');
  const base = c.flag('base') ?? 'logistic';
  if (base !== 'logistic' && base !== 'gbm') throw new UsageError('--base is logistic or gbm');
  const window = c.flag('window') ?? '7d';
  if (!/^\d+d?$/.test(window)) throw new UsageError('--window is a number of days, e.g. 7d');
  return {
    assignment: ds(c, 'assignment') ?? (() => { throw new UsageError('--assignment (the randomised send list with its arm column) is required'); })(),
    orders: ds(c, 'orders') ?? (() => { throw new UsageError('--orders is required'); })(),
    replies: ds(c, 'replies'),
    sends: ds(c, 'sends'),
    profiles: ds(c, 'profiles'),
    control: c.flag('control'),
    windowDays: parseInt(window, 10),
    learner: (learner.startsWith('c') ? 'class_transform' : 't_learner') as 't_learner',
    base: base as 'logistic',
    seed: num(c, 'seed') ?? 1,
  };
}

const fit: CliCommand = {
  name: 'uplift fit',
  usage: `segmint uplift fit ${SRC} [--test-share 0.3] --workspace PATH [--json]`,
  summary: 'Uplift model from a randomised campaign: Qini, AUUC and a verdict on a held-out split',
  workspace: 'required',
  runsJob: 'uplift',
  async run(c) {
    const { jobId } = await c.call('uplift/fit', { ...sources(c), testShare: num(c, 'test-share') ?? 0.3 });
    const r = await c.jobResult('uplift/fit', jobId);
    c.output({ ...r }, () => [
      `${r.customers} customers, control "${r.control}", variants ${r.variants.join(', ')} (${r.learner}/${r.base}; ${r.trainRows} train, ${r.testRows} held out)`,
      ...r.evaluation.map((e) => `  ${e.variant}: Qini ${e.qini.toFixed(2)} [${e.qiniInterval.map((x) => x.toFixed(2)).join(', ')}], by response probability ${e.responseQini.toFixed(2)}, sending to all ${e.all.toFixed(1)} incremental`),
      c.lang === 'zh' ? r.verdictZh : r.verdictEn,
    ].join('\n'));
  },
};

const plan: CliCommand = {
  name: 'plan',
  usage: `segmint plan ${SRC} (--budget MONEY | --size N) [--control-share 0.1] [--value 100] [--cost 0.05] [--unsubscribe-cost 50] [--name N] --workspace PATH [--out sendlist.csv] [--json]`,
  summary: 'Next campaign: customers ranked by expected incremental gain, their variant and send hour; --out writes the send list without the held-out control group',
  workspace: 'required',
  runsJob: 'uplift',
  async run(c) {
    const budget = num(c, 'budget');
    const size = num(c, 'size');
    if (budget === undefined && size === undefined) throw new UsageError('plan needs --budget or --size');
    const { jobId } = await c.call('uplift/plan', {
      ...sources(c),
      ...(budget !== undefined && { budget }),
      ...(size !== undefined && { size }),
      controlShare: num(c, 'control-share') ?? 0.1,
      conversionValue: num(c, 'value') ?? 100,
      costPerSend: num(c, 'cost') ?? 0.05,
      unsubscribeCost: num(c, 'unsubscribe-cost') ?? 50,
      name: c.flag('name'),
    });
    const r = await c.jobResult('uplift/plan', jobId);
    // the file for the SMS gateway: the customers to send, never the control group
    const db = c.app.ctx.requireSession().db;
    const out = await c.writeTable(['customer_id', 'member_id', 'phone', 'variant', 'send_hour', 'expected_gain'], db.prepare(`SELECT customer_id, member_id, phone, variant, send_hour, expected_gain FROM "${r.datasetId}" WHERE "group" = 'send' ORDER BY _row`).raw(true).iterate() as IterableIterator<unknown[]>);
    const e = r.expected;
    c.output({ ...r, out }, () => [
      `Send ${r.send} (${Object.entries(r.byVariant).map(([v, n]) => `${v}: ${n}`).join(', ')}), hold out ${r.control} as control → ${r.datasetId}`,
      `Expected: ${e.incrementalConversions.toFixed(1)} incremental conversions (95% ${e.interval.map((x) => x.toFixed(1)).join('–')}), ${e.incrementalUnsubscribes.toFixed(1)} extra unsubscribes, cost ${e.cost.toFixed(2)}, net ${e.netValue.toFixed(2)}`,
      out ? `→ ${out}` : '',
    ].join('\n'));
  },
};

const measure: CliCommand = {
  name: 'uplift measure',
  usage: 'segmint uplift measure --plan D --orders D --start "YYYY-MM-DD HH:MM" [--window 7d] --workspace PATH [--json]',
  summary: 'After a planned campaign: realised incremental conversions (sent vs held-out control) against the plan',
  workspace: 'required',
  async run(c) {
    const plan = ds(c, 'plan');
    const orders = ds(c, 'orders');
    if (!plan || !orders) throw new UsageError('uplift measure needs --plan and --orders');
    const window = c.flag('window') ?? '7d';
    if (!/^\d+d?$/.test(window)) throw new UsageError('--window is a number of days, e.g. 7d');
    const r = await c.call('uplift/measure', { plan, orders, start: c.requireFlag('start'), windowDays: parseInt(window, 10) });
    c.output({ ...r }, () => (c.lang === 'zh' ? r.verdictZh : r.verdictEn));
  },
};

export const upliftCommands: CliCommand[] = [fit, plan, measure];
