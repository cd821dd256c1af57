/**
 * The cleaning steps: `runStep(table, step, ctx)` applies one parsed RecipeStep to a Table
 * (./table.ts) and returns the new table, rows a filter removed, row flags, issues and a change
 * report. Pure: the input table is never mutated; nothing is read or written outside.
 *
 * Conventions (the same for every step):
 *   - Empty cells are null, '' or whitespace; a text step whose result is '' writes null (the
 *     workspace stores empty cells as NULL), so steps are idempotent.
 *   - Text steps (trim, case, nfkc, t2s, regexReplace) touch strings only; numbers pass.
 *   - Values that a step cannot read (phone, email, date, money) are kept as written (or set to
 *     null with onInvalid: 'null') and the row is flagged with the step's rule and a reason; when
 *     more than 10% of a column's non-empty values fail, an 'unparsed_values' issue says so.
 *   - A column the step names but the table lacks: `ctx.strict` (applyRecipe) throws; otherwise
 *     (replayRecipe) the step uses the columns that exist, records a 'missing_column' issue, and
 *     skips itself when nothing is left. Type expectations are checked against `table.types`.
 *   - New columns (split, merge, derive, regexExtract) must not exist yet (regexExtract may write
 *     over its own source column); split inserts after its source, merge after its last source,
 *     derive and regexExtract append at the end.
 * Step-specific rules are in the comments of each function and in docs/methods/cleaning.md.
 */
import * as OpenCC from 'opencc-js/t2cn';
import type { CountryCode } from 'libphonenumber-js';
import type { ColumnType } from '../../../shared/types';
import { quantileSorted } from '../../kernel/stats';
import { iqrFences } from '../quality/outliers';
import { compileSafe, MAX_INPUT } from './regex';
import type { Condition, RecipeStep, Rule } from '../../../shared/api/recipe';
import { forwardFill, knnFill, linearFill, meanOf, medianOf, modeOf, xValue } from './fill';
import { type Cell, isEmpty, isoToDays, normalizeDate, normalizeEmail, normalizePhone, parseMoney, toNumber } from './values';
import { type Flag, type Issue, type StepResult, type Table, ReportBuilder, rowIdsOf, sameCell } from './table';

export interface StepContext {
  /** Position of the step in its recipe (reported in flags and issues). */
  index?: number;
  /** Throw on a missing column or an unusable regex (apply) instead of reporting it (replay). */
  strict?: boolean;
}

/** A step could not run on this table (strict mode). */
export class StepError extends Error {
  constructor(
    message: string,
    readonly issue: Issue,
  ) {
    super(message);
    this.name = 'StepError';
  }
}

export const UNPARSED_ISSUE_SHARE = 0.1;
const NUMERIC_TYPES: ColumnType[] = ['integer', 'decimal', 'percent'];
const DATE_TYPES: ColumnType[] = ['date', 'datetime'];

interface Ctx {
  index: number;
  strict: boolean;
  op: string;
  issues: Issue[];
  flags: Flag[];
  rb: ReportBuilder;
}

function issue(c: Ctx, i: Omit<Issue, 'step' | 'op'>): void {
  const full: Issue = { step: c.index, op: c.op, ...i };
  if (c.strict && (i.kind === 'missing_column' || i.kind === 'invalid_regex' || i.kind === 'column_exists')) throw new StepError(`step ${c.index + 1} (${c.op}): ${i.message}`, full);
  c.issues.push(full);
}

function flag(c: Ctx, row: number, rule: string, column: string | undefined, reason: string): void {
  c.flags.push({ row, step: c.index, rule, ...(column !== undefined ? { column } : {}), reason });
  c.rb.flag(row);
}

/** Indices of the named columns that exist; missing ones become issues (or throw when strict). */
function present(t: Table, names: string[], c: Ctx): { name: string; j: number }[] {
  const out: { name: string; j: number }[] = [];
  for (const name of names) {
    const j = t.columns.indexOf(name);
    if (j === -1) issue(c, { kind: 'missing_column', column: name, message: `column "${name}" is not in the table` });
    else out.push({ name, j });
  }
  return out;
}

/** Report a column whose declared type is not one the step expects. */
function expectType(t: Table, name: string, c: Ctx, allowed: ColumnType[], what: string): void {
  const ty = t.types?.[name];
  if (ty && !allowed.includes(ty)) issue(c, { kind: 'type_mismatch', column: name, message: `column "${name}" is ${ty}; this step expects ${what}` });
}

/** Warn when less than half of a column's non-empty cells are numbers. */
function expectNumeric(t: Table, j: number, name: string, c: Ctx): boolean {
  let nonEmpty = 0;
  let num = 0;
  for (const r of t.rows) {
    const v = r[j]!;
    if (isEmpty(v)) continue;
    nonEmpty++;
    if (toNumber(v) !== null) num++;
  }
  if (nonEmpty > 0 && num / nonEmpty < 0.5) {
    issue(c, { kind: 'not_numeric', column: name, count: nonEmpty - num, share: 1 - num / nonEmpty, message: `only ${num} of ${nonEmpty} values of "${name}" are numbers` });
    return false;
  }
  return true;
}

