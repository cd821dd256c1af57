/**
 * Lexicon-and-rules sentiment for short Chinese and English customer texts (SMS replies,
 * feedback). Method, in order:
 *  1. NFKC, then ASCII emoticons (":)" as whole pieces) and emoji are lifted out; the text is cut
 *     into clauses at punctuation (, . ! ? ; … and the Chinese forms).
 *  2. Each clause is tokenised (jieba for Chinese runs, with the lexicon loaded as a user
 *     dictionary so sentiment words are cut whole; lower-cased words for Latin runs). A Chinese
 *     token the lexicon does not know is split into degree/negation prefix + known word
 *     ("很漂亮" → 很 + 漂亮, "太棒了" → 太 + 棒) or topic + known suffix ("服务周到" → 服务 + 周到).
 *  3. Consecutive tokens are matched greedily, longest first (up to 4), against the lexicon:
 *     polar terms, negators, degree words, contrast words, question markers, expectation words.
 *  4. A polar term of weight w (−3…+3) looks back up to NEGATION_WINDOW units inside its clause:
 *     degree words multiply it, an odd number of negators flips it (× −0.8 for a positive term,
 *     × −0.5 for a negative one: "not bad" is only mildly good), an emphatic negator ("一点都不",
 *     "never") flips it fully × 1.2. Expectation words ("收到", "received", "again") are neutral
 *     unless negated, then −1.5: "没收到货", "never received", "don't text me again".
 *     Refund/opt-out words keep their sign under negation ("no refund yet").
 *  5. Contrast: units after the last adversative ("但是", "but") count × 1.5 and the ones before
 *     × 0.5; a concessive clause ("虽然", "although") counts × 0.5. Questions count × 0.5.
 *     Each "!" adds 10 % (at most 3). An all-caps English term counts × 1.3 when the text
 *     also has lower case. Emoji/emoticons add their own weight (not negated).
 *  6. score = S / √(S² + 4) ∈ (−1, 1) over the summed contributions S (4 ≈ one clear word gives
 *     0.71); label positive if score ≥ 0.2, negative if ≤ −0.2, neutral otherwise (no match = 0).
 * Why rules and not a trained model: there is no labelled sentiment corpus for this domain in
 * the app, the result must be explainable (matches are returned for the UI), and it must run
 * offline on both languages. Lexicons are chosen per token by script (CJK → zh, Latin → en), so
 * mixed replies work; `lang` (or its auto-detection) is reported with the result.
 * Figures on a hand-labelled evaluation set: docs/methods/text.md.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { SentimentLexicon } from './lexicon/types';
import { ZH_LEXICON } from './lexicon/zh';
import { EN_LEXICON } from './lexicon/en';
import { EMOJI, EMOTICONS } from './lexicon/emoji';

export type SentimentLabel = 'positive' | 'neutral' | 'negative';
export type SentimentLang = 'zh' | 'en';

export interface SentimentMatch {
  /** The matched word, phrase or emoji. */
  term: string;
  /** Its final contribution to the sum S (after negation, degree, contrast …). */
  weight: number;
  negated?: boolean;
  /** Degree words, negators and rules that changed it (for explanations). */
  modifiers?: string[];
}

export interface SentimentResult {
  score: number;
  label: SentimentLabel;
  lang: SentimentLang;
  matches: SentimentMatch[];
}

export const SENTIMENT_THRESHOLDS = { positive: 0.2, negative: -0.2 } as const;
export const NEGATION_WINDOW = 3;
const SQUASH_ALPHA = 4;

/* ---------- lexicon index ---------- */

interface Entry {
  term?: number;
  noFlip?: boolean;
  expectation?: number;
  neg?: 'weak' | 'strong';
  degree?: number;
  post?: number;
  adversative?: boolean;
  concessive?: boolean;
  question?: boolean;
  ack?: boolean;
}

