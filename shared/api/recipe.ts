/**
 * Cleaning recipes as data: a zod schema for every step (a discriminated union on `op`) and the
 * recipe `{ version: 1, steps }`. A recipe is plain JSON, saved with a dataset and replayed on
 * next month's file, so everything a step does is in its parameters — no user code is ever
 * evaluated: derivations are a fixed list, regexes are checked by ./regex.ts before use.
 * Defaults are filled by the schema (parse a recipe before running it: `Recipe.parse(json)`).
 * `source` optionally records the columns (and types) the recipe was built on, so a replay can
 * tell "column of another type" apart from "missing column".
 */
import { z } from 'zod';
import { COLUMN_TYPES, type ColumnType } from '../types';

const col = z.string().min(1).max(200);
const cols = z.array(col).min(1).max(500);
const scalar = z.union([z.string().max(10_000), z.number(), z.null()]);
const pattern = z.string().min(1).max(500);
const flags = z.string().regex(/^[imsu]*$/, 'regex flags: only i, m, s, u').max(4).default('');
const label = z.string().max(200).optional();

export const TrimStep = z.object({ op: z.literal('trim'), columns: cols, collapse: z.boolean().default(true), label }).strict();
export const CaseStep = z.object({ op: z.literal('case'), columns: cols, mode: z.enum(['upper', 'lower', 'title']), label }).strict();
export const NfkcStep = z.object({ op: z.literal('nfkc'), columns: cols, label }).strict();
export const T2sStep = z.object({ op: z.literal('t2s'), columns: cols, from: z.enum(['tw', 'twp', 'hk', 't']).default('tw'), label }).strict();
export const PhoneStep = z
  .object({
    op: z.literal('phone'),
    columns: cols,
    defaultCountry: z.string().regex(/^[A-Z]{2}$/).default('CN'),
    flagLandline: z.boolean().default(true),
    /** Invalid numbers: 'keep' as written (default) or set to null; both are flagged. */
    onInvalid: z.enum(['keep', 'null']).default('keep'),
    label,
  })
  .strict();
export const EmailStep = z
  .object({ op: z.literal('email'), columns: cols, gmailDots: z.boolean().default(false), plusTags: z.boolean().default(false), onInvalid: z.enum(['keep', 'null']).default('keep'), label })
  .strict();
export const DateStep = z
  .object({
    op: z.literal('date'),
    columns: cols,
    order: z.enum(['ymd', 'dmy', 'mdy']).default('mdy'),
    output: z.enum(['date', 'datetime', 'auto']).default('auto'),
    excelSerial: z.boolean().default(true),
    onInvalid: z.enum(['keep', 'null']).default('keep'),
    label,
  })
  .strict();
export const CurrencyStep = z.object({ op: z.literal('currency'), columns: cols, onInvalid: z.enum(['keep', 'null']).default('keep'), label }).strict();
export const MapStep = z
  .object({
    op: z.literal('map'),
    columns: cols,
    entries: z.array(z.object({ from: z.array(scalar).min(1).max(1000), to: scalar }).strict()).min(1).max(2000),
    caseInsensitive: z.boolean().default(true),
    /** Values in no entry: keep them, set them to null, or set them to `otherValue`. */
    unmatched: z.enum(['keep', 'null', 'other']).default('keep'),
    otherValue: scalar.optional(),
    label,
  })
  .strict();
export const SplitStep = z
  .object({
    op: z.literal('split'),
    column: col,
    delimiter: z.string().min(1).max(50).optional(),
    regex: pattern.optional(),
    flags,
    into: z.array(col).min(1).max(50),
    /** The text after the last split goes into the last column ('last', default) or is dropped. */
    rest: z.enum(['last', 'drop']).default('last'),
    keepOriginal: z.boolean().default(true),
    label,
  })
  .strict()
  .refine((s) => (s.delimiter === undefined) !== (s.regex === undefined), { message: 'split: give either delimiter or regex' });
export const MergeStep = z
  .object({ op: z.literal('merge'), columns: z.array(col).min(2).max(50), into: col, separator: z.string().max(50).default(' '), skipEmpty: z.boolean().default(true), keepOriginal: z.boolean().default(true), label })
  .strict();