const emptyToNull = (s: string): Cell => (s === '' ? null : s);

/**
 * Rewrite cells of the given columns with `fn` (which returns the new value); rows are copied on
 * first change. Returns the new rows.
 */
function mapCells(t: Table, cols: { name: string; j: number }[], c: Ctx, fn: (v: Cell, col: string, row: number) => Cell): Cell[][] {
  const ids = rowIdsOf(t);
  const rows = t.rows.slice();
  for (let i = 0; i < rows.length; i++) {
    let r = rows[i]!;
    let copied = false;
    for (const { name, j } of cols) {
      const v = r[j]!;
      const nv = fn(v, name, ids[i]!);
      if (!sameCell(v, nv)) {
        if (!copied) {
          r = r.slice();
          rows[i] = r;
          copied = true;
        }
        r[j] = nv;
        c.rb.change(ids[i]!, name, v, nv);
      }
    }
  }
  return rows;
}

function withRows(t: Table, rows: Cell[][]): Table {
  return { ...t, rows };
}

// ---------- text ----------
const ZW = /[\u200b\u200c\u200d\ufeff]/g;
const WS_RUN = /\s+/g;

/** Trim (Unicode whitespace incl. the full-width space, and zero-width characters); collapse inner runs to one space. */
export function trimText(s: string, collapse = true): string {
  const t = s.replace(ZW, '').trim();
  return collapse ? t.replace(WS_RUN, ' ') : t;
}

/** Title case: first letter of every word upper, the rest lower (CJK unaffected). */
export function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[^\p{L}\p{N}'’])(\p{L})/gu, (_m, p: string, ch: string) => p + ch.toUpperCase());
}

/** NFKC: full-width letters/digits/punctuation → ASCII, the ideographic space → ' ', ligatures and circled digits unfolded. */
export function nfkc(s: string): string {
  return s.normalize('NFKC');
}

const converters = new Map<string, (s: string) => string>();
/** Traditional → simplified Chinese with OpenCC ('tw' Taiwan, 'twp' Taiwan with phrases, 'hk' Hong Kong, 't' OpenCC standard). */
export function toSimplified(s: string, from: 'tw' | 'twp' | 'hk' | 't' = 'tw'): string {
  let conv = converters.get(from);
  if (!conv) {
    conv = OpenCC.Converter({ from, to: 'cn' });
    converters.set(from, conv);
  }
  return conv(s);
}

function textStep(t: Table, columns: string[], c: Ctx, f: (s: string) => string): Table {
  const cols = present(t, columns, c);
  return withRows(t, mapCells(t, cols, c, (v) => (typeof v === 'string' ? emptyToNull(f(v)) : v)));
}

// ---------- typed normalisers ----------
function unparsedIssue(c: Ctx, column: string, failed: number, nonEmpty: number, examples: Cell[], what: string): void {
  if (failed > 0 && failed / nonEmpty > UNPARSED_ISSUE_SHARE)
    issue(c, { kind: 'unparsed_values', column, count: failed, share: failed / nonEmpty, examples, message: `${failed} of ${nonEmpty} values of "${column}" could not be read as ${what}` });
}

function typedStep(t: Table, columns: string[], c: Ctx, what: string, rule: string, onInvalid: 'keep' | 'null', fn: (v: Cell) => { ok: true; value: Cell; note?: string } | { ok: false; reason: string }): Table {
  const cols = present(t, columns, c);
  const stats = new Map<string, { failed: number; nonEmpty: number; ex: Cell[] }>();
  for (const { name } of cols) stats.set(name, { failed: 0, nonEmpty: 0, ex: [] });
  // Results are memoised per distinct value (exports repeat values a lot; libphonenumber is slow).
  const memo = new Map<string, ReturnType<typeof fn>>();
  const rows = mapCells(t, cols, c, (v, col, row) => {
    if (isEmpty(v)) return v;
    const st = stats.get(col)!;
    st.nonEmpty++;
    const key = typeof v === 'number' ? '\u0001' + v : (v as string);
    let r = memo.get(key);
    if (!r) {
      r = fn(v);
      if (memo.size < 100_000) memo.set(key, r);
    }
    if (r.ok) {
      if (r.note) flag(c, row, rule, col, r.note);
      return r.value;
    }
    st.failed++;
    if (st.ex.length < 10 && !st.ex.includes(v)) st.ex.push(v);
    flag(c, row, rule, col, r.reason);
    return onInvalid === 'null' ? null : v;
  });
  for (const [col, st] of stats) unparsedIssue(c, col, st.failed, st.nonEmpty, st.ex, what);
  return withRows(t, rows);
}

// ---------- map ----------
const mapKey = (v: Cell, ci: boolean): string => (v === null ? '\u0000null' : typeof v === 'number' ? String(v) : ci ? v.trim().toLowerCase() : v.trim());

