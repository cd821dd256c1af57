/** `segmint remote add|list|test|remove|rfm|count` — saved connections to ClickHouse / PostgreSQL-wire engines, used read-only. */
import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';

const W = '--workspace PATH [--json]';
const COLS = '--table T --customer COL --time COL --amount COL [--status COL --exclude v1,v2] --as-of YYYY-MM-DD';

/** Columns of the remote table, named as in `segmint rfm` (--customer/--time/--amount), plus a status exclusion. */
function columns(c: CliContext) {
  return {
    name: c.requireFlag('connection'), table: c.requireFlag('table'), customer: c.requireFlag('customer'), time: c.requireFlag('time'),
    amount: c.requireFlag('amount'), status: c.flag('status'), asOf: c.requireFlag('as-of'),
    exclude: (c.flag('exclude') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}

export const remoteCommands: CliCommand[] = [
  {
    name: 'remote add',
    usage: `segmint remote add NAME --kind clickhouse|postgres --host H --port P [--user U] [--database DB] ${W}  (password from SEGMINT_REMOTE_PASSWORD or --password)`,
    summary: 'Save a connection to a ClickHouse (HTTP port) or PostgreSQL-wire engine in the workspace (encrypted when the workspace is)',
    workspace: 'required',
    async run(c) {
      const name = c.args.positional[0];
      if (!name) throw new UsageError('remote add needs a NAME');
      const kind = c.requireFlag('kind');
      if (kind !== 'clickhouse' && kind !== 'postgres') throw new UsageError('--kind is clickhouse or postgres');
      const port = Number(c.requireFlag('port'));
      if (!Number.isInteger(port)) throw new UsageError('--port must be a number');
      const r = await c.call('remote/add', { name, kind, host: c.requireFlag('host'), port, user: c.flag('user') ?? (kind === 'postgres' ? 'postgres' : 'default'), password: c.flag('password') ?? process.env.SEGMINT_REMOTE_PASSWORD ?? '', database: c.flag('database') ?? '' });
      c.output(r, () => `saved ${r.name}: ${r.kind} ${r.user}@${r.host}:${r.port}${r.database ? `/${r.database}` : ''}`);
    },
  },
  {
    name: 'remote list',
    usage: `segmint remote list ${W}`,
    summary: 'List saved remote connections (passwords are never shown)',
    workspace: 'required',
    async run(c) {
      const r = await c.call('remote/list', {});
      c.output({ connections: r }, () => r.map((x) => `${x.name}\t${x.kind}\t${x.user}@${x.host}:${x.port}${x.database ? `/${x.database}` : ''}`).join('\n') || '(no connections)');
    },
  },
  {
    name: 'remote test',
    usage: `segmint remote test NAME ${W}`,
    summary: 'Connect read-only and report the server version, or why it failed (unreachable, auth)',
    workspace: 'required',
    async run(c) {
      const name = c.args.positional[0];
      if (!name) throw new UsageError('remote test needs a NAME');
      const r = await c.call('remote/test', { name });
      c.output(r, () => `ok: ${r.version} (read-only)`);
    },
  },
  {
    name: 'remote remove',
    usage: `segmint remote remove NAME ${W}`,
    summary: 'Forget a saved remote connection',
    workspace: 'required',
    async run(c) {
      const name = c.args.positional[0];
      if (!name) throw new UsageError('remote remove needs a NAME');
      const r = await c.call('remote/remove', { name });
      c.output(r, () => (r.removed ? `removed ${name}` : `no connection named ${name}`));
    },
  },
  {
    name: 'remote rfm',
    usage: `segmint remote rfm --connection NAME ${COLS} [--scheme 11|cn8] ${W}`,
    summary: 'RFM on a remote engine: the per-customer summary runs there, segments are scored here',
    workspace: 'required',
    async run(c) {
      const scheme = c.flag('scheme') ?? '11';
      if (scheme !== '11' && scheme !== 'cn8') throw new UsageError('--scheme is 11 or cn8');
      const r = await c.call('remote/rfm', { ...columns(c), scheme });
      c.output(r, () => [`${r.customers} customers from ${r.connection} (${r.kind}) in ${r.seconds.toFixed(1)} s`, ...r.segments.map((s) => `  ${(c.lang === 'zh' ? s.zh : s.en).padEnd(22)} ${s.customers}`)].join('\n'));
    },
  },
  {
    name: 'remote count',
    usage: `segmint remote count --connection NAME ${COLS} --rule 'frequency >= 5 AND monetary > 1000' ${W}`,
    summary: "A rule segment's size on a remote engine (rule over frequency, monetary, recency_days, T, x, t_x)",
    workspace: 'required',
    async run(c) {
      const r = await c.call('remote/count', { ...columns(c), rule: c.requireFlag('rule') });
      c.output(r, () => `${r.customers} customers match ${r.rule}`);
    },
  },
];
