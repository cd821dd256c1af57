/**
 * Tokenisation for Chinese and English text. Chinese runs go through jieba (@node-rs/jieba,
 * the Rust port, with its bundled dictionary, HMM on for unknown words); a user dictionary adds
 * words ("word" or "word freq tag" lines) on top. Latin runs are lower-cased words; digits,
 * URLs, e-mail addresses and punctuation are dropped; masked placeholders in the FBS data
 * (DIGIT, URL, CELLPHONE …) stay as tokens. Stopwords are removed separately.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js'; // explicit .js: the package has no exports map and ESM needs the file name

let base: Jieba | null = null;

export interface Tokenizer {
  tokenize(text: string): string[];
}

export function createTokenizer(opts: { userDict?: string[] } = {}): Tokenizer {
  let jieba: Jieba;
  if (opts.userDict?.length) {
    jieba = Jieba.withDict(dict);
    const lines = opts.userDict.map((l) => (l.trim().split(/\s+/).length === 1 ? `${l.trim()} 100000 n` : l.trim())).join('\n');
    jieba.loadDict(Buffer.from(lines, 'utf8'));
  } else {
    base ??= Jieba.withDict(dict);
    jieba = base;
  }
  return {
    tokenize(text: string): string[] {
      const out: string[] = [];
      const cleaned = (text ?? '').normalize('NFKC').replace(/https?:\/\/\S+|www\.\S+|\S+@\S+\.\S+/gi, ' ');
      for (const m of cleaned.matchAll(/[\u3400-\u9fff]+|[A-Za-z][A-Za-z']*/g)) {
        const run = m[0];
        if (/^[A-Za-z]/.test(run)) {
          const w = run.replace(/'+$/, '');
          out.push(/^[A-Z]{3,}$/.test(w) ? w : w.toLowerCase());
        } else for (const w of jieba.cut(run, true)) if (w.trim()) out.push(w);
      }
      return out;
    },
  };
}
