/**
 * Encoding detection and streaming decoding.
 * Order of evidence: a BOM (UTF-8, UTF-16 LE/BE); UTF-16 without BOM (zero bytes in every other
 * position); strict UTF-8 over the whole sample (a sequence cut at the sample's end is allowed);
 * then GB18030 vs Big5, scored by how much of the decoded text consists of frequent Chinese
 * characters (the wrong one decodes to rare characters or fails); Latin-1 as the last resort.
 */
import iconv from 'iconv-lite';

export type EncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5' | 'latin1';
export interface EncodingGuess {
  encoding: EncodingName;
  confidence: number;
  reason: string;
  bomLength: number;
}

// Frequent characters of Chinese text, simplified and traditional forms (union).
const FREQUENT = new Set(
  [...'的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴嘴户客米规這來國個說們為時會過學對裡後麼發當無開見經頭從動兩長樣現將與點種聲話兒問機給幾業間電門東聽氣關內卻軍產萬體別處總場師書員難數張車應許覺統請愛讓認論義術結連遠資隊帶條變聯權領傳紅決達辦區轉輕語滿寫識極黃臉錢黨設雙歷廣議際單據導網專誰讀飛觀爭組濟離雖壞興戶規購買費優惠訂單會員退貨您好謝請點擊領取活動號碼訊息简讯短信购买费优惠订单会员退货谢请点击领取号码讯息'],
);

function isCjk(c: number): boolean {
  return c >= 0x4e00 && c <= 0x9fff;
}

function chineseScore(text: string): { cjk: number; frequent: number; replacement: number } {
  let cjk = 0;
  let frequent = 0;
  let replacement = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0xfffd) replacement++;
    else if (isCjk(c)) {
      cjk++;
      if (FREQUENT.has(ch)) frequent++;
    }
  }
  return { cjk, frequent, replacement };
}

/** The sample may end inside a multi-byte sequence; drop at most 3 trailing bytes of it. */
function trimPartialUtf8(b: Uint8Array): Uint8Array {
  let i = b.length - 1;
  let k = 0;
  while (i >= 0 && k < 3 && (b[i]! & 0xc0) === 0x80) {
    i--;
    k++;
  }
  if (i >= 0 && b[i]! >= 0xc0) {
    const need = b[i]! >= 0xf0 ? 4 : b[i]! >= 0xe0 ? 3 : 2;
    if (b.length - i < need) return b.subarray(0, i);
  }
  return b;
}

