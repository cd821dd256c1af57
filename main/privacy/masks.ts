/**
 * Display masks for personal data (pure; string in, string out). A mask hides enough to stop a
 * reader from contacting or identifying the person while keeping what a marketer needs to check
 * a list by eye (the carrier prefix and last digits of a phone, the surname, the mail domain).
 * Masks are one-way and not unique — to join files use pseudonyms (./pseudonym.ts).
 *
 * Rules (input is NFKC-normalised and trimmed first, so full-width digits count as digits):
 * - phone: a Chinese mobile (11 digits 1[3-9]…, optionally +86 / 0086 / 86, any spaces, dashes,
 *   dots, parentheses or slashes) → '138****1234', with a country code '+86 138****1234'. Any
 *   other number keeps its last min(4, ⌊digits/2⌋) digits; every other digit becomes '*' and
 *   the non-digits ('+', '-', '/', spaces, parentheses) stay where they were. A value without a
 *   digit is not a number and is returned as is ('无', 'N/A').
 * - name: a run of Han or Hangul characters keeps its surname — the first character, or the
 *   first two when they are a compound surname (欧阳, 司马 … COMPOUND_SURNAMES; 单于 is left out
 *   because 单 is the far commoner reading) and the run is longer than two — and every other
 *   character becomes '*' (张三 → 张*, 欧阳娜娜 → 欧阳**). A run of other letters (a Latin word)
 *   keeps its first letter (John Smith → J*** S****, O'Brien → O'B****). Separators (spaces,
 *   '·', '-', ''') stay. A one-character value becomes '*'.
 * - email: the local part becomes its first character + '***' (a fixed width, so the length is
 *   hidden; a one-character local part becomes '***'); the domain is kept (alice@example.com →
 *   a***@example.com). Without an '@' the generic rule applies.
 * - id_number: a Chinese resident ID (18 characters: 17 digits + digit or X; spaces and dashes
 *   ignored) keeps the first 3 and last 4 (110***********1234) — the birth date (digits 7–14)
 *   and most of the region code are hidden; a 15-digit old-style ID likewise (110********1234).
 *   Any other id: the generic rule.
 * - address: a Chinese address keeps its administrative prefix (province / prefecture city /
 *   district or county, e.g. 北京市朝阳区) and the rest becomes '****'; anything else keeps only
 *   its last comma-separated part (city / country) when it has one, else becomes '****'.
 * - generic: letters and digits become '*' except the last min(4, ⌊count/2⌋); separators stay.
 */
import { parseEmail, parsePhone } from '../kernel/values';

export type PiiKind = 'phone' | 'name' | 'email' | 'id_number' | 'address';
export type MaskKind = PiiKind | 'generic';
export const PII_KINDS: PiiKind[] = ['phone', 'name', 'email', 'id_number', 'address'];

/** Common Chinese compound surnames (Simplified, plus the Traditional forms that differ). */
export const COMPOUND_SURNAMES: readonly string[] = [
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕',
  '令狐', '端木', '独孤', '南宫', '西门', '万俟', '闻人', '澹台', '公冶', '宗政', '濮阳', '淳于', '太叔', '申屠',
  '仲孙', '钟离', '赫连', '呼延', '羊舌', '微生', '梁丘', '左丘', '东门', '百里', '东郭', '南门', '第五', '公羊',
  '谷梁', '司空', '司寇', '亓官', '鲜于', '闾丘', '子车', '巫马', '公西', '漆雕', '乐正', '壤驷', '公良', '拓跋',
  '夹谷', '宰父', '段干', '东里', '范姜', '张简',
  '歐陽', '司馬', '諸葛', '東方', '尉遲', '公孫', '長孫', '軒轅', '獨孤', '南宮', '西門', '聞人', '鍾離', '赫連',
  '東門', '東郭', '穀梁', '鮮于', '閭丘', '子車', '巫馬', '漆雕', '樂正', '壤駟', '宰父', '張簡',
];
const COMPOUND = new Set(COMPOUND_SURNAMES);

const norm = (v: unknown): string => String(v).normalize('NFKC').trim();
const stars = (n: number): string => '*'.repeat(Math.max(0, n));

// ---------- generic ----------

/** Letters and digits become '*' except the last min(4, ⌊count/2⌋); everything else stays. */
export function maskGeneric(value: string): string {
  const s = norm(value);
  const chars = [...s];
  const isAlnum = (c: string) => /[\p{L}\p{N}]/u.test(c);
  const n = chars.filter(isAlnum).length;
  return maskKeepingLast(chars, isAlnum, Math.min(4, Math.floor(n / 2)));
}

