/** `segmint rfm`, `segmint kmeans`, `segmint segments list|rule|tiers|profile` — the segmentation issue. */
import { UsageError } from '../args';
import type { CliCommand } from '../context';
import { tierSegmentationName } from '../../../shared/api/segments';


const rfm: CliCommand = {
  name: 'rfm',
  usage: 'segmint rfm --dataset D --workspace PATH [--as-of YYYY-MM-DD] [--scheme 11|cn8] [--threshold mean|median] [--day-after] [--keep-cancellations] [--out FILE] [--json]',
  summary: 'RFM scores and named segments (saved as a segmentation and a derived dataset)',
  workspace: 'required',
  runsJob: 'segments',
  booleanFlags: ['day-after', 'keep-cancellations'],
  async run(c) {
    const scheme = c.flag('scheme') ?? '11';
    if (scheme !== '11' && scheme !== 'cn8') throw new UsageError('--scheme must be 11 or cn8');
    const { jobId } = await c.call('segments/rfm', {
      datasetId: c.dataset(),
      asOf: c.flag('as-of'),
      scheme,
      threshold: (c.flag('threshold') ?? 'mean') as 'mean',
      recencyFrom: c.bool('day-after') ? 'dayAfterLast' : 'asOf',
      excludeCancellations: !c.bool('keep-cancellations'),
    });
    const r = await c.jobResult('segments/rfm', jobId);
    const out = await c.exportDataset(r.datasetId, ['customer_id', 'recency', 'frequency', 'monetary', 'r', 'f', 'm', 'segment']);
    c.output(
      { segmentationId: r.segmentation.id, datasetId: r.datasetId, asOf: r.segmentation.asOf, customers: r.customers, rowsUsed: r.rowsUsed, rowsExcluded: r.rowsExcluded, summarySeconds: r.summarySeconds, definitions: r.definitions, segments: r.segmentation.segments.map((s) => ({ key: s.key, name: s.name, nameEn: s.nameEn, size: s.size })), out },
      () => [`RFM as of ${r.segmentation.asOf}: ${r.customers} customers (${r.rowsExcluded} rows excluded) → ${r.datasetId}`, ...r.segmentation.segments.map((s) => `  ${s.name} / ${s.nameEn}\t${s.size}`), out ? `→ ${out}` : ''].join('\n'),
    );
  },
};

const kmeansCmd: CliCommand = {
  name: 'kmeans',
  usage: 'segmint kmeans --dataset D --features a,b,c (--k K | --k-range 2-10) --workspace PATH [--transforms log1p,standardize] [--n-init 10] [--seed S] [--out FILE] [--json]',
  summary: 'k-means clustering, or inertia and silhouette per k for model selection',
  workspace: 'required',
  runsJob: 'segments',
  async run(c) {
    const features = c.requireFlag('features').split(',').map((s) => s.trim()).filter(Boolean);
    const k = c.flag('k');
    const range = c.flag('k-range');
    if (!k === !range) throw new UsageError('give either --k K or --k-range A-B');
    const m = range ? /^(\d+)-(\d+)$/.exec(range) : null;
    if (range && !m) throw new UsageError('--k-range looks like 2-10');
    const transforms = (c.flag('transforms') ?? 'log1p,standardize').split(',').filter(Boolean) as ('log1p' | 'standardize')[];
    const { jobId } = await c.call('segments/kmeans', {
      datasetId: c.dataset(),
      features,
      transforms,
      k: k ? Number(k) : undefined,
      kRange: m ? [Number(m[1]), Number(m[2])] : undefined,
      nInit: Number(c.flag('n-init') ?? 10),
      seed: Number(c.flag('seed') ?? 0),
    });
    const result = await c.jobResult('segments/kmeans', jobId);
    if ('curve' in result) {
      await c.writeTable(['k', 'inertia', 'silhouette'], result.curve.map((p) => [p.k, p.inertia, p.silhouette]));
      c.output({ n: result.n, curve: result.curve }, () => result.curve.map((p) => `k=${p.k}\tinertia ${p.inertia.toFixed(2)}\tsilhouette ${p.silhouette.toFixed(4)}`).join('\n'));
      return;
    }
    const out = await c.exportDataset(result.datasetId, ['customer_id', 'cluster']);
    c.output({ segmentationId: result.segmentation.id, datasetId: result.datasetId, inertia: result.inertia, silhouette: result.silhouette, sizes: result.sizes, out }, () => `k-means: inertia ${result.inertia.toFixed(3)}, silhouette ${result.silhouette?.toFixed(4) ?? 'n/a'}, sizes ${result.sizes.join('/')} → ${result.datasetId}`);
  },
};

const segmentsList: CliCommand = {
  name: 'segments list',
  usage: 'segmint segments list --workspace PATH [--json]',
  summary: 'Saved segmentations and their segments',
  workspace: 'required',
  async run(c) {
    const list = await c.call('segments/list', {});
    c.output({ segmentations: list }, () => list.map((s) => `${s.id}\t${s.kind}\t${s.name}\t${s.segments.map((x) => `${x.name}:${x.size}`).join(', ')}`).join('\n') || '(none)');
  },
};

