/**
 * Match configs for the customers services: the default one from column roles (the engine's
 * autoConfig, restricted to identity columns and turned into plain data so runs can store it),
 * and checks of a user's config against a dataset's columns.
 */
import { AppError } from '../../../shared/errors';
import type { MatchConfigInput } from '../../../shared/api/customers';
import type { DatasetColumn, DatasetInfo } from '../../../shared/types';
import { autoConfig, type MatchConfig } from '../../analysis/dedupe/index';

/** App roles → the engine's role names. */
const ENGINE_ROLE: Record<string, string> = { birthday: 'birth_date', region: 'province' };
/**
 * Identity roles only. Place and gender columns are left out of the default: on the demo CRM
 * (many people share a name, so name blocking yields many same-name pairs) EM took "same city"
 * for the match class and precision fell to 0.26; with identity columns only it is 1.0.
 */
const IDENTITY = new Set(['customer_id', 'name', 'phone', 'email', 'birth_date', 'address']);
const ADDRESS = /地址|住址|address|addr|street/i;

export function engineRole(c: DatasetColumn): string | null {
  if (c.role) return ENGINE_ROLE[c.role] ?? c.role;
  if ((c.type === 'text' || c.type === 'category') && ADDRESS.test(c.name)) return 'address';
  return null;
}

/** The default dedupe config of a dataset, as plain data, and the columns it leaves out. */
/** Name similarity below which two records never match in the default config. */
export const NAME_FLOOR = 0.6;

export function defaultConfig(info: DatasetInfo): { config: MatchConfigInput; ignored: string[] } {
  const cols = info.columns.map((c) => ({ name: c.name, role: engineRole(c) }));
  const used = cols.filter((c) => c.role && IDENTITY.has(c.role));
  const ignored = cols.filter((c) => !used.includes(c)).map((c) => c.name);
  if (used.length === 0)
    throw new AppError(
      'no_identity_columns',
      `Dataset "${info.name}" has no column with an identity role (customer id, name, phone, e-mail, birthday); set roles on import or pass a config.`,
      `数据集“${info.name}”没有身份类角色的列（客户ID、姓名、手机号、邮箱、生日），请在导入时设置列角色，或提供匹配配置。`,
    );
  const auto = autoConfig(used);
  const nameFields = auto.fields.filter((f) => f.comparator === 'name').length;
  // Functions → names: typed phone columns are already E.164, so their digits are the key.
  const plain = (n: unknown) => (typeof n === 'function' ? 'digits' : n);
  const config = {
    // One full-name column: names that share almost nothing are two people (or two restaurants at
    // one hotel address and phone), whatever else agrees. Not with split names (given + surname),
    // where swaps and gaps are common (FEBRL). See docs/methods/dedupe.md.
    fields: auto.fields.map((f) => ({ ...f, normalise: plain(f.normalise), ...(f.comparator === 'name' && nameFields === 1 && { neverMatchBelow: NAME_FLOOR }) })),
    blocking: auto.blocking.map((b) => (b.kind === 'tokens' ? { ...b, normalise: plain(b.normalise) } : { ...b, keys: b.keys.map((k) => ({ ...k, key: plain(k.key) })) })),
    linkage: 'single',
    em: { seed: 1 },
    // Not the same name AND birthdays more than days apart: two people, even on one phone and one
    // address (a family: 蒋梓萱 and 蒋子涵 score high on pinyin but are not one name).
    ...(nameFields === 1 && auto.fields.some((f) => f.comparator === 'date') && {
      differentWhen: [
        { field: auto.fields.find((f) => f.comparator === 'name')!.name, below: auto.fields.find((f) => f.comparator === 'name')!.levels![0]! },
        { field: auto.fields.find((f) => f.comparator === 'date')!.name, below: auto.fields.find((f) => f.comparator === 'date')!.levels!.at(-1)! },
      ],
    }),
  } as MatchConfigInput;
  return { config, ignored };
}