function mapStep(t: Table, s: Extract<RecipeStep, { op: 'map' }>, c: Ctx): Table {
  const cols = present(t, s.columns, c);
  const table = new Map<string, Cell>();
  for (const e of s.entries) {
    if (!table.has(mapKey(e.to, s.caseInsensitive))) table.set(mapKey(e.to, s.caseInsensitive), e.to);
    for (const f of e.from) table.set(mapKey(f, s.caseInsensitive), e.to);
  }
  const unmatched = new Map<string, { col: string; v: Cell; n: number }>();
  const rows = mapCells(t, cols, c, (v, col) => {
    const k = mapKey(v, s.caseInsensitive);
    if (table.has(k)) return table.get(k)!;
    if (isEmpty(v)) return v;
    const u = unmatched.get(col + '\u0001' + k);
    if (u) u.n++;
    else unmatched.set(col + '\u0001' + k, { col, v, n: 1 });
    return s.unmatched === 'null' ? null : s.unmatched === 'other' ? (s.otherValue ?? null) : v;
  });
  for (const { name } of cols) {
    const us = [...unmatched.values()].filter((u) => u.col === name).sort((a, b) => b.n - a.n);
    if (us.length) {
      const count = us.reduce((a, u) => a + u.n, 0);
      issue(c, { kind: 'unmapped_values', column: name, count, examples: us.slice(0, 20).map((u) => u.v), message: `${count} values of "${name}" (${us.length} distinct) are not in the map` });
    }
  }
  return withRows(t, rows);
}

// ---------- structure ----------
function insertColumns(t: Table, at: number, names: string[], values: Cell[][], c: Ctx, dropIdx: number[] = []): Table {
  const ids = rowIdsOf(t);
  const drop = new Set(dropIdx);
  const columns: string[] = [];
  const plan: (number | { k: number })[] = [];
  for (let j = 0; j <= t.columns.length; j++) {
    if (j === at) names.forEach((n, k) => (columns.push(n), plan.push({ k })));
    if (j < t.columns.length && !drop.has(j)) {
      columns.push(t.columns[j]!);
      plan.push(j);
    }
  }
  // plan as numbers: j ≥ 0 copies column j, −1−k takes new value k (no closures in the row loop)
  const code = Int32Array.from(plan, (p) => (typeof p === 'number' ? p : -1 - p.k));
  const rows: Cell[][] = new Array(t.rows.length);
  for (let i = 0; i < t.rows.length; i++) {
    const r = t.rows[i]!;
    const vs = values[i]!;
    const out: Cell[] = new Array(code.length);
    for (let q = 0; q < code.length; q++) {
      const p = code[q]!;
      out[q] = p >= 0 ? r[p]! : vs[-1 - p]!;
    }
    rows[i] = out;
    for (let k = 0; k < vs.length; k++) if (vs[k] !== null) c.rb.change(ids[i]!, names[k]!, null, vs[k]!);
  }
  const types = t.types ? Object.fromEntries(Object.entries(t.types).filter(([k]) => columns.includes(k))) : undefined;
  return { ...t, columns, rows, ...(types ? { types } : {}) };
}

function newColumnsFree(t: Table, names: string[], c: Ctx, except: string[] = []): boolean {
  for (const n of names) {
    if (t.columns.includes(n) && !except.includes(n)) {
      issue(c, { kind: 'column_exists', column: n, message: `column "${n}" already exists` });
      return false;
    }
  }
  if (new Set(names).size !== names.length) {
    issue(c, { kind: 'column_exists', message: 'the new column names repeat' });
    return false;
  }
  return true;
}

function splitStep(t: Table, s: Extract<RecipeStep, { op: 'split' }>, c: Ctx): Table {
  const [src] = present(t, [s.column], c);
  if (!src) return t;
  if (!newColumnsFree(t, s.into, c, s.keepOriginal ? [] : [s.column])) return t;
  let re: RegExp | null = null;
  if (s.regex !== undefined) {
    const r = compileSafe(s.regex, s.flags, 'g');
    if (!r.ok) {
      issue(c, { kind: 'invalid_regex', message: `split regex refused: ${r.error}` });
      return t;
    }
    re = r.re;
  }
  const n = s.into.length;
  let long = 0;
  const values = t.rows.map((r) => {
    const v = r[src.j]!;
    const out: Cell[] = new Array(n).fill(null);
    if (isEmpty(v)) return out;
    const str = String(v);
    if (re && str.length > MAX_INPUT) {
      long++;
      out[0] = str;
      return out;
    }
    // cut points: [start, end) of each separator, first n−1 of them
    const cuts: [number, number][] = [];
    if (re) {
      re.lastIndex = 0;
      for (const m of str.matchAll(re)) {
        if (m[0].length === 0) continue;
        cuts.push([m.index!, m.index! + m[0].length]);
        if (cuts.length >= n) break;
      }
    } else {
      let from = 0;
      while (cuts.length < n) {
        const p = str.indexOf(s.delimiter!, from);
        if (p === -1) break;
        cuts.push([p, p + s.delimiter!.length]);
        from = p + s.delimiter!.length;
      }
    }
    let start = 0;
    for (let k = 0; k < n && k <= cuts.length; k++) {
      const toEnd = k === cuts.length || (k === n - 1 && s.rest === 'last');
      out[k] = emptyToNull(str.slice(start, toEnd ? str.length : cuts[k]![0]).trim());
      if (k < cuts.length) start = cuts[k]![1];
    }
    return out;
  });
  if (long) issue(c, { kind: 'long_cells', column: s.column, count: long, message: `${long} cells longer than ${MAX_INPUT} characters were not split` });
  return insertColumns(t, src.j + 1, s.into, values, c, s.keepOriginal ? [] : [src.j]);
}

