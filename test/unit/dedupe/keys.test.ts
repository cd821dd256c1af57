/** Normalisers and keys. */
import { describe, expect, it } from 'vitest';
import {
  normalizeText,
  looseText,
  phoneDigits,
  phoneKey,
  emailKey,
  toSimplified,
  pinyinKey,
  pinyinInitials,
  soundex,
  sortedTokenKey,
  tokens,
  qgrams,
} from '../../../main/analysis/dedupe/keys';

describe('keys', () => {
  it('normalises text: NFKC, case, spaces', () => {
    expect(normalizeText('  ＡＢＣ\t  Def  ')).toBe('abc def');
    expect(normalizeText(null)).toBe('');
    expect(looseText("St. James' Rd.")).toBe('st james rd');
  });

  it('phones: digits and E.164', () => {
    expect(phoneDigits('310/246-1501')).toBe('3102461501');
    expect(phoneKey('310/246-1501', 'US')).toBe(phoneKey('+1 (310) 246 1501'));
    expect(phoneKey('138 0013 8000', 'CN')).toBe('+8613800138000');
    expect(phoneKey('+86 138-0013-8000')).toBe('+8613800138000');
    expect(phoneKey('')).toBe('');
  });

  it('emails: case, +tags, gmail dots', () => {
    expect(emailKey(' John.Smith+promo@GMail.com ')).toBe('johnsmith@gmail.com');
    expect(emailKey('a.b+x@example.com')).toBe('a.b@example.com');
    expect(emailKey('not an email')).toBe('');
  });

  it('traditional → simplified, pinyin and initials', () => {
    expect(toSimplified('張偉')).toBe('张伟');
    expect(pinyinKey('张伟')).toBe('zhang wei');
    expect(pinyinKey('章伟')).toBe('zhang wei');
    expect(pinyinKey('張偉')).toBe('zhang wei');
    expect(pinyinInitials('张伟')).toBe('zw');
    expect(pinyinKey('单雄信')).toBe('shan xiong xin'); // surname reading
    expect(pinyinKey('Wang 芳 2')).toBe('wang fang 2');
  });

  it('soundex (American rules: h/w do not separate, vowels do)', () => {
    expect(soundex('Robert')).toBe('r163');
    expect(soundex('Rupert')).toBe('r163');
    expect(soundex('Tymczak')).toBe('t522');
    expect(soundex('Pfister')).toBe('p236');
    expect(soundex('Ashcraft')).toBe('a261');
    expect(soundex('Lee')).toBe('l000');
    expect(soundex('')).toBe('');
  });

  it('tokens, sorted token key, q-grams', () => {
    expect(sortedTokenKey('Smith, John  john')).toBe('john smith');
    expect(tokens('北京市朝阳区 建国路 88号')).toEqual(expect.arrayContaining(['北京市', '朝阳区', '建国路', '88']));
    expect(qgrams('abc', 2)).toEqual(['#a', 'ab', 'bc', 'c#']);
    expect(qgrams('abcd', 3, false)).toEqual(['abc', 'bcd']);
  });
});
