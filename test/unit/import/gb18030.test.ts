/**
 * Issue 16 item 9: GB18030 files with few frequent characters (rare names, four-byte
 * characters, one Chinese header word over ASCII data) were decoded as Latin-1 ('备注' → '±¸×¢').
 * Generated files with planted text must be detected as GB18030 and decode back exactly;
 * Latin-1 files must stay Latin-1.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { detectEncoding } from '../../../main/import/encoding';
import { readAll } from './helpers';

const RARE = '龘靐齉爩鱻麤灪癵驫籱犇猋骉蟲飝厵瀞燚垚淼焱森鑫磊晶品赑䶮㐀㑇㒵𠀀𠮷𡃁𪚥';
const COMMON = '张王李赵刘陈杨黄周吴伟芳娜敏静丽强磊军洋北京上海广州深圳';
const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom(...[...RARE]), minLength: 1, maxLength: 4 }),
  fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c)), minLength: 1, maxLength: 4 }),
  fc.string({ unit: fc.constantFrom(...'abcXYZ0123456789 -'), maxLength: 10 }),
  fc.constantFrom('😀', '好评👍', '１２３', '（备用）', '—'),
);

describe('GB18030 detection', () => {
  it('generated GB18030 files with rare, four-byte or few Chinese characters are GB18030 and decode exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 40 }), fc.boolean(), (rows, withCommon) => {
        const header = withCommon ? `客户,${[...COMMON].slice(0, 3).join('')}` : 'id,备注';
        const text = [header, ...rows.map((r, i) => `${i + 1},${r.join(' ').replace(/,/g, ' ')}`)].join('\n') + '\n';
        const bytes = iconv.encode(text, 'gb18030');
        const g = detectEncoding(bytes);
        expect(g.encoding).toBe('gb18030');
        const r = readAll(bytes);
        expect(r.header).toEqual(header.split(','));
        expect(r.badBytes).toBe(0);
      }),
      { numRuns: 300, seed: 16_9 },
    );
  });

  it('a single Chinese header word over ASCII data', () => {
    const text = 'id,备注\n' + Array.from({ length: 200 }, (_, i) => `${i},note ${i}`).join('\n') + '\n';
    expect(detectEncoding(iconv.encode(text, 'gb18030')).encoding).toBe('gb18030');
  });

  it('Latin-1 text stays Latin-1', () => {
    const samples = [
      'name,city\nMüller,Köln\nRenée,Besançon\nJosé,São Paulo\n',
      'nom;ville;note\nHélène;Orléans;très bien\nFrançois;Nîmes;à revoir\n',
      'id,desc\n1,café crème\n2,naïve\n3,Zoë\n4,Ångström 5°C\n',
    ];
    for (const s of samples) expect(detectEncoding(iconv.encode(s, 'latin1')).encoding, s).toBe('latin1');
  });
});