/** Replace the characters selected by `isTarget` with '*', except the last `keep` of them. */
function maskKeepingLast(chars: string[], isTarget: (c: string) => boolean, keep: number): string {
  let seen = chars.filter(isTarget).length;
  return chars
    .map((c) => {
      if (!isTarget(c)) return c;
      return seen-- > keep ? '*' : c;
    })
    .join('');
}

// ---------- phone ----------

const CN_MOBILE = /^(\+86|0086|86)?(1[3-9]\d{9})$/;
const PHONE_SEPARATORS = /[\s\-().\/]/g;

export function maskPhone(value: string): string {
  const s = norm(value);
  if (!s) return s;
  const m = CN_MOBILE.exec(s.replace(PHONE_SEPARATORS, ''));
  if (m) {
    const n = m[2]!;
    // the national form, whatever prefix it was written with: '+86 138****1234' opened in a
    // spreadsheet reads as a formula and gets escaped ("'+86 …"); a Chinese reader needs no +86
    return n.slice(0, 3) + '****' + n.slice(7);
  }
  const chars = [...s];
  const isDigit = (c: string) => c >= '0' && c <= '9';
  const n = chars.filter(isDigit).length;
  if (n === 0) return s;
  return maskKeepingLast(chars, isDigit, Math.min(4, Math.floor(n / 2)));
}

// ---------- name ----------

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hangul}]/u;
const LETTER = /[\p{L}\p{M}\p{N}]/u;

function maskCjkRun(run: string[]): string {
  if (run.length === 1) return '*';
  const head = run.length > 2 && COMPOUND.has(run[0]! + run[1]!) ? 2 : 1;
  return run.slice(0, head).join('') + stars(run.length - head);
}

