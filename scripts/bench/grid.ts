/**
 * Data-grid paging on a 1,000,000-row imported dataset (the import benchmark's workspace):
 * first page, a deep page, a sorted page and a filtered page, as the renderer asks for them.
 */
import { createApp } from '../../main/app';
import { round } from './sqlite';

export async function gridBench(dataDir: string, workspace: string) {
  const app = createApp('cli', { dataDir });
  const call = async (name: string, args: unknown) => {
    const r = await app.dispatch(name, args);
    if (!r.ok) throw new Error(r.error.en);
    return r.result as { total?: number };
  };
  await call('workspace/open', { path: workspace });
  // the renderer lists the datasets before it opens one: the datasets domain (code-split, loaded on its
  // first call) is in memory by the first page, as in the app
  await call('datasets/list', {});
  const ms = async (args: Record<string, unknown>) => {
    const t0 = performance.now();
    const r = await call('datasets/rows', { id: 'ds_1', limit: 200, ...args });
    return { ms: round(performance.now() - t0, 1), total: r.total };
  };
  const out = {
    firstPage: await ms({}),
    deepPage: await ms({ offset: 900_000 }),
    sortedByAmount: await ms({ sort: [{ column: '实付金额', dir: 'desc' }] }),
    filteredByCity: await ms({ filters: [{ column: '城市', op: 'eq', value: '杭州市' }] }),
    searchAllColumns: await ms({ search: '投诉' }),
  };
  await app.shutdown();
  return out;
}
