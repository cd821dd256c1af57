/**
 * The rule behind the "no untranslated text in zh" check: a visible string is flagged when it has a
 * Latin word of 3+ letters that is not a product name or unit, or an English-formatted date/time.
 * Pure, so a unit test can show it does flag English (test/unit/i18n/untranslated.test.ts).
 */

// Names and units that stay Latin in the Chinese UI (compared case-sensitively).
export const LATIN_ALLOWLIST = new Set([
  'Segmint', 'RFM', 'SMS', 'CSV', 'TSV', 'TXT', 'Excel', 'xlsx', 'HTML', 'PDF', 'PNG', 'JSON', 'SQL', 'SQLite', 'SQLCipher',
  'ID', 'AUC', 'ROC', 'NPS', 'CLV', 'BG', 'NBD', 'Gamma', 'means', 'KPI', 'GBK', 'UTF', 'BOM', 'NUL', 'Big5', 'GB18030', 'gbk', 'gb18030', 'utf', 'big5', 'latin1',
  'Alt', 'Ctrl', 'Enter', 'Esc', 'TF', 'IDF', 'TF-IDF', 'jieba', 'URL', 'API', 'YYYY', 'MM', 'DD', 'A/B', 'Top', 'PostgreSQL', 'ClickHouse', 'MySQL',
  'IQR', 'MAD', 'CSAT', 'Electron', 'Chromium', 'CRM', 'ECharts', 'logreg', 'Qini', 'Apriori', 'Holt', 'Winters', 'SHA', 'AES', 'HMAC', 'ETS',
]);

// 12/3/2026, 7:21:37 AM · 12/3/2026 · Dec 3, 2026 (the month name is caught as a Latin word anyway)
const EN_DATE = /\b\d{1,2}\/\d{1,2}\/\d{4}\b|\b\d{1,2}:\d{2}(?::\d{2})?\s?[AP]M\b/;
const LATIN_WORD = /[A-Za-z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*/g;

export interface Finding {
  text: string;
  words: string[];
}

/** The strings (one per visible text node/line) that still show English or English-formatted dates. */
export function untranslated(lines: string[], allow: ReadonlySet<string> = LATIN_ALLOWLIST): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const raw of lines) {
    const text = raw.trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    const words = (text.match(LATIN_WORD) ?? []).filter((w) => !allowed(w, allow));
    if (EN_DATE.test(text)) words.push('<en date>');
    if (words.length) out.push({ text: text.length > 160 ? text.slice(0, 160) + '…' : text, words });
  }
  return out;
}

function allowed(word: string, allow: ReadonlySet<string>): boolean {
  if (allow.has(word)) return true;
  // compound tokens (k-means, BG/NBD, TF-IDF, UTF-8): fine when every Latin part is fine
  const parts = word.split(/[-/]/).filter((p) => /[A-Za-z]/.test(p));
  if (parts.length > 1) return parts.every((p) => allowed(p, allow));
  const letters = word.replace(/[^A-Za-z]/g, '');
  // short codes (p, z, k, ds_1, Q4, 2xx) are not words
  return letters.length < 3 || /^[A-Z]\d|\d/.test(word) && letters.length < 3;
}