export const DERIVATIONS = ['year', 'month', 'day', 'quarter', 'weekday', 'length', 'concat', 'add', 'sub', 'mul', 'div', 'daysBetween'] as const;
export type Derivation = (typeof DERIVATIONS)[number];
export const DeriveStep = z
  .object({
    op: z.literal('derive'),
    into: col,
    fn: z.enum(DERIVATIONS),
    /** Input columns: one for year/month/day/quarter/weekday/length, two or more for concat, one or two for arithmetic/daysBetween. */
    args: z.array(col).min(1).max(20),
    /** Second operand of arithmetic when only one column is given. */
    constant: z.number().optional(),
    separator: z.string().max(50).default(''),
    label,
  })
  .strict();
export const RegexExtractStep = z
  .object({ op: z.literal('regexExtract'), column: col, pattern, flags, group: z.union([z.number().int().min(0).max(99), z.string().min(1).max(50)]).default(1), into: col, label })
  .strict();
export const RegexReplaceStep = z.object({ op: z.literal('regexReplace'), columns: cols, pattern, flags, replacement: z.string().max(1000), label }).strict();

export const CONDITION_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'contains', 'notContains', 'regex', 'empty', 'notEmpty', 'in', 'notIn'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];
export const Condition = z
  .object({
    column: col,
    op: z.enum(CONDITION_OPS),
    value: scalar.optional(),
    value2: scalar.optional(),
    values: z.array(scalar).max(10_000).optional(),
    caseInsensitive: z.boolean().default(false),
  })
  .strict();
export type Condition = z.infer<typeof Condition>;
export const FilterStep = z
  .object({
    op: z.literal('filter'),
    conditions: z.array(Condition).min(1).max(50),
    combine: z.enum(['and', 'or']).default('and'),
    /** 'keep' keeps the rows that match; 'remove' removes them. Removed rows are returned, never lost. */
    mode: z.enum(['keep', 'remove']).default('keep'),
    label,
  })
  .strict();
export const FillStep = z
  .object({
    op: z.literal('fill'),
    columns: cols,
    method: z.enum(['mean', 'median', 'mode', 'constant', 'ffill', 'bfill', 'linear', 'knn']),
    value: scalar.optional(),
    /** linear: interpolate against this date (or numeric) column instead of the row order. */
    by: col.optional(),
    /** knn: neighbours and the numeric feature columns (default: every other numeric column). */
    k: z.number().int().min(1).max(100).default(5),
    features: z.array(col).max(100).optional(),
    seed: z.number().int().min(0).max(2 ** 31).default(0),
    label,
  })
  .strict();
export const CapStep = z
  .object({
    op: z.literal('cap'),
    columns: cols,
    method: z.enum(['iqr', 'percentile']).default('iqr'),
    factor: z.number().positive().max(100).default(1.5),
    lower: z.number().min(0).max(1).default(0.01),
    upper: z.number().min(0).max(1).default(0.99),
    label,
  })
  .strict();
export const Rule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('range'), column: col, min: z.number().optional(), max: z.number().optional() }).strict(),
  z.object({ kind: z.literal('regex'), column: col, pattern, flags }).strict(),
  z.object({ kind: z.literal('required'), columns: cols }).strict(),
  z.object({ kind: z.literal('unique'), columns: cols }).strict(),
  z.object({ kind: z.literal('compare'), left: col, op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte']), right: col }).strict(),
]);
export type Rule = z.infer<typeof Rule>;
export const ValidateStep = z.object({ op: z.literal('validate'), name: z.string().min(1).max(200), rule: Rule, label }).strict();

export const RecipeStep = z.discriminatedUnion('op', [
  TrimStep,
  CaseStep,
  NfkcStep,
  T2sStep,
  PhoneStep,
  EmailStep,
  DateStep,
  CurrencyStep,
  MapStep,
  SplitStep,
  MergeStep,
  DeriveStep,
  RegexExtractStep,
  RegexReplaceStep,
  FilterStep,
  FillStep,
  CapStep,
  ValidateStep,
]);
export type RecipeStep = z.infer<typeof RecipeStep>;
export type RecipeStepInput = z.input<typeof RecipeStep>;
export type StepOp = RecipeStep['op'];

export const Recipe = z
  .object({
    version: z.literal(1),
    steps: z.array(RecipeStep).max(500),
    source: z.object({ columns: z.array(z.object({ name: col, type: z.enum(COLUMN_TYPES as [ColumnType, ...ColumnType[]]).optional() }).strict()).max(2000) }).strict().optional(),
  })
  .strict();
export type Recipe = z.infer<typeof Recipe>;
export type RecipeInput = z.input<typeof Recipe>;
