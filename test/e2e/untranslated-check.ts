/**
 * The rule behind the "no untranslated text in zh" check: a visible string is flagged when it has a
 * Latin word of 3+ letters that is not a product name or unit, or an English-formatted date/time.
 * Pure, so a unit test can show it does flag English (test/unit/i18n/untranslated.test.ts).
 */

// Names and units that stay Latin in the Chinese UI (compared case-sensitively).
export const LATIN_ALLOWLIST = new Set([
  'Segmint', 'RFM', 'SMS', 'CSV', 'TSV', 'TXT', 'Excel', 'xlsx', 'HTML', 'PDF', 'PNG', 'JSON', 'SQL', 'SQLite', 'SQLCipher',
  'ID', 'AUC', 'ROC', 'NPS', 'CLV', 'BG', 'NBD', 'Gamma', 'means', 'KPI', 'GBK', 'UTF', 'BOM', 'NUL', 'Big5', 'GB18030', 'gbk', 'gb18030', 'utf', 'big5', 'latin1',
  'Cohen', 'Fellegi', 'Sunter', 'Jaro', 'Winkler', 'APP', 'UCS', 'log1p', 'z-score', 'min-max',
  'ROI', 'Wilson', 'SVG', 'English', 'linux', 'darwin', 'win32',
  'Alt', 'Ctrl', 'Enter', 'Esc', 'TF', 'IDF', 'TF-IDF', 'jieba', 'URL', 'API', 'YYYY', 'MM', 'DD', 'A/B', 'Top', 'PostgreSQL', 'ClickHouse', 'MySQL',
  'IQR', 'MAD', 'CSAT', 'Electron', 'Chromium', 'CRM', 'ECharts', 'logreg', 'Qini', 'Apriori', 'Holt', 'Winters', 'SHA', 'AES', 'HMAC', 'ETS',
  'alive', // P(alive), the BG/NBD notation, always beside 存活概率
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
    // e-mail addresses, file paths and `segmint …` command lines are not UI words
    const words = (text.replace(/\bsegmint(?: --?[a-z][-a-z]*| [a-z]+)+|\S+@\S+|(?<!\w)(?:\/[^\s/]+){2,}\/?/g, ' ').match(LATIN_WORD) ?? []).filter((w) => !allowed(w, allow));
    if (EN_DATE.test(text)) words.push('<en date>');
    if (words.length) out.push({ text: text.length > 160 ? text.slice(0, 160) + '…' : text, words });
  }
  return out;
}

function allowed(word: string, allow: ReadonlySet<string>): boolean {
  if (allow.has(word)) return true;
  // ids, hashes and numbered codes (ds_9, dd_19d5d2a428ac, Q4) are not words
  if (/\d/.test(word)) return true;
  // compound tokens (k-means, BG/NBD, TF-IDF): fine when every Latin part is fine
  const parts = word.split(/[-/]/).filter((p) => /[A-Za-z]/.test(p));
  if (parts.length > 1 || parts[0] !== word) return parts.every((p) => allowed(p, allow));
  // short codes and symbols (p, z, k, n) are not words
  return word.length < 3;
}