export function maskName(value: string): string {
  const s = norm(value);
  const chars = [...s];
  if (chars.length === 0) return s;
  if (chars.length === 1) return '*';
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i]!;
    if (CJK_CHAR.test(c)) {
      let j = i;
      while (j < chars.length && CJK_CHAR.test(chars[j]!)) j++;
      out += maskCjkRun(chars.slice(i, j));
      i = j;
    } else if (LETTER.test(c)) {
      let j = i;
      while (j < chars.length && LETTER.test(chars[j]!) && !CJK_CHAR.test(chars[j]!)) j++;
      out += c + stars(j - i - 1);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// ---------- email ----------

export function maskEmail(value: string): string {
  const s = norm(value);
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return maskGeneric(s);
  const local = [...s.slice(0, at)];
  return (local.length > 1 ? local[0] : '') + '***@' + s.slice(at + 1);
}

// ---------- id number ----------

const CN_ID18 = /^\d{17}[\dX]$/;
const CN_ID15 = /^\d{15}$/;

export function maskIdNumber(value: string): string {
  const s = norm(value);
  const compact = s.replace(/[\s-]/g, '').toUpperCase();
  if (CN_ID18.test(compact) || CN_ID15.test(compact)) return compact.slice(0, 3) + stars(compact.length - 7) + compact.slice(-4);
  return maskGeneric(s);
}

/** GB 11643 check digit of an 18-character Chinese resident ID (ISO 7064 MOD 11-2). */
export function isValidCnId(value: string): boolean {
  const s = norm(value).replace(/[\s-]/g, '').toUpperCase();
  if (!CN_ID18.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * (2 ** (17 - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return s[17] === (check === 10 ? 'X' : String(check));
}

// ---------- address ----------

// Administrative levels; the characters of a level's name exclude street/estate markers so
// that '文三路华星小区' is never mistaken for a district.
const H = '(?:(?![路街巷弄号楼栋室村组镇乡道小院园里])\\p{Script=Han})';
const CN_ADMIN = new RegExp(
  `^(?:${H}{2,8}?(?:省|自治区|特别行政区))?(?:${H}{1,9}?(?:市|自治州|地区|盟))?(?:${H}{1,7}?(?:区|县|市|旗))?`,
  'u',
);

export function maskAddress(value: string): string {
  const s = norm(value);
  if (!s) return s;
  if (/\p{Script=Han}/u.test(s)) {
    const prefix = CN_ADMIN.exec(s)?.[0] ?? '';
    return prefix.length === s.length ? prefix : prefix + '****';
  }
  const parts = s.split(',');
  if (parts.length >= 2 && parts[parts.length - 1]!.trim()) return '****,' + parts[parts.length - 1];
  return '****';
}

// ---------- dispatch ----------

/**
 * Mask one cell. null/undefined stay null; numbers (a phone read from Excel as 13812341234) are
 * masked as their decimal text; '' stays ''.
 */
export function maskValue(value: unknown, kind: MaskKind): string | null {
  if (value === null || value === undefined) return null;
  const s = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : String(value);
  if (s.trim() === '') return '';
  switch (kind) {
    case 'phone':
      return maskPhone(s);
    case 'name':
      return maskName(s);
    case 'email':
      return maskEmail(s);
    case 'id_number':
      return maskIdNumber(s);
    case 'address':
      return maskAddress(s);
    default:
      return maskGeneric(s);
  }
}

// ---------- detection ----------

const H_ID = /身份证|证件|id[ _-]?card|identity|national[ _-]?id|passport|护照|\bssn\b|soc(ial)?[ _-]?sec/i;
const H_EMAIL = /e-?mail|邮箱|电子邮件|邮件地址/i;
const H_PHONE = /phone|mobile|(^|[_\s.-])(tel|cell)($|[_\s.-]|ephone|phone)|手机|电话|联系方式/i;
const H_ADDRESS = /address|^addr|addr(ess)?[ _-]?\d|street|住址|地址|收货地|详细地址/i;
const H_NAME = /(^|[_\s.-])(first|last|given|family|full|middle|sur|contact|customer|client|member|user)?[ _-]?name$|^name\b|surname|姓名|名字|联系人|收货人|收件人|客户名|会员名|称呼|昵称|^姓$|^名$/i;
const H_NOT_NAME = /product|item|goods|sku|商品|产品|品名|货品|门店|店|store|shop|company|公司|file|文件|campaign|活动|品牌|brand|categor|类|city|country|region|street|host|domain|column|sheet|tag/i;

const isCnMobileLike = (s: string): boolean => CN_MOBILE.test(norm(s).replace(PHONE_SEPARATORS, ''));
const isIntlPhone = (s: string): boolean => /^\+/.test(norm(s)) && parsePhone(s) !== null;

/**
 * Which kind of personal data a column holds, or null. Evidence in this order:
 * 1. values: ≥ 80% of the non-empty samples are Chinese mobiles or '+…' numbers that
 *    libphonenumber accepts (phone), emails (email), or 18-character IDs with a valid GB 11643
 *    check digit (id_number) — precise patterns, so they win over a header;
 * 2. the role the import gave the column: phone, email, name (customer_id alone is not personal
 *    data unless its values say so — step 1; region/city/birthday are quasi-identifiers that no
 *    mask here is for);
 * 3. the header: ID-card/passport/SSN → id_number, email/邮箱 → email, phone/手机/电话 → phone,
 *    address/地址 → address, name/姓名/联系人/收货人 → name (but not product/shop/company names);
 *    vetoed when fewer than half of the samples fit (an id needs ≥ 4 digits, a phone ≥ 5, an
 *    email an '@', a name a letter), so 'PhoneService' with Yes/No values is not a phone.
 */
export function detectPiiKind(columnName: string, role: string | null | undefined, sampleValues: readonly unknown[] = []): PiiKind | null {
  const values = sampleValues
    .filter((v) => v !== null && v !== undefined)
    .map((v) => String(v).trim())
    .filter((v) => v !== '');
  if (values.length) {
    const share = (pred: (s: string) => boolean) => values.filter(pred).length / values.length;
    if (share((v) => isCnMobileLike(v) || isIntlPhone(v)) >= 0.8) return 'phone';
    if (share((v) => parseEmail(v) !== null) >= 0.8) return 'email';
    if (share(isValidCnId) >= 0.8) return 'id_number';
  }
  if (role === 'phone' || role === 'email' || role === 'name') return role;
  const h = norm(columnName ?? '');
  if (!h) return null;
  // A header hint is vetoed by samples that cannot be that kind ('PhoneService' = Yes/No).
  const most = (pred: (s: string) => boolean) => values.length === 0 || values.filter(pred).length / values.length >= 0.5;
  const digits = (s: string) => s.replace(/\D/g, '').length;
  if (H_ID.test(h) && most((v) => digits(v) >= 4)) return 'id_number';
  if (H_EMAIL.test(h) && most((v) => v.includes('@'))) return 'email';
  if (H_PHONE.test(h) && most((v) => digits(v) >= 5)) return 'phone';
  if (H_ADDRESS.test(h)) return 'address';
  if (H_NAME.test(h) && !H_NOT_NAME.test(h) && most((v) => /\p{L}/u.test(v))) return 'name';
  return null;
}