/** Columns a config reads (side A and, for links, side B). */
function columnsOf(config: MatchConfigInput, side: 'A' | 'B'): string[] {
  const out: string[] = [];
  const pick = (a: string, b?: string) => out.push(side === 'B' ? b ?? a : a);
  for (const f of config.fields) pick(f.column ?? f.name, f.columnB ?? f.column ?? f.name);
  for (const b of config.blocking) {
    if (b.kind === 'tokens') pick(b.column, b.columnB);
    else for (const k of b.keys) pick(k.column, k.columnB);
  }
  return out;
}

export function checkConfig(config: MatchConfigInput, info: DatasetInfo, side: 'A' | 'B' = 'A'): void {
  const names = new Set(info.columns.map((c) => c.name));
  const missing = [...new Set(columnsOf(config, side))].filter((c) => !names.has(c));
  if (missing.length)
    throw new AppError('unknown_column', `The config names columns that "${info.name}" does not have: ${missing.join(', ')}.`, `匹配配置中的列在“${info.name}”中不存在：${missing.join('、')}。`, { missing });
  for (const f of config.fields) {
    const lv = f.levels ?? [];
    for (let k = 1; k < lv.length; k++)
      if (!(lv[k]! < lv[k - 1]!)) throw new AppError('bad_config', `Field ${f.name}: levels must be strictly descending.`, `字段 ${f.name}：相似度分级必须严格递减。`);
    if (f.neverMatchBelow !== undefined && lv.length && !(f.neverMatchBelow < lv[lv.length - 1]!))
      throw new AppError('bad_config', `Field ${f.name}: neverMatchBelow must be below the lowest level.`, `字段 ${f.name}：“低于此值一定不匹配”必须小于最低分级。`);
  }
}

/** Plain-data config → engine config (names are accepted by the engine as they are). */
export function toEngine(config: MatchConfigInput, threshold: number, extra: Partial<MatchConfig> = {}): MatchConfig {
  return { ...(config as MatchConfig), em: { seed: 1, ...(config.em ?? {}) }, threshold, score: 'probability', ...extra };
}

/**
 * A link config between two datasets from the default configs of both: fields whose role
 * appears in both, the k-th column of a role in A paired with the k-th of that role in B.
 */
export function pairConfig(a: DatasetInfo, b: DatasetInfo): MatchConfigInput | null {
  const roleCols = (info: DatasetInfo) => {
    const m = new Map<string, string[]>();
    for (const c of info.columns) {
      const r = engineRole(c);
      if (r && IDENTITY.has(r)) m.set(r, [...(m.get(r) ?? []), c.name]);
    }
    return m;
  };
  const ra = roleCols(a);
  const rb = roleCols(b);
  const colB = new Map<string, string>();
  for (const [role, cols] of ra) cols.forEach((c, k) => rb.get(role)?.[k] !== undefined && colB.set(c, rb.get(role)![k]!));
  if (!colB.size) return null;
  const base = defaultConfig({ ...a, columns: a.columns.filter((c) => colB.has(c.name)) }).config;
  return {
    ...base,
    fields: base.fields.map((f) => ({ ...f, columnB: colB.get(f.column ?? f.name) })),
    blocking: base.blocking.map((bl) => (bl.kind === 'tokens' ? { ...bl, columnB: colB.get(bl.column) } : { ...bl, keys: bl.keys.map((k) => ({ ...k, columnB: colB.get(k.column) })) })),
  };
}

/**
 * Fields whose top agreement level counts against a match (weight below −1 bit). EM on a table
 * without duplicates splits the pairs some other way (FEBRL 4a alone: λ = 0.48, agreeing on the
 * birth date −21.5 bits) and its "matches" chain into clusters of thousands; such a fit is not
 * a duplicate model, so the link job skips it and the dedupe screen warns.
 */
export function suspectFields(model: { fields: string[]; weights: number[][] }): string[] {
  return model.fields.filter((_, k) => (model.weights[k]![0] ?? 0) < -1);
}