function mergeStep(t: Table, s: Extract<RecipeStep, { op: 'merge' }>, c: Ctx): Table {
  const cols = present(t, s.columns, c);
  if (!cols.length) return t;
  if (!newColumnsFree(t, [s.into], c, s.keepOriginal ? [] : s.columns)) return t;
  const values = t.rows.map((r) => {
    const parts: string[] = [];
    for (const { j } of cols) {
      const v = r[j]!;
      if (isEmpty(v)) {
        if (!s.skipEmpty) parts.push('');
      } else parts.push(String(v));
    }
    const joined = parts.join(s.separator);
    return [parts.length === 0 || joined.trim() === '' ? null : joined];
  });
  const last = Math.max(...cols.map((x) => x.j));
  return insertColumns(t, last + 1, [s.into], values, c, s.keepOriginal ? [] : cols.map((x) => x.j));
}

/** Date parts of a cell: days since 1970 (fractional with time) or null. */
function cellDays(v: Cell): number | null {
  if (isEmpty(v)) return null;
  if (typeof v === 'string') {
    const d = isoToDays(v.trim());
    if (!Number.isNaN(d)) return d;
  }
  const n = normalizeDate(v!);
  return n ? isoToDays(n) : null;
}

/** Round away binary noise (0.1 + 0.2 → 0.3); non-finite → null. */
function tidy(x: number): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(15)) : null;
}

export function deriveValue(fn: string, args: Cell[], constant: number | undefined, separator: string): Cell {
  switch (fn) {
    case 'year':
    case 'month':
    case 'day':
    case 'quarter':
    case 'weekday': {
      const d = cellDays(args[0]!);
      if (d === null) return null;
      const dt = new Date(Math.floor(d) * 86400000);
      if (fn === 'year') return dt.getUTCFullYear();
      if (fn === 'month') return dt.getUTCMonth() + 1;
      if (fn === 'day') return dt.getUTCDate();
      if (fn === 'quarter') return Math.floor(dt.getUTCMonth() / 3) + 1;
      return ((dt.getUTCDay() + 6) % 7) + 1; // ISO: Monday 1 … Sunday 7
    }
    case 'length':
      return isEmpty(args[0]!) ? null : [...String(args[0])].length;
    case 'concat': {
      const parts = args.filter((a) => !isEmpty(a)).map(String);
      return parts.length ? parts.join(separator) : null;
    }
    case 'daysBetween': {
      const a = cellDays(args[0]!);
      const b = cellDays(args[1]!);
      return a === null || b === null ? null : tidy(b - a);
    }
    default: {
      const a = toNumber(args[0]!);
      const b = args.length > 1 ? toNumber(args[1]!) : (constant ?? null);
      if (a === null || b === null) return null;
      if (fn === 'add') return tidy(a + b);
      if (fn === 'sub') return tidy(a - b);
      if (fn === 'mul') return tidy(a * b);
      return b === 0 ? null : tidy(a / b);
    }
  }
}

function deriveStep(t: Table, s: Extract<RecipeStep, { op: 'derive' }>, c: Ctx): Table {
  const cols = present(t, s.args, c);
  if (cols.length !== s.args.length) return t; // a derivation needs all its inputs
  if (!newColumnsFree(t, [s.into], c)) return t;
  const arith = ['add', 'sub', 'mul', 'div'].includes(s.fn);
  const dated = ['year', 'month', 'day', 'quarter', 'weekday', 'daysBetween'].includes(s.fn);
  if (arith && s.args.length === 1 && s.constant === undefined) {
    issue(c, { kind: 'no_values', message: `${s.fn} needs two columns or a constant` });
    return t;
  }
  for (const { name, j } of cols) {
    if (arith) {
      expectType(t, name, c, NUMERIC_TYPES, 'numbers');
      expectNumeric(t, j, name, c);
    }
    if (dated) expectType(t, name, c, [...DATE_TYPES, 'text', 'category'], 'dates');
  }
  const values = t.rows.map((r) => [deriveValue(s.fn, cols.map((x) => r[x.j]!), s.constant, s.separator)]);
  return insertColumns(t, t.columns.length, [s.into], values, c);
}

