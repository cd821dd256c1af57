/**
 * Spreadsheet formula-injection ("CSV injection") neutralisation for exported cells.
 *
 * Rule: only strings are touched. A string whose first character is '=', '+', '-', '@', a tab
 * or a carriage return — or the full-width forms ＝ ＋ － ＠, a cheap precaution for spreadsheets
 * that fold them (not verified in any one product) — gets a leading apostrophe, which
 * spreadsheets read as "this is text", so '=HYPERLINK(…)' or '@SUM(…)' never runs when the file
 * is opened. Numbers, booleans, dates, null stay as they are: a number cell cannot hold a formula.
 *
 * Decision on numeric strings: a string that is a plain decimal number ('-5', '+5', '-0.25',
 * '1e-3', '+8613812341234') is NOT prefixed. A spreadsheet reads it as a number, and a plain
 * number cannot carry a formula, so prefixing would only corrupt negative amounts and E.164
 * phones. Anything more ('-1+1', '-5 ', '+86 138…' with spaces, '-A1') is prefixed.
 *
 * Not covered: cells that start with white space before '=' (spreadsheets treat them as text),
 * and payloads aimed at other programs than spreadsheets.
 */

const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const FORMULA_TRIGGERS: readonly string[] = [...TRIGGERS];

/** Whether a string would be read as a formula (or a DDE payload) by a spreadsheet. */
export function needsNeutralising(s: string): boolean {
  return s.length > 0 && TRIGGERS.has(s[0]!) && !PLAIN_NUMBER.test(s);
}

/** A string with a formula trigger gets a leading "'"; every other value is returned unchanged. */
export function sanitizeCell<T>(value: T): T | string {
  return typeof value === 'string' && needsNeutralising(value) ? "'" + value : value;
}
