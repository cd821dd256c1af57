/** `segmint definitions` and `segmint identity` — the definitions in force (status mappings, window, as-of) and the customer key layer. */
import { UsageError } from '../args';
import type { CliCommand } from '../context';

const definitions: CliCommand = {
  name: 'definitions',
  usage:
    "segmint definitions [--dataset D] [--set 'raw=class;raw=class'] [raw=class …] [--column NAME] [--kind order|sms] [--window DAYS] [--as-of DATE|''] --workspace PATH [--json]\n" +
    '  order classes: valid, cancelled, refunded, pending; SMS classes: delivered, accepted, unknown, failed; class "auto" drops an override',
  summary: 'Show or change the definitions every analysis uses: status mappings per dataset, attribution window, as-of (audited)',
  workspace: 'required',
  async run(c) {
    const datasetId = c.flag('dataset') ? c.dataset() : undefined;
    const pairs = [...(c.flag('set')?.split(/[;\n]/) ?? []), ...c.args.positional].map((s) => s.trim()).filter(Boolean);
    const set: Record<string, string> = {};
    for (const p of pairs) {
      const eq = p.lastIndexOf('=');
      if (eq < 0) throw new UsageError(`"${p}" is not raw=class (e.g. 已发货=valid)`);
      set[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    const window = c.flag('window');
    const kind = c.flag('kind');
    if (kind !== undefined && kind !== 'order' && kind !== 'sms') throw new UsageError('--kind is order or sms');
    const column = c.flag('column');
    const asOf = c.flag('as-of');
    const change = pairs.length || column !== undefined || window !== undefined || asOf !== undefined;
    if ((pairs.length || column !== undefined) && !datasetId) throw new UsageError('changing a status mapping needs --dataset D');
    const r = change
      ? await c.call('definitions/set', { datasetId, kind: kind as 'order' | 'sms' | undefined, column, set: pairs.length ? set : undefined, windowDays: window === undefined ? undefined : Number(window), asOf })
      : await c.call('definitions/get', { datasetId });
    c.output({ ...r, changed: !!change }, () =>
      [
        `definitions revision ${r.revision}: attribution window ${r.windowDays} days, as-of ${r.asOf ?? 'latest event'}`,
        ...r.statuses.flatMap((s) => [
          `${s.datasetName} (${s.datasetId}, ${s.kind}): status column ${s.column ?? `— (every row ${s.noColumnClass})`}`,
          ...s.values.map((v) => `  ${JSON.stringify(v.raw).padEnd(16)} → ${v.cls}${v.overridden ? ` (inferred ${v.inferred})` : ''}  ${v.rows} rows`),
        ]),
      ].join('\n'),
    );
  },
};

const identity: CliCommand = {
  name: 'identity',
  usage: 'segmint identity [--rebuild] --workspace PATH [--json]',
  summary: 'The customer key layer: customers, links per dataset, shared phones kept apart; --rebuild forces a rebuild',
  workspace: 'required',
  booleanFlags: ['rebuild'],
  async run(c) {
    const r = await c.call('identity/status', { rebuild: c.bool('rebuild') });
    c.output({ ...r }, () =>
      [
        `${r.customers} customers, ${r.links} linked rows${r.rebuilt ? ` (rebuilt in ${r.seconds} s)` : ''}; ${r.sharedKeys} shared phones/e-mails kept apart`,
        ...r.datasets.map((d) => `  ${d.name} (${d.id}): ${d.linked} of ${d.rows} rows linked`),
      ].join('\n'),
    );
  },
};

export const definitionsCommands: CliCommand[] = [definitions, identity];