const segmentsRule: CliCommand = {
  name: 'segments rule',
  usage: `segmint segments rule --dataset D --rule '{"kind":"cond","column":"C","op":"gte","value":3}' [--name N] --workspace PATH [--json]   (ops: eq ne gt gte lt lte in between contains before after lastDays empty notEmpty; {"kind":"group","op":"and|or","children":[…]})`,
  summary: 'A rule segment: how many customers (through the identity) and distinct key values a rule over a dataset\'s columns selects; with --name, saved as a segment (exports like any other)',
  workspace: 'required',
  async run(c) {
    const text = c.flag('rule');
    if (!text) throw new UsageError('segments rule needs --rule JSON');
    let rule: unknown;
    try {
      rule = JSON.parse(text);
    } catch {
      throw new UsageError('--rule is not JSON');
    }
    const datasetId = c.dataset();
    await c.call('identity/status', {}); // the identity brought up to date, as any analysis does, so customers are counted through it
    const r = await c.call('segments/rule-count', { datasetId, rule: rule as never });
    const name = c.flag('name');
    const saved = name ? await c.call('segments/rule-save', { datasetId, name, rule: rule as never }) : null;
    const keys = `${r.count} of ${r.total} ${r.key ? `distinct ${r.key} values` : 'rows'}`;
    c.output({ count: r.count, total: r.total, key: r.key, customers: r.customers, customersTotal: r.customersTotal, where: r.sql, segmentationId: saved?.id ?? null }, () =>
      `${r.customers !== null ? `${r.customers} of ${r.customersTotal} customers (${keys})` : keys}${saved ? ` → saved as ${saved.id}` : ''}`,
    );
  },
};

const segmentsTiers: CliCommand = {
  name: 'segments tiers',
  usage: 'segmint segments tiers --dataset D --measure COLUMN [--name N] --workspace PATH [--json]',
  summary: "Value tiers: customers ranked by the sum of a numeric column over their rows (through the identity), top 20% / next 30% / rest 50%, saved as a segmentation",
  workspace: 'required',
  async run(c) {
    const measure = c.flag('measure');
    if (!measure) throw new UsageError('segments tiers needs --measure COLUMN (a numeric column)', 'segments tiers 需要 --measure 列名（数值列）');
    const datasetId = c.dataset();
    await c.call('identity/status', {}); // the identity brought up to date, as any analysis does: tiers of customers, not of keys
    // named in the CLI's language, as the screen names them
    const s = await c.call('segments/tiers', { datasetId, measure, name: c.flag('name') ?? tierSegmentationName(measure, c.lang) });
    c.output({ segmentation: s }, () => `${s.id}\t${s.name}\t${s.segments.map((x) => `${c.lang === 'zh' ? x.name : (x.nameEn ?? x.name)}:${x.size}`).join(', ')}`);
  },
};

const segmentsProfile: CliCommand = {
  name: 'segments profile',
  usage: 'segmint segments profile --segmentation ID|NAME [--compare KEY,KEY] --workspace PATH [--json]',
  summary: "Each segment's size and the mean and median of every numeric column over its rows (the explorer); with --compare, Welch's t-test of two segments column by column",
  workspace: 'required',
  async run(c) {
    const ref = c.flag('segmentation');
    if (!ref) throw new UsageError('segments profile needs --segmentation ID or name (see segmint segments list)');
    const list = await c.call('segments/list', {});
    const seg = list.find((s) => s.id === ref) ?? list.find((s) => s.name === ref);
    if (!seg) throw new UsageError(`no segmentation "${ref}" (see segmint segments list)`);
    const pair = c.flag('compare')?.split(',').map((k) => k.trim());
    if (pair && pair.length !== 2) throw new UsageError('--compare takes two segment keys: KEY,KEY');
    const ex = await c.call('segments/explore', { segmentationId: seg.id });
    const cmp = pair ? await c.call('segments/compare', { segmentationId: seg.id, a: pair[0]!, b: pair[1]! }) : null;
    const num = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : String(Math.round(v * 100) / 100));
    c.output({ segmentationId: seg.id, features: ex.features, profiles: ex.profiles, overallMean: ex.overallMean, compare: cmp }, () =>
      [
        ['segment', 'rows', 'share', ...ex.features].join('\t'),
        ...ex.profiles.map((p) => [p.key, p.size, `${(p.share * 100).toFixed(1)}%`, ...p.mean.map(num)].join('\t')),
        ...(cmp ? ['', `${pair![0]} (${cmp.sizeA}) vs ${pair![1]} (${cmp.sizeB})`, ...cmp.features.map((f) => `  ${f.feature}\t${num(f.meanA)} vs ${num(f.meanB)}\tt=${num(f.t)}\tp=${f.p.toPrecision(3)}`)] : []),
      ].join('\n'),
    );
  },
};

export const segmentCommands: CliCommand[] = [rfm, kmeansCmd, segmentsList, segmentsRule, segmentsTiers, segmentsProfile];
