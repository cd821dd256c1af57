/**
 * Message templates with merge fields, e.g. `{姓名|顾客}您好，您的积分{积分}即将到期`.
 *
 * Syntax: `{field}` inserts a column's value; `{field|fallback}` inserts the fallback when the
 * value is empty (null, '' or white space); `{field|}` is an explicitly optional field (empty,
 * not reported missing). Field names are trimmed; a fallback is kept exactly as written, cannot
 * contain braces, and a second '|' is part of it. `{{` and `}}` are a literal '{' and '}'.
 * Errors (codes + params in `details`, with ready en/zh text in the app's ErrorInfo shape from
 * shared/errors.ts): template.empty, template.unclosed, template.stray_brace,
 * template.nested_brace, template.empty_field, template.unknown_field (with a suggestion when
 * a column differs only in case, width or spaces). Positions are UTF-16 offsets (as a textarea's
 * selectionStart).
 *
 * Rendering: values are trimmed; numbers as their decimal text; Date objects as 'YYYY-MM-DD'
 * (or 'YYYY-MM-DD HH:MM:SS' when they carry a time, UTC). Each rendered message gets its SMS
 * segment count from main/analysis/sms/segments.ts, and `spillover` = it needs more segments
 * than the baseline — the template rendered with every field replaced by its fallback ('' if
 * none) — the case of a long name or a Chinese name turning a GSM-7 message into UCS-2.
 */
import { AppError, type ErrorInfo } from '../../shared/errors';
import { countSmsSegments, type SmsSegments } from '../analysis/sms/segments';

export type TemplatePart = { type: 'text'; text: string } | { type: 'field'; name: string; fallback: string | null; start: number; end: number };

export interface ParsedTemplate {
  source: string;
  parts: TemplatePart[];
  /** Distinct field names in order of first use. */
  fields: string[];
  errors: ErrorInfo[];
}

export interface CompiledTemplate extends ParsedTemplate {
  /** Segments of the template rendered with the fallbacks (the spill-over baseline). */
  baseline: SmsSegments;
}

export interface TemplateValidation {
  ok: boolean;
  errors: ErrorInfo[];
  fields: string[];
  unknownFields: string[];
}

export interface RenderedMessage {
  text: string;
  segments: SmsSegments;
  /** More segments than the baseline. */
  spillover: boolean;
  /** segments − baseline segments (≥ 0 when spilling; may be negative for a shorter value). */
  extraSegments: number;
  /** Fields whose value was empty and were replaced by their fallback. */
  usedFallback: string[];
  /** Fields whose value was empty and that have no fallback (rendered as ''). */
  missing: string[];
}

const err = (code: string, en: string, zh: string, details: Record<string, unknown>): ErrorInfo => ({ code, en, zh, details });

export function parseTemplate(text: string): ParsedTemplate {
  const source = String(text ?? '');
  const parts: TemplatePart[] = [];
  const errors: ErrorInfo[] = [];
  const fields: string[] = [];
  let buf = '';
  const flush = () => {
    if (buf) parts.push({ type: 'text', text: buf });
    buf = '';
  };
  if (source.trim() === '') errors.push(err('template.empty', 'The message template is empty.', '短信模板为空。', {}));
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '{') {
      if (source[i + 1] === '{') {
        buf += '{';
        i += 2;
        continue;
      }
      const close = source.indexOf('}', i + 1);
      const open = source.indexOf('{', i + 1);
      if (close < 0) {
        errors.push(err('template.unclosed', `A '{' at position ${i + 1} is never closed; write {{ for a literal brace.`, `第 ${i + 1} 个字符处的“{”没有闭合；如需输出字面的大括号请写 {{。`, { position: i }));
        buf += source.slice(i);
        break;
      }
      if (open >= 0 && open < close) {
        errors.push(err('template.nested_brace', `A '{' at position ${open + 1} is inside a field; fields cannot be nested.`, `第 ${open + 1} 个字符处的“{”位于字段内部；字段不能嵌套。`, { position: open }));
        buf += source.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      const inner = source.slice(i + 1, close);
      const bar = inner.indexOf('|');
      const name = (bar < 0 ? inner : inner.slice(0, bar)).trim();
      const fallback = bar < 0 ? null : inner.slice(bar + 1);
      if (!name) {
        errors.push(err('template.empty_field', `The field at position ${i + 1} has no name.`, `第 ${i + 1} 个字符处的字段没有名称。`, { position: i }));
      } else {
        flush();
        parts.push({ type: 'field', name, fallback, start: i, end: close + 1 });
        if (!fields.includes(name)) fields.push(name);
      }
      i = close + 1;
    } else if (c === '}') {
      if (source[i + 1] === '}') {
        buf += '}';
        i += 2;
        continue;
      }
      errors.push(err('template.stray_brace', `A '}' at position ${i + 1} closes nothing; write }} for a literal brace.`, `第 ${i + 1} 个字符处的“}”没有对应的“{”；如需输出字面的大括号请写 }}。`, { position: i }));
      buf += '}';
      i++;
    } else {
      buf += c;
      i++;
    }
  }
  flush();
  return { source, parts, fields, errors };
}