function regexExtractStep(t: Table, s: Extract<RecipeStep, { op: 'regexExtract' }>, c: Ctx): Table {
  const [src] = present(t, [s.column], c);
  if (!src) return t;
  const r = compileSafe(s.pattern, s.flags);
  if (!r.ok) {
    issue(c, { kind: 'invalid_regex', message: `regex refused: ${r.error}` });
    return t;
  }
  const inPlace = s.into === s.column;
  if (!inPlace && !newColumnsFree(t, [s.into], c)) return t;
  let long = 0;
  const extract = (v: Cell): Cell => {
    if (isEmpty(v)) return null;
    const str = String(v);
    if (str.length > MAX_INPUT) {
      long++;
      return null;
    }
    const m = r.re.exec(str);
    if (!m) return null;
    const g = typeof s.group === 'number' ? m[s.group] : m.groups?.[s.group];
    return g === undefined || g === '' ? null : g;
  };
  let out: Table;
  if (inPlace) out = withRows(t, mapCells(t, [src], c, extract));
  else out = insertColumns(t, t.columns.length, [s.into], t.rows.map((row) => [extract(row[src.j]!)]), c);
  if (long) issue(c, { kind: 'long_cells', column: s.column, count: long, message: `${long} cells longer than ${MAX_INPUT} characters were skipped` });
  return out;
}

function regexReplaceStep(t: Table, s: Extract<RecipeStep, { op: 'regexReplace' }>, c: Ctx): Table {
  const r = compileSafe(s.pattern, s.flags, 'g');
  if (!r.ok) {
    issue(c, { kind: 'invalid_regex', message: `regex refused: ${r.error}` });
    return t;
  }
  let long = 0;
  const out = textStep(t, s.columns, c, (str) => {
    if (str.length > MAX_INPUT) {
      long++;
      return str;
    }
    return str.replace(r.re, s.replacement);
  });
  if (long) issue(c, { kind: 'long_cells', count: long, message: `${long} cells longer than ${MAX_INPUT} characters were left as they were` });
  return out;
}

// ---------- filter ----------
/** Compare two cells: numerically when both read as numbers, else as text (ISO dates sort as text). */
export function compareCells(a: Cell, b: Cell, ci = false): number {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== null && y !== null) {
    // strings like '2024-01-05' are not numbers (toNumber returns null), so dates fall through
    return x < y ? -1 : x > y ? 1 : 0;
  }
  let p = String(a).replace('T', ' ');
  let q = String(b).replace('T', ' ');
  if (ci) {
    p = p.toLowerCase();
    q = q.toLowerCase();
  }
  return p < q ? -1 : p > q ? 1 : 0;
}

/** A predicate for one condition (regexes compiled once). Returns null when the regex is refused. */
export function conditionPredicate(cond: Condition, j: number): ((r: Cell[]) => boolean) | { error: string } {
  const ci = cond.caseInsensitive ?? false;
  const norm = (v: Cell) => (ci ? String(v).toLowerCase() : String(v));
  const val = cond.value ?? null;
  switch (cond.op) {
    case 'empty':
      return (r) => isEmpty(r[j]!);
    case 'notEmpty':
      return (r) => !isEmpty(r[j]!);
    case 'eq':
      return (r) => (isEmpty(r[j]!) ? isEmpty(val) : !isEmpty(val) && compareCells(r[j]!, val, ci) === 0);
    case 'ne':
      return (r) => (isEmpty(r[j]!) ? !isEmpty(val) : isEmpty(val) || compareCells(r[j]!, val, ci) !== 0);
    case 'gt':
      return (r) => !isEmpty(r[j]!) && !isEmpty(val) && compareCells(r[j]!, val, ci) > 0;
    case 'gte':
      return (r) => !isEmpty(r[j]!) && !isEmpty(val) && compareCells(r[j]!, val, ci) >= 0;
    case 'lt':
      return (r) => !isEmpty(r[j]!) && !isEmpty(val) && compareCells(r[j]!, val, ci) < 0;
    case 'lte':
      return (r) => !isEmpty(r[j]!) && !isEmpty(val) && compareCells(r[j]!, val, ci) <= 0;
    case 'between': {
      const hi = cond.value2 ?? null;
      return (r) => !isEmpty(r[j]!) && !isEmpty(val) && !isEmpty(hi) && compareCells(r[j]!, val, ci) >= 0 && compareCells(r[j]!, hi, ci) <= 0;
    }
    case 'contains':
      return (r) => !isEmpty(r[j]!) && norm(r[j]!).includes(norm(val ?? ''));
    case 'notContains':
      return (r) => isEmpty(r[j]!) || !norm(r[j]!).includes(norm(val ?? ''));
    case 'in':
    case 'notIn': {
      const set = new Set((cond.values ?? []).map((v) => mapKey(v, ci)));
      const hit = (v: Cell) => set.has(mapKey(isEmpty(v) ? null : v, ci));
      return cond.op === 'in' ? (r) => hit(r[j]!) : (r) => !hit(r[j]!);
    }
    case 'regex': {
      const rr = compileSafe(String(val ?? ''), ci ? 'i' : '');
      if (!rr.ok) return { error: rr.error };
      return (r) => {
        const v = r[j]!;
        if (isEmpty(v)) return false;
        const str = String(v);
        return str.length <= MAX_INPUT && rr.re.test(str);
      };
    }
  }
}

