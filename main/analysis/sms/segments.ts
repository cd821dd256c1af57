/**
 * SMS segment counting (3GPP TS 23.038). A message that uses only the GSM 03.38 default
 * alphabet (plus its extension table, where each character costs 2 septets: ^ { } \ [ ~ ] | €
 * and form feed) is GSM-7: 160 septets in one message, 153 per part when concatenated (the
 * user-data header takes 7). Anything else — Chinese, 【】, emoji — makes the whole message
 * UCS-2: 70 UTF-16 units single, 67 per part; characters outside the BMP (emoji) take 2 units.
 * A part never ends inside an extension escape or a surrogate pair: such a character moves
 * whole to the next part, so the count is exact, not just units / per-part.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXT = '\f^{}\\[~]|€';
const BASIC = new Set(GSM_BASIC);
const EXT = new Set(GSM_EXT);

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  units: number;
  segments: number;
  perSegment: number;
  chars: number;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXT.has(ch)) return false;
  return true;
}

/** Pack characters of `cost` units into parts of at most `size` units without splitting one. */
function packParts(costs: number[], size: number): number {
  let parts = 1;
  let used = 0;
  for (const c of costs) {
    if (used + c > size) {
      parts++;
      used = 0;
    }
    used += c;
  }
  return parts;
}

export function countSmsSegments(text: string): SmsSegments {
  const chars = [...text];
  if (isGsm7(text)) {
    const costs = chars.map((ch) => (EXT.has(ch) ? 2 : 1));
    const units = costs.reduce((a, b) => a + b, 0);
    return { encoding: 'GSM-7', units, chars: chars.length, segments: units <= 160 ? (units === 0 ? 0 : 1) : packParts(costs, 153), perSegment: units <= 160 ? 160 : 153 };
  }
  const costs = chars.map((ch) => (ch.codePointAt(0)! > 0xffff ? 2 : 1));
  const units = costs.reduce((a, b) => a + b, 0);
  return { encoding: 'UCS-2', units, chars: chars.length, segments: units <= 70 ? 1 : packParts(costs, 67), perSegment: units <= 70 ? 70 : 67 };
}

export function smsCost(segments: number, pricePerSegment: number): number {
  return Math.round(segments * pricePerSegment * 10000) / 10000;
}