const loose = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** Parse errors plus every field that is not one of `availableColumns` (exact match). */
export function validateTemplate(template: string | ParsedTemplate, availableColumns: readonly string[]): TemplateValidation {
  const p = typeof template === 'string' ? parseTemplate(template) : template;
  const cols = new Set(availableColumns);
  const unknownFields = p.fields.filter((f) => !cols.has(f));
  const errors = [...p.errors];
  for (const field of unknownFields) {
    const suggestion = availableColumns.find((c) => loose(c) === loose(field)) ?? null;
    const hintEn = suggestion ? ` Did you mean {${suggestion}}?` : '';
    const hintZh = suggestion ? `是否应为 {${suggestion}}？` : '';
    errors.push(err('template.unknown_field', `The field {${field}} is not a column of this list.${hintEn}`, `字段 {${field}} 不是本名单中的列。${hintZh}`, { field, suggestion }));
  }
  return { ok: errors.length === 0, errors, fields: p.fields, unknownFields };
}

/** Parse and fix the spill-over baseline; throws AppError('template.invalid') on parse errors. */
export function compileTemplate(text: string | ParsedTemplate): CompiledTemplate {
  const p = typeof text === 'string' ? parseTemplate(text) : text;
  const fatal = p.errors.filter((e) => e.code !== 'template.empty');
  if (fatal.length) {
    throw new AppError('template.invalid', `The message template has errors: ${fatal.map((e) => e.en).join(' ')}`, `短信模板有误：${fatal.map((e) => e.zh).join('')}`, { errors: fatal });
  }
  const baselineText = renderTemplateParts(p.parts, () => '').text;
  return { ...p, baseline: countSmsSegments(baselineText) };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Cell value → the text that goes into a message ('' when empty). */
export function fieldText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const d = `${v.getUTCFullYear()}-${pad2(v.getUTCMonth() + 1)}-${pad2(v.getUTCDate())}`;
    const hasTime = v.getUTCHours() || v.getUTCMinutes() || v.getUTCSeconds();
    return hasTime ? `${d} ${pad2(v.getUTCHours())}:${pad2(v.getUTCMinutes())}:${pad2(v.getUTCSeconds())}` : d;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return String(v).trim();
}

function renderTemplateParts(parts: TemplatePart[], get: (name: string) => string) {
  const usedFallback: string[] = [];
  const missing: string[] = [];
  let out = '';
  for (const part of parts) {
    if (part.type === 'text') {
      out += part.text;
      continue;
    }
    const v = get(part.name);
    if (v !== '') out += v;
    else if (part.fallback !== null) {
      out += part.fallback;
      if (!usedFallback.includes(part.name)) usedFallback.push(part.name);
    } else if (!missing.includes(part.name)) missing.push(part.name);
  }
  return { text: out, usedFallback, missing };
}

/**
 * Render one message for one record (keys = column names). Pass a CompiledTemplate when
 * rendering many records so the template is parsed once.
 */
export function renderTemplate(template: string | CompiledTemplate, record: Readonly<Record<string, unknown>>): RenderedMessage {
  const t = typeof template === 'string' ? compileTemplate(template) : template;
  const r = renderTemplateParts(t.parts, (name) => fieldText(record[name]));
  const segments = countSmsSegments(r.text);
  const extraSegments = segments.segments - t.baseline.segments;
  return { text: r.text, segments, spillover: extraSegments > 0, extraSegments, usedFallback: r.usedFallback, missing: r.missing };
}