function filterStep(t: Table, s: Extract<RecipeStep, { op: 'filter' }>, c: Ctx): { table: Table; removed: Table } {
  const preds: ((r: Cell[]) => boolean)[] = [];
  for (const cond of s.conditions) {
    const j = t.columns.indexOf(cond.column);
    if (j === -1) {
      issue(c, { kind: 'missing_column', column: cond.column, message: `column "${cond.column}" is not in the table; its condition is left out` });
      continue;
    }
    const p = conditionPredicate(cond, j);
    if (typeof p !== 'function') {
      issue(c, { kind: 'invalid_regex', column: cond.column, message: `regex refused: ${p.error}; its condition is left out` });
      continue;
    }
    preds.push(p);
  }
  const ids = rowIdsOf(t);
  const keep: Cell[][] = [];
  const keepIds: number[] = [];
  const gone: Cell[][] = [];
  const goneIds: number[] = [];
  for (let i = 0; i < t.rows.length; i++) {
    const r = t.rows[i]!;
    // With every condition left out, the filter matches nothing in 'remove' mode and everything in 'keep' mode.
    const match = preds.length === 0 ? s.mode === 'keep' : s.combine === 'and' ? preds.every((p) => p(r)) : preds.some((p) => p(r));
    if (match === (s.mode === 'keep')) {
      keep.push(r);
      keepIds.push(ids[i]!);
    } else {
      gone.push(r);
      goneIds.push(ids[i]!);
    }
  }
  c.rb.rowsRemoved = gone.length;
  return { table: { ...t, rows: keep, rowIds: keepIds }, removed: { columns: t.columns.slice(), rows: gone, rowIds: goneIds } };
}

// ---------- fill / cap ----------
function numericColumn(t: Table, j: number): Cell[] {
  return t.rows.map((r) => r[j]!);
}

function fillStep(t: Table, s: Extract<RecipeStep, { op: 'fill' }>, c: Ctx): Table {
  const cols = present(t, s.columns, c);
  let rows = t.rows;
  const ids = rowIdsOf(t);
  for (const { name, j } of cols) {
    const col = numericColumn({ ...t, rows }, j);
    if (!col.some(isEmpty)) continue;
    let filled: Cell[];
    if (s.method === 'mean' || s.method === 'median' || s.method === 'linear' || s.method === 'knn') {
      if (s.method !== 'knn') expectType(t, name, c, NUMERIC_TYPES, 'numbers');
      if (s.method !== 'knn' && !expectNumeric({ ...t, rows }, j, name, c)) continue;
    }
    switch (s.method) {
      case 'mean':
      case 'median': {
        const m = s.method === 'mean' ? meanOf(col) : medianOf(col);
        if (m === null) {
          issue(c, { kind: 'no_values', column: name, message: `"${name}" has no numbers to take the ${s.method} of` });
          continue;
        }
        filled = col.map((v) => (isEmpty(v) ? m : v));
        break;
      }
      case 'mode': {
        const m = modeOf(col);
        filled = col.map((v) => (isEmpty(v) ? m : v));
        break;
      }
      case 'constant':
        filled = col.map((v) => (isEmpty(v) ? (s.value ?? null) : v));
        break;
      case 'ffill':
      case 'bfill':
        filled = forwardFill(col, s.method === 'bfill');
        break;
      case 'linear': {
        let x: (number | null)[] | undefined;
        if (s.by !== undefined) {
          const [b] = present(t, [s.by], c);
          if (!b) continue;
          x = rows.map((r) => xValue(r[b.j]!));
        }
        filled = linearFill(col, x);
        break;
      }
      case 'knn': {
        const feats = s.features
          ? present(t, s.features, c).filter((f) => f.j !== j)
          : t.columns
              .map((name2, j2) => ({ name: name2, j: j2 }))
              .filter((f) => f.j !== j && (t.types ? NUMERIC_TYPES.includes(t.types[f.name]!) : isMostlyNumeric(rows, f.j)));
        if (!feats.length) {
          issue(c, { kind: 'no_values', column: name, message: 'no numeric feature columns for kNN' });
          continue;
        }
        const res = knnFill(
          col,
          feats.map((f) => rows.map((r) => r[f.j]!)),
          s.k,
          s.seed,
        );
        filled = res.values;
        break;
      }
    }
    const next = rows.slice();
    for (let i = 0; i < next.length; i++) {
      const before = rows[i]![j]!;
      const after = filled[i]!;
      if (sameCell(before, after)) continue;
      const r = next[i]!.slice();
      r[j] = after;
      next[i] = r;
      c.rb.change(ids[i]!, name, before, after);
    }
    rows = next;
  }
  return withRows(t, rows);
}

