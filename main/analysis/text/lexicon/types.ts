/**
 * Shape of a sentiment lexicon (one per language). Weights are on a −3…+3 scale: 1 mild,
 * 2 clear, 3 strong. Multi-word entries are written with spaces between English words and
 * without spaces for Chinese (they are matched against runs of consecutive tokens).
 */
export interface SentimentLexicon {
  /** Polar terms: weight in −3…+3. */
  terms: Record<string, number>;
  /** Terms whose polarity survives negation ("no refund yet" is still a complaint). */
  noFlip: string[];
  /**
   * Expectation words: neutral on their own, negative when negated ("never received",
   * "没人回复", "don't text me again"). The value is the (negative) weight once negated.
   */
  expectation: Record<string, number>;
  /** Negators: flip the polarity of a term up to NEGATION_WINDOW tokens later in the clause. */
  negators: string[];
  /** Emphatic negators ("一点都不", "根本不", "not at all"-type): flip fully and intensify. */
  strongNegators: string[];
  /** Degree words: multiplier > 1 intensifies, < 1 softens ("有点", "a bit"). */
  degree: Record<string, number>;
  /** Degree words that follow the term ("thanks a lot", "烦死了"). */
  postDegree: Record<string, number>;
  /** Adversative conjunctions: the part after them counts more (but, 但是). */
  adversative: string[];
  /** Concessive conjunctions: their clause counts less (although, 虽然). */
  concessive: string[];
  /** Question markers (A-not-A forms, particles): the clause is a question, and they are not negators. */
  question: string[];
  /** Acknowledgements that look polar but are not ("好的", "ok"): weight 0 unless modified. */
  acknowledgement: string[];
}
