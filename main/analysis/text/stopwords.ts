/** Compact Chinese and English stopword lists (function words, pronouns, fillers). */
export const STOPWORDS = new Set(
  [
    ...'的 了 和 是 在 我 有 也 就 不 人 都 一 一个 上 很 到 说 要 去 你 会 着 没有 看 好 自己 这 那 他 她 它 们 我们 你们 他们 吗 吧 呢 啊 哦 嗯 与 及 或 等 被 把 让 给 对 从 以 为 于 而 但 并 如果 因为 所以 还 又 再 该 此 其 之 中 后 前 里 时 个 些 么 什么 怎么 这个 那个 可以 已经 没 请 您'.split(' '),
    ...'a an the and or but if then so of to in on at by for with from as is are was were be been being it its this that these those i me my we our you your he him his she her they them their what which who whom do does did doing have has had will would can could should may might shall just not no nor only own same than too very s t don now u ur im ill ive get got go going'.split(' '),
  ].filter(Boolean),
);

export function removeStopwords(tokens: string[]): string[] {
  return tokens.filter((t) => !STOPWORDS.has(t) && t.length > 0);
}
