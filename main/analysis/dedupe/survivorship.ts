/**
 * Survivorship: the golden record of a cluster, field by field, with provenance.
 *
 * Rules (only non-empty values compete; empty = null, undefined or white space):
 * - most_recent: the value from the row with the latest date in `dateField` (rows without a
 *   parseable date come last).
 * - most_complete: the longest value (after normalising white space/case), i.e. the most
 *   information — "12224 ventura blvd." over "12224 ventura".
 * - most_frequent: the value most rows agree on (compared normalised); the returned value is
 *   the original text of the winning row.
 * - source_priority: the row whose `sourceField` comes first in the ordered `sources` list
 *   (sources not listed come after all listed ones).
 * Ties are broken, in turn, by: most recent, most complete, earliest row — so the result is
 * deterministic and does not depend on anything but the rows and the rules.
 *
 * Every field of the golden record says which input row supplied it (index in the cluster
 * and, with idField, that row's id), by which rule, and whether it was a tie; with the input
 * rows kept, a merge can be explained and undone.
 */
import { normalizeText } from './keys';
import { parseYmd } from './compare';

export type Row = Record<string, unknown>;

export type RuleName = 'most_recent' | 'most_complete' | 'most_frequent' | 'source_priority';

export interface FieldRule {
  rule: RuleName;
  /** most_recent: date column (default: config.dateField). */
  dateField?: string;
  /** source_priority: ordered sources (default: config.sourcePriority). */
  sources?: string[];
}

export interface SurvivorshipConfig {
  /** Fields of the golden record (default: every key of every row, in first-seen order). */
  fields?: string[];
  rules?: Record<string, RuleName | FieldRule>;
  /** Rule for fields without one (default most_complete). */
  defaultRule?: RuleName | FieldRule;
  dateField?: string;
  sourceField?: string;
  sourcePriority?: string[];
  idField?: string;
}

export interface FieldProvenance {
  /** Index of the supplying row in the input, −1 when every row was empty. */
  row: number;
  id?: unknown;
  source?: unknown;
  rule: RuleName;
  value: unknown;
  /** Rows with a non-empty value for this field. */
  candidates: number;
  /** True when the rule alone did not decide (a tie-break did). */
  tie: boolean;
}

export interface GoldenRecord {
  record: Row;
  provenance: Record<string, FieldProvenance>;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (typeof v === 'number' && Number.isNaN(v));
}

/** Time of a date value in ms, or −Infinity when it is not a date. */
export function dateValue(v: unknown): number {
  if (isEmpty(v)) return -Infinity;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? -Infinity : v.getTime();
  const ymd = parseYmd(v);
  if (ymd) {
    const s = String(v);
    const time = s.match(/[ T](\d{1,2}):(\d{2})(?::(\d{2}))?/);
    const extra = time ? (+time[1]! * 3600 + +time[2]! * 60 + +(time[3] ?? 0)) * 1000 : 0;
    return Date.UTC(ymd.y, ymd.m - 1, ymd.d) + extra;
  }
  if (typeof v === 'number') return v;
  const t = Date.parse(String(v));
  return Number.isNaN(t) ? -Infinity : t;
}

function toRule(r: RuleName | FieldRule): FieldRule {
  return typeof r === 'string' ? { rule: r } : r;
}

/** The golden record of one cluster of rows. */
export function goldenRecord(rows: Row[], config: SurvivorshipConfig = {}): GoldenRecord {
  const fields =
    config.fields ??
    (() => {
      const seen = new Set<string>();
      for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
      return [...seen];
    })();
  const record: Row = {};
  const provenance: Record<string, FieldProvenance> = {};
  for (const field of fields) {
    const rule = toRule(config.rules?.[field] ?? config.defaultRule ?? 'most_complete');
    const dateField = rule.dateField ?? config.dateField;
    if (rule.rule === 'most_recent' && !dateField) throw new Error(`field ${field}: most_recent needs a dateField`);
    const sources = rule.sources ?? config.sourcePriority;
    if (rule.rule === 'source_priority' && (!config.sourceField || !sources)) throw new Error(`field ${field}: source_priority needs sourceField and sources`);
    const cand: { row: number; value: unknown; norm: string; len: number; date: number; freq: number; rank: number }[] = [];
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i]![field];
      if (isEmpty(v)) continue;
      const norm = v instanceof Date ? v.toISOString() : normalizeText(v);
      const src = config.sourceField ? rows[i]![config.sourceField] : undefined;
      const rank = sources ? sources.indexOf(String(src ?? '')) : -1;
      cand.push({
        row: i,
        value: v,
        norm,
        len: [...norm].length,
        date: dateField ? dateValue(rows[i]![dateField]) : -Infinity,
        freq: 0,
        rank: rank < 0 ? Number.MAX_SAFE_INTEGER : rank,
      });
    }
    const counts = new Map<string, number>();
    for (const c of cand) counts.set(c.norm, (counts.get(c.norm) ?? 0) + 1);
    for (const c of cand) c.freq = counts.get(c.norm)!;
    type C = (typeof cand)[number];
    const primary = (x: C, y: C): number => {
      switch (rule.rule) {
        case 'most_recent':
          return y.date - x.date || 0;
        case 'most_complete':
          return y.len - x.len;
        case 'most_frequent':
          return y.freq - x.freq;
        case 'source_priority':
          return x.rank - y.rank;
      }
    };
    const tieBreak = (x: C, y: C): number => {
      const byDate = x.date === y.date ? 0 : y.date > x.date ? 1 : -1;
      return byDate || y.len - x.len || x.row - y.row;
    };
    cand.sort((x, y) => primary(x, y) || tieBreak(x, y));
    const best = cand[0];
    const tie = cand.length > 1 && primary(cand[0]!, cand[1]!) === 0 && cand[0]!.norm !== cand[1]!.norm;
    record[field] = best ? best.value : null;
    provenance[field] = {
      row: best ? best.row : -1,
      ...(config.idField && best ? { id: rows[best.row]![config.idField] } : {}),
      ...(config.sourceField && best ? { source: rows[best.row]![config.sourceField] } : {}),
      rule: rule.rule,
      value: best ? best.value : null,
      candidates: cand.length,
      tie,
    };
  }
  return { record, provenance };
}