function indexLexicon(lex: SentimentLexicon): Map<string, Entry> {
  const m = new Map<string, Entry>();
  const at = (k: string) => m.get(k) ?? m.set(k, {}).get(k)!;
  for (const [k, v] of Object.entries(lex.terms)) at(k).term = v;
  for (const k of lex.noFlip) at(k).noFlip = true;
  for (const [k, v] of Object.entries(lex.expectation)) at(k).expectation = v;
  for (const k of lex.negators) at(k).neg = 'weak';
  for (const k of lex.strongNegators) at(k).neg = 'strong';
  for (const [k, v] of Object.entries(lex.degree)) at(k).degree = v;
  for (const [k, v] of Object.entries(lex.postDegree)) at(k).post = v;
  for (const k of lex.adversative) at(k).adversative = true;
  for (const k of lex.concessive) at(k).concessive = true;
  for (const k of lex.question) at(k).question = true;
  for (const k of lex.acknowledgement) at(k).ack = true;
  return m;
}

const ZH = indexLexicon(ZH_LEXICON);
const EN = indexLexicon(EN_LEXICON);
const ZH_ONLY_LATIN = new Set([...ZH.keys()].filter((k) => /^[a-z]/.test(k)));
const ZH_PREFIXES = [...ZH].filter(([k, e]) => (e.degree || e.neg) && !e.term).map(([k]) => k).sort((a, b) => b.length - a.length);
const ZH_PARTICLES = /[了啦的呀啊哦呢吧嘛哈滴]+$/;
const ACK_FOLLOWERS = new Set(['的', '吧', '滴', '嘞', '哒', '呀', '啊', '哈', '了']);
const CJK = /[\u3400-\u9fff]/;

let jieba: Jieba | null = null;
function zhCut(run: string): string[] {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    // Only content words go in: multi-character negator/degree phrases ("都没") would make jieba
    // cut through the following word ("都没/人接"); those phrases are matched over tokens instead.
    const words = [...ZH].filter(([k, e]) => CJK.test(k) && k.length > 1 && (e.term !== undefined || e.expectation !== undefined) && !e.neg && !e.degree).map(([k]) => k);
    jieba.loadDict(Buffer.from(words.map((w) => `${w} 100000 n`).join('\n'), 'utf8'));
  }
  return jieba.cut(run, true).filter((w) => w.trim());
}

/** 'zh' when the text has Chinese characters and they are not swamped by Latin letters. */
export function detectLang(text: string): SentimentLang {
  const cjk = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  return cjk > 0 && cjk * 4 >= latin ? 'zh' : 'en';
}

/* ---------- tokens → units ---------- */

interface Tok {
  text: string; // lower-cased for Latin
  caps: boolean;
  cjk: boolean;
}

interface Unit {
  text: string;
  e: Entry;
  caps: boolean;
  clause: number;
  emoji?: boolean;
}

function lookup(key: string, cjk: boolean): Entry | undefined {
  if (cjk) return ZH.get(key);
  // Latin codes of Chinese SMS ("TD" = 退订) are not English words, so they count in both modes.
  if (ZH_ONLY_LATIN.has(key)) return ZH.get(key);
  return EN.get(key);
}

/** Split an unknown Chinese token into known pieces (prefix modifiers + core, or topic + known suffix). */
function splitZh(tok: string): string[] {
  if (ZH.has(tok) || tok.length < 2) return [tok];
  const stripped = tok.replace(ZH_PARTICLES, '');
  if (stripped && stripped !== tok && ZH.has(stripped)) return [stripped, tok.slice(stripped.length)];
  for (const p of ZH_PREFIXES) {
    if (stripped.length > p.length && stripped.startsWith(p)) {
      const rest = splitZh(stripped.slice(p.length));
      if (rest.some((r) => ZH.get(r)?.term !== undefined || ZH.get(r)?.expectation !== undefined)) return [p, ...rest];
    }
  }
  for (let i = 1; i < stripped.length; i++) {
    const suffix = ZH.get(stripped.slice(i));
    // Known polar suffix of ≥ 2 characters, or a one-character expectation verb closing a ≥ 3-character token ("给我发").
    if ((suffix?.term !== undefined && stripped.length - i >= 2) || (suffix?.expectation !== undefined && (stripped.length - i >= 2 || stripped.length >= 3)))
      return [stripped.slice(0, i), stripped.slice(i)];
  }
  return [tok];
}

