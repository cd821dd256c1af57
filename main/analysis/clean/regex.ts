/**
 * User regexes, made safe enough to run on every cell (pure).
 *
 * JavaScript has no regex timeout, so instead of timing out we refuse the pattern shapes that
 * backtrack catastrophically and bound the input:
 *   - a quantified group that itself contains a quantifier or an alternation — (a+)+, (a*)*,
 *     (\w+\s?)*, (a|aa)+, (?:x+y?){2,} — the nested-quantifier / star-height > 1 shape;
 *   - back-references (\1, \k<name>) and lookbehind, which make matching non-regular;
 *   - patterns over 500 characters; invalid syntax (the message from the engine is returned).
 * Cells longer than MAX_INPUT (10,000 characters) are not matched; the caller reports them.
 * Only the flags i, m, s, u are allowed (g is added by the steps that need it, y is never used).
 * This is a conservative filter: a few harmless patterns are refused (e.g. (ab|cd)+ with
 * disjoint branches) — the message says which part to rewrite.
 */

export const MAX_PATTERN = 500;
export const MAX_INPUT = 10_000;

export type SafeRegex = { ok: true; re: RegExp } | { ok: false; error: string };

/** Scan the pattern for quantified groups whose body has a quantifier or a '|'. */
function riskyGroup(p: string): string | null {
  // stack of groups: start index, whether the body so far has a quantifier / alternation
  const stack: { start: number; risky: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n !== undefined && /[1-9]/.test(n) && !inClass) return 'back-references (\\1 …) are not allowed';
      if (n === 'k' && p[i + 2] === '<' && !inClass) return 'named back-references (\\k<…>) are not allowed';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      if (p.startsWith('(?<=', i) || p.startsWith('(?<!', i)) return 'lookbehind is not allowed';
      stack.push({ start: i, risky: false });
      continue;
    }
    const isQuant = c === '*' || c === '+' || (c === '{' && /^\{\d+,\d*\}/.test(p.slice(i)));
    if (c === ')') {
      const g = stack.pop();
      if (!g) continue; // unbalanced: the RegExp constructor reports it
      const next = p[i + 1];
      const quantified = next === '*' || next === '+' || (next === '{' && /^\{\d+,\d*\}/.test(p.slice(i + 1))) || (next === '{' && /^\{(\d+)\}/.test(p.slice(i + 1)) && Number(/^\{(\d+)\}/.exec(p.slice(i + 1))![1]) > 1);
      if (quantified && g.risky) return `the group at position ${g.start} repeats something that itself repeats or alternates (catastrophic backtracking); rewrite it without nesting`;
      // A group's content makes its parent risky when the group is quantified or itself risky.
      if (stack.length && (quantified || g.risky || next === '?')) stack[stack.length - 1]!.risky = true;
      continue;
    }
    if (stack.length && (c === '|' || isQuant || (c === '?' && p[i - 1] !== '('))) {
      // an optional part inside a repeated group is ambiguous too ('(a?)+'); '(?' opens a group kind
      stack[stack.length - 1]!.risky = true;
    }
  }
  return null;
}

/** Compile a user regex after the safety checks. `extraFlags` (e.g. 'g') are added. */
export function compileSafe(pattern: string, flags = '', extraFlags = ''): SafeRegex {
  if (typeof pattern !== 'string' || pattern.length === 0) return { ok: false, error: 'empty pattern' };
  if (pattern.length > MAX_PATTERN) return { ok: false, error: `pattern longer than ${MAX_PATTERN} characters` };
  if (!/^[imsu]*$/.test(flags)) return { ok: false, error: 'only the flags i, m, s, u are allowed' };
  const risk = riskyGroup(pattern);
  if (risk) return { ok: false, error: risk };
  try {
    return { ok: true, re: new RegExp(pattern, Array.from(new Set(flags + extraFlags)).join('')) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