function isMostlyNumeric(rows: Cell[][], j: number): boolean {
  let ne = 0;
  let num = 0;
  for (const r of rows) {
    const v = r[j]!;
    if (isEmpty(v)) continue;
    ne++;
    if (typeof v === 'number' || toNumber(v) !== null) num++;
  }
  return ne > 0 && num / ne >= 0.8;
}

function capStep(t: Table, s: Extract<RecipeStep, { op: 'cap' }>, c: Ctx): Table {
  const cols = present(t, s.columns, c);
  let rows = t.rows;
  for (const col of cols) {
    expectType(t, col.name, c, NUMERIC_TYPES, 'numbers');
    if (!expectNumeric({ ...t, rows }, col.j, col.name, c)) continue;
    const xs: number[] = [];
    let allInt = true;
    for (const r of rows) {
      const n = toNumber(r[col.j]!);
      if (n === null) continue;
      xs.push(n);
      if (!Number.isInteger(n)) allInt = false;
    }
    if (!xs.length) continue;
    const sorted = Float64Array.from(xs).sort();
    let lo: number;
    let hi: number;
    if (s.method === 'iqr') ({ lower: lo, upper: hi } = iqrFences(sorted, s.factor));
    else {
      lo = quantileSorted(sorted, Math.min(s.lower, s.upper));
      hi = quantileSorted(sorted, Math.max(s.lower, s.upper));
    }
    if (allInt && Math.ceil(lo) <= Math.floor(hi)) {
      lo = Math.ceil(lo);
      hi = Math.floor(hi);
    }
    rows = mapCells({ ...t, rows }, [col], c, (v) => {
      const n = toNumber(v);
      if (n === null || isEmpty(v)) return v;
      return n < lo ? lo : n > hi ? hi : v;
    });
  }
  return withRows(t, rows);
}

// ---------- validation ----------
function validateStep(t: Table, s: Extract<RecipeStep, { op: 'validate' }>, c: Ctx): void {
  const rule: Rule = s.rule;
  const ids = rowIdsOf(t);
  const name = s.name;
  switch (rule.kind) {
    case 'range': {
      const [col] = present(t, [rule.column], c);
      if (!col) return;
      expectType(t, col.name, c, NUMERIC_TYPES, 'numbers');
      t.rows.forEach((r, i) => {
        const v = r[col.j]!;
        if (isEmpty(v)) return;
        const n = toNumber(v);
        if (n === null) flag(c, ids[i]!, name, col.name, 'not a number');
        else if (rule.min !== undefined && n < rule.min) flag(c, ids[i]!, name, col.name, `${n} < ${rule.min}`);
        else if (rule.max !== undefined && n > rule.max) flag(c, ids[i]!, name, col.name, `${n} > ${rule.max}`);
      });
      return;
    }
    case 'regex': {
      const [col] = present(t, [rule.column], c);
      if (!col) return;
      const r = compileSafe(rule.pattern, rule.flags);
      if (!r.ok) return issue(c, { kind: 'invalid_regex', message: `regex refused: ${r.error}` });
      t.rows.forEach((row, i) => {
        const v = row[col.j]!;
        if (isEmpty(v)) return;
        const str = String(v);
        if (str.length > MAX_INPUT || !r.re.test(str)) flag(c, ids[i]!, name, col.name, 'does not match the pattern');
      });
      return;
    }
    case 'required': {
      const cols = present(t, rule.columns, c);
      t.rows.forEach((r, i) => {
        for (const col of cols) if (isEmpty(r[col.j]!)) flag(c, ids[i]!, name, col.name, 'empty');
      });
      return;
    }
    case 'unique': {
      const cols = present(t, rule.columns, c);
      if (!cols.length) return;
      const first = new Map<string, number>();
      t.rows.forEach((r, i) => {
        if (cols.every((col) => isEmpty(r[col.j]!))) return;
        const key = JSON.stringify(cols.map((col) => (isEmpty(r[col.j]!) ? null : mapKey(r[col.j]!, false))));
        const f = first.get(key);
        if (f === undefined) first.set(key, ids[i]!);
        else flag(c, ids[i]!, name, cols.map((x) => x.name).join(','), `duplicate of row ${f}`);
      });
      return;
    }
    case 'compare': {
      const cols = present(t, [rule.left, rule.right], c);
      if (cols.length < 2) return;
      const [a, b] = cols as [{ name: string; j: number }, { name: string; j: number }];
      const ok = (d: number) => (rule.op === 'eq' ? d === 0 : rule.op === 'ne' ? d !== 0 : rule.op === 'gt' ? d > 0 : rule.op === 'gte' ? d >= 0 : rule.op === 'lt' ? d < 0 : d <= 0);
      t.rows.forEach((r, i) => {
        const x = r[a.j]!;
        const y = r[b.j]!;
        if (isEmpty(x) || isEmpty(y)) return;
        const dx = typeof x === 'string' ? isoToDays(x.trim()) : NaN;
        const dy = typeof y === 'string' ? isoToDays(y.trim()) : NaN;
        const d = !Number.isNaN(dx) && !Number.isNaN(dy) ? dx - dy : compareCells(x, y);
        if (!ok(d)) flag(c, ids[i]!, name, `${a.name},${b.name}`, `${a.name} ${rule.op} ${b.name} fails (${String(x)} vs ${String(y)})`);
      });
      return;
    }
  }
}