function tokenizeClause(clause: string): Tok[] {
  const out: Tok[] = [];
  for (const m of clause.matchAll(/[\u3400-\u9fff]+|[A-Za-z][A-Za-z']*/g)) {
    const run = m[0];
    if (CJK.test(run[0]!)) for (const w of zhCut(run)) for (const p of splitZh(w)) out.push({ text: p, caps: false, cjk: true });
    else {
      const w = run.replace(/'+$/, '').replace(/[’]/g, "'");
      out.push({ text: w.toLowerCase(), caps: w.length >= 2 && /^[A-Z]+$/.test(w), cjk: false });
    }
  }
  return out;
}

function toUnits(toks: Tok[], clause: number): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < toks.length; ) {
    let done = false;
    for (let n = Math.min(4, toks.length - i); n >= 1 && !done; n--) {
      const slice = toks.slice(i, i + n);
      if (slice.some((t) => t.cjk !== slice[0]!.cjk)) continue;
      const key = slice.map((t) => t.text).join(slice[0]!.cjk ? '' : ' ');
      const e = lookup(key, slice[0]!.cjk);
      if (e) {
        units.push({ text: key, e, caps: slice.every((t) => t.caps), clause });
        i += n;
        done = true;
      }
    }
    if (!done) {
      units.push({ text: toks[i]!.text, e: {}, caps: false, clause });
      i++;
    }
  }
  return units;
}

/* ---------- scoring ---------- */

const PIECE = /(?<=^|\s)(?:[:;=]'?-?[)(\]\[DPp/]|\^_?\^|>:\(|<3|T_T)(?=\s|$)/gu;
const EMOJI_RE = /\p{Extended_Pictographic}/gu;

/**
 * Opt-out footers of marketing messages ("回T退订", "退订回TD", "拒收请回复R", "Reply STOP to opt
 * out") are instructions, not the sender's mood: they are removed before scoring. A reply that
 * IS an unsubscribe ("TD", "退订") keeps its negative weight.
 */
const OPT_OUT_FOOTER = /(?:[,，。;；\s]*)(?:(?:回复?|发送?)\s*(?:t|td|n|r|0000)\s*(?:即可)?(?:退订|退|拒收)|(?:退订|拒收)(?:请)?(?:回复?|发)\s*(?:t|td|n|r|0000)|reply\s+stop\s+to\s+(?:opt\s*out|unsubscribe|end)|txt\s+stop\s+to\s+\d+)[。.!！]?/giu;

export function stripOptOutFooter(text: string): string {
  return text.replace(OPT_OUT_FOOTER, ' ').trim();
}

export function sentiment(text: string, lang: SentimentLang | 'auto' = 'auto'): SentimentResult {
  const nfkc = (text ?? '').normalize('NFKC');
  const stripped = stripOptOutFooter(nfkc);
  const raw = stripped === '' ? nfkc : stripped;
  const useLang: SentimentLang = lang === 'auto' ? detectLang(raw) : lang;
  const emotes: { piece: string; at: number }[] = [];
  const noEmoticons = raw.replace(PIECE, (p, at: number) => (emotes.push({ piece: p, at }), ' '.repeat(p.length)));
  const clauses: { text: string; start: number; end: number; excl: number; question: boolean }[] = [];
  const splitter = /[^,.!?;:~\n\r…。，！？；：、]+[,.!?;:~\n\r…。，！？；：、]*/g;
  for (const m of noEmoticons.matchAll(splitter)) {
    const body = m[0];
    clauses.push({ text: body, start: m.index, end: m.index + body.length, excl: (body.match(/!/g) ?? []).length, question: /\?/.test(body) });
  }
  if (!clauses.length) clauses.push({ text: noEmoticons, start: 0, end: noEmoticons.length, excl: 0, question: false });

  const units: Unit[] = [];
  clauses.forEach((c, ci) => {
    const us = toUnits(tokenizeClause(c.text), ci);
    if (us.some((u) => u.e.question)) c.question = true;
    for (const u of us) units.push(u);
    for (const m of c.text.matchAll(EMOJI_RE)) {
      const w = EMOJI[m[0]];
      if (w !== undefined) units.push({ text: m[0], e: { term: w }, caps: false, clause: ci, emoji: true });
    }
    for (const em of emotes) if (em.at >= c.start && em.at < c.end) units.push({ text: em.piece, e: { term: EMOTICONS[em.piece] ?? 0 }, caps: false, clause: ci, emoji: true });
  });
  // Emoticons in text made only of emoticons have no clause (the splitter found nothing to cut).
  if (!units.some((u) => u.emoji)) for (const em of emotes) units.push({ text: em.piece, e: { term: EMOTICONS[em.piece] ?? 0 }, caps: false, clause: 0, emoji: true });

  const hasLower = /[a-z]/.test(raw);
  // Contrast pivot: the last adversative with something after it.
  let pivot = -1;
  for (let i = units.length - 2; i >= 0; i--) if (units[i]!.e.adversative) { pivot = i; break; }
  const concessiveClauses = new Set(units.filter((u) => u.e.concessive).map((u) => u.clause));

  const consumed = new Set<number>();
  const matches: SentimentMatch[] = [];
  let S = 0;
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    const e = u.e;
    const isTerm = e.term !== undefined;
    const isExp = e.expectation !== undefined;
    if ((!isTerm && !isExp) || e.term === 0) continue;
    // A word that is both a term and a degree word ("好", "super") is a degree word before a term.
    if (isTerm && e.degree && units[i + 1]?.clause === u.clause && units[i + 1]!.e.term !== undefined && !units[i + 1]!.emoji) continue;
    const mods: string[] = [];
    let mult = 1;
    let negs = 0;
    let strong = false;
    let negAt = -1;
    if (!u.emoji)
      for (let j = i - 1, seen = 0; j >= 0 && seen < NEGATION_WINDOW && units[j]!.clause === u.clause; j--) {
        const p = units[j]!;
        if (p.emoji) continue;
        seen++;
        if (p.e.adversative || p.e.concessive) break;
        if (p.e.neg && !p.e.question) {
          negs++;
          if (p.e.neg === 'strong') strong = true;
          if (negAt < 0) negAt = j;
          mods.push(p.text);
        } else if (p.e.degree) {
          mult *= p.e.degree;
          mods.push(p.text);
        } else if (p.e.term !== undefined && !(p.e.degree && j === i - 1)) break;
      }
    const negated = negs % 2 === 1;
    let v: number;
    if (isTerm) {
      // Acknowledgements ("好的", "ok") carry no polarity unless a degree word or negator sits before them.
      if (isAck(u, units, i) && !mods.length) continue;
      v = e.term! * mult;
      if (negated && !e.noFlip) v = strong ? -v * 1.2 : v > 0 ? -0.8 * v : -0.5 * v;
    } else {
      if (!negated || consumed.has(negAt)) continue;
      consumed.add(negAt);
      v = e.expectation! * mult * (strong ? 1.3 : 1);
    }
    for (let j = i + 1; j <= i + 2 && j < units.length && units[j]!.clause === u.clause; j++)
      if (units[j]!.e.post) {
        v *= units[j]!.e.post!;
        mods.push(units[j]!.text);
        break;
      }
    if (u.caps && hasLower) (v *= 1.3), mods.push('CAPS');
    if (pivot >= 0) {
      if (i > pivot) (v *= 1.5), mods.push(`after ${units[pivot]!.text}`);
      else (v *= 0.5), mods.push(`before ${units[pivot]!.text}`);
    } else if (concessiveClauses.has(u.clause)) (v *= 0.5), mods.push('concessive');
    if (clauses[u.clause]?.question) (v *= 0.5), mods.push('question');
    S += v;
    matches.push({ term: u.text, weight: round(v), ...(negated ? { negated: true } : {}), ...(mods.length ? { modifiers: mods } : {}) });
  }
  const excl = Math.min(3, clauses.reduce((a, c) => a + c.excl, 0));
  S *= 1 + 0.1 * excl;
  const score = S / Math.sqrt(S * S + SQUASH_ALPHA);
  const label: SentimentLabel = score >= SENTIMENT_THRESHOLDS.positive ? 'positive' : score <= SENTIMENT_THRESHOLDS.negative ? 'negative' : 'neutral';
  return { score: round(score), label, lang: useLang, matches };
}

function isAck(u: Unit, units: Unit[], i: number): boolean {
  if (u.e.ack) return true;
  if (u.text !== '好') return false;
  const next = units[i + 1];
  if (next && next.clause === u.clause && ACK_FOLLOWERS.has(next.text)) return true;
  // "好" alone in its clause is an "OK".
  return !units.some((o, j) => j !== i && o.clause === u.clause && !o.emoji && !ACK_FOLLOWERS.has(o.text));
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Sentiment of many texts (same rules; the jieba instance is shared). */
export function sentimentBatch(texts: string[], lang: SentimentLang | 'auto' = 'auto'): SentimentResult[] {
  return texts.map((t) => sentiment(t, lang));
}