export function detectEncoding(sample: Uint8Array): EncodingGuess {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8-bom', confidence: 1, reason: 'UTF-8 byte-order mark', bomLength: 3 };
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', confidence: 1, reason: 'UTF-16 LE byte-order mark', bomLength: 2 };
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', confidence: 1, reason: 'UTF-16 BE byte-order mark', bomLength: 2 };
  // UTF-16 without a BOM: ASCII-range text has a zero byte in every other position.
  const n = Math.min(sample.length, 4096) & ~1;
  if (n >= 8) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (sample[i] === 0) evenZero++;
      if (sample[i + 1] === 0) oddZero++;
    }
    if (oddZero > 0.4 * (n / 2) && evenZero < 0.05 * (n / 2)) return { encoding: 'utf-16le', confidence: 0.8, reason: 'zero bytes in odd positions (UTF-16 LE without BOM)', bomLength: 0 };
    if (evenZero > 0.4 * (n / 2) && oddZero < 0.05 * (n / 2)) return { encoding: 'utf-16be', confidence: 0.8, reason: 'zero bytes in even positions (UTF-16 BE without BOM)', bomLength: 0 };
  }
  let highBytes = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i]! >= 0x80) highBytes++;
  if (highBytes === 0) return { encoding: 'utf-8', confidence: 1, reason: 'ASCII only (read as UTF-8)', bomLength: 0 };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(trimPartialUtf8(sample));
    return { encoding: 'utf-8', confidence: 0.99, reason: 'valid UTF-8 (strict check)', bomLength: 0 };
  } catch {
    /* not strictly UTF-8: mostly UTF-8 with a few bad sequences, or a legacy encoding */
  }
  // A file that is UTF-8 but for a few invalid sequences (e.g. it changes encoding halfway):
  // stay with UTF-8 so the bad lines are quarantined as undecodable instead of garbling the rest.
  const loose = new TextDecoder('utf-8').decode(sample);
  let bad = 0;
  let good = 0;
  for (let i = 0; i < loose.length; i++) {
    const c = loose.charCodeAt(i);
    if (c === 0xfffd) bad++;
    else if (c >= 0x80) good++;
  }
  if (good > 0 && bad / (good + bad) < 0.1) {
    return { encoding: 'utf-8', confidence: 0.6, reason: `mostly valid UTF-8 (${bad} invalid byte sequences will be quarantined)`, bomLength: 0 };
  }
  const gb = chineseScore(new TextDecoder('gb18030').decode(sample));
  const big5 = chineseScore(new TextDecoder('big5').decode(sample));
  const rate = (s: { cjk: number; frequent: number; replacement: number }) => (s.cjk === 0 ? 0 : s.frequent / s.cjk) - (s.replacement / Math.max(1, s.cjk)) * 2;
  const rg = rate(gb);
  const rb = rate(big5);
  if (rb > rg && rb > 0.2) return { encoding: 'big5', confidence: Math.min(0.95, 0.5 + rb / 2), reason: `Big5: ${Math.round(rb * 100)}% frequent Chinese characters (GB18030: ${Math.round(rg * 100)}%)`, bomLength: 0 };
  if (rg > 0.2) return { encoding: 'gb18030', confidence: Math.min(0.95, 0.5 + rg / 2), reason: `GB18030/GBK: ${Math.round(rg * 100)}% frequent Chinese characters (Big5: ${Math.round(rb * 100)}%)`, bomLength: 0 };
  return { encoding: 'latin1', confidence: 0.4, reason: 'not UTF-8 and not Chinese-looking: Latin-1 as last resort', bomLength: 0 };
}

export interface StreamDecoder {
  decode(chunk: Uint8Array): string;
  end(): string;
  readonly badBytes: number;
}

const LABEL: Record<EncodingName, string> = { 'utf-8': 'utf-8', 'utf-8-bom': 'utf-8', 'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be', gb18030: 'gb18030', big5: 'big5', latin1: 'windows-1252' };

/** Streaming decoder: multi-byte characters split across chunks decode correctly; invalid bytes become U+FFFD. */
export function createDecoder(encoding: EncodingName): StreamDecoder {
  const dec = new TextDecoder(LABEL[encoding]);
  let bad = 0;
  const count = (s: string) => {
    let i = s.indexOf('\ufffd');
    while (i >= 0) {
      bad++;
      i = s.indexOf('\ufffd', i + 1);
    }
    return s;
  };
  return {
    decode: (chunk) => count(dec.decode(chunk, { stream: true })),
    end: () => count(dec.decode()),
    get badBytes() {
      return bad;
    },
  };
}

export function encodeText(text: string, encoding: 'utf-8' | 'utf-8-bom' | 'gb18030'): Uint8Array {
  if (encoding === 'gb18030') return iconv.encode(text, 'gb18030');
  const body = Buffer.from(text, 'utf8');
  return encoding === 'utf-8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/** A renamed binary file: many NULs or control bytes (UTF-16 is detected before this is asked). */
export function looksBinary(sample: Uint8Array): boolean {
  if (sample.length === 0) return false;
  const g = detectEncoding(sample);
  if (g.encoding.startsWith('utf-16')) return false;
  const n = Math.min(sample.length, 65536);
  let nul = 0;
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i]!;
    if (b === 0) nul++;
    else if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b) || b === 0x7f) ctrl++;
  }
  return nul / n > 0.05 || (nul + ctrl) / n > 0.1;
}