// ---------- dispatcher ----------
/** Apply one parsed step (see RecipeStep in ./schema.ts) to a table. */
export function runStep(table: Table, step: RecipeStep, ctx: StepContext = {}): StepResult {
  const c: Ctx = { index: ctx.index ?? 0, strict: ctx.strict ?? true, op: step.op, issues: [], flags: [], rb: new ReportBuilder() };
  let t = table;
  let removed: Table | null = null;
  switch (step.op) {
    case 'trim':
      t = textStep(table, step.columns, c, (s) => trimText(s, step.collapse));
      break;
    case 'case':
      t = textStep(table, step.columns, c, step.mode === 'upper' ? (s) => s.toUpperCase() : step.mode === 'lower' ? (s) => s.toLowerCase() : titleCase);
      break;
    case 'nfkc':
      t = textStep(table, step.columns, c, nfkc);
      break;
    case 't2s':
      t = textStep(table, step.columns, c, (s) => toSimplified(s, step.from));
      break;
    case 'phone':
      for (const name of step.columns) if (table.columns.includes(name)) expectType(table, name, c, ['phone', 'text', 'category', 'id', 'integer'], 'phone numbers');
      t = typedStep(table, step.columns, c, 'phone numbers', 'phone', step.onInvalid, (v) => {
        const r = normalizePhone(v!, step.defaultCountry as CountryCode);
        if (!r.ok) return r;
        return { ok: true, value: r.e164, ...(r.kind === 'landline' && step.flagLandline ? { note: 'landline' } : {}) };
      });
      break;
    case 'email':
      for (const name of step.columns) if (table.columns.includes(name)) expectType(table, name, c, ['email', 'text', 'category', 'id'], 'e-mail addresses');
      t = typedStep(table, step.columns, c, 'e-mail addresses', 'email', step.onInvalid, (v) => {
        if (typeof v !== 'string') return { ok: false, reason: 'not_text' };
        const r = normalizeEmail(v, step);
        return r.ok ? { ok: true, value: r.email } : r;
      });
      break;
    case 'date':
      for (const name of step.columns) if (table.columns.includes(name)) expectType(table, name, c, [...DATE_TYPES, 'text', 'category', 'integer', 'id'], 'dates');
      t = typedStep(table, step.columns, c, 'dates', 'date', step.onInvalid, (v) => {
        const d = normalizeDate(v!, step);
        return d ? { ok: true, value: d } : { ok: false, reason: 'unparsed_date' };
      });
      break;
    case 'currency':
      for (const name of step.columns) if (table.columns.includes(name)) expectType(table, name, c, [...NUMERIC_TYPES, 'text', 'category'], 'amounts');
      t = typedStep(table, step.columns, c, 'amounts', 'currency', step.onInvalid, (v) => {
        const n = parseMoney(v!);
        return n !== null ? { ok: true, value: n } : { ok: false, reason: 'unparsed_amount' };
      });
      break;
    case 'map':
      t = mapStep(table, step, c);
      break;
    case 'split':
      t = splitStep(table, step, c);
      break;
    case 'merge':
      t = mergeStep(table, step, c);
      break;
    case 'derive':
      t = deriveStep(table, step, c);
      break;
    case 'regexExtract':
      t = regexExtractStep(table, step, c);
      break;
    case 'regexReplace':
      t = regexReplaceStep(table, step, c);
      break;
    case 'filter': {
      const r = filterStep(table, step, c);
      t = r.table;
      removed = r.removed;
      break;
    }
    case 'fill':
      t = fillStep(table, step, c);
      break;
    case 'cap':
      t = capStep(table, step, c);
      break;
    case 'validate':
      validateStep(table, step, c);
      break;
  }
  return { table: t, removed, flags: c.flags, issues: c.issues, report: c.rb.build() };
}

/** The columns a step reads (for replay's misfit report and the UI). */
export function stepColumns(step: RecipeStep): string[] {
  switch (step.op) {
    case 'split':
    case 'regexExtract':
      return [step.column];
    case 'derive':
      return step.args;
    case 'filter':
      return step.conditions.map((c) => c.column);
    case 'fill':
      return [...step.columns, ...(step.by ? [step.by] : []), ...(step.features ?? [])];
    case 'validate': {
      const r = step.rule;
      return r.kind === 'compare' ? [r.left, r.right] : r.kind === 'required' || r.kind === 'unique' ? r.columns : [r.column];
    }
    default:
      return step.columns;
  }
}
