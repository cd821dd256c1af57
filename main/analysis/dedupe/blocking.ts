/**
 * Blocking: which record pairs get compared at all. Comparing every pair is n²/2; blocking
 * keeps the pairs that share something cheap to check, and the union of several passes keeps
 * recall high when one key is wrong (a typo in the surname is caught by the postcode pass).
 *
 * Passes (keys are computed by the caller, one per record; '' / null = no key, not blocked):
 * - standard: records with the same key form a block; every pair in the block is a candidate.
 * - sorted: sorted neighbourhood — records sorted by key (ties by side and index), each one
 *   paired with the next window−1 records (for linking, only pairs across the two tables).
 * - tokens: one block per token (words, q-grams …) of each record; blocks with more than
 *   maxBlockSize records are skipped (stop-word-like tokens make giant blocks that add pairs but
 *   little recall) and counted in the report. Standard blocks can be capped the same way.
 *
 * Dedupe (one table): pairs (i, j) with i < j. Link (tables A and B): pairs (i in A, j in B).
 * Pairs from all passes are de-duplicated and returned sorted by (i, j), with how many each pass
 * added, how many were compared in total, and the reduction ratio 1 − pairs / all pairs.
 */

export type Key = string | null | undefined;

export type BlockingPass =
  | { kind: 'standard'; name?: string; keysA: Key[]; keysB?: Key[]; maxBlockSize?: number }
  | { kind: 'sorted'; name?: string; keysA: Key[]; keysB?: Key[]; window: number }
  | { kind: 'tokens'; name?: string; tokensA: string[][]; tokensB?: string[][]; maxBlockSize: number };

export interface PassReport {
  name: string;
  kind: BlockingPass['kind'];
  /** Pairs this pass produced (before the union). */
  pairs: number;
  /** Pairs it added that no earlier pass had. */
  newPairs: number;
  blocks: number;
  skippedBlocks: number;
  /** Records in the skipped blocks (counted once per block). */
  skippedRecords: number;
}

export interface CandidatePairs {
  mode: 'dedupe' | 'link';
  nA: number;
  nB: number;
  /** Left index of each pair (in A). */
  a: Uint32Array;
  /** Right index of each pair (in A for dedupe, in B for link). */
  b: Uint32Array;
  /** Pairs compared (= a.length). */
  pairs: number;
  /** All possible pairs: n(n−1)/2, or nA·nB. */
  possible: number;
  /** 1 − pairs / possible. */
  reductionRatio: number;
  passes: PassReport[];
}

class PairSet {
  readonly seen = new Set<number>();
  constructor(private readonly width: number, private readonly dedupe: boolean) {}
  add(i: number, j: number): boolean {
    if (this.dedupe) {
      if (i === j) return false;
      if (i > j) [i, j] = [j, i];
    }
    const k = i * this.width + j;
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }
}

function keyOf(k: Key): string {
  return k === null || k === undefined ? '' : k;
}

/** Groups record indices by key (side 0 = A, 1 = B); empty keys left out. */
function groupBy(keysA: Key[], keysB?: Key[]): Map<string, [number[], number[]]> {
  const m = new Map<string, [number[], number[]]>();
  const put = (keys: Key[], side: 0 | 1) => {
    keys.forEach((k, i) => {
      const s = keyOf(k);
      if (!s) return;
      let g = m.get(s);
      if (!g) m.set(s, (g = [[], []]));
      g[side].push(i);
    });
  };
  put(keysA, 0);
  if (keysB) put(keysB, 1);
  return m;
}

function emitBlocks(
  groups: Iterable<[number[], number[]]>,
  link: boolean,
  maxBlockSize: number,
  emit: (i: number, j: number) => void,
  report: PassReport,
): void {
  for (const [ga, gb] of groups) {
    const size = ga.length + gb.length;
    if (link ? ga.length === 0 || gb.length === 0 : ga.length < 2) continue;
    report.blocks++;
    if (size > maxBlockSize) {
      report.skippedBlocks++;
      report.skippedRecords += size;
      continue;
    }
    if (link) {
      for (const i of ga) for (const j of gb) emit(i, j);
    } else {
      for (let x = 0; x < ga.length; x++) for (let y = x + 1; y < ga.length; y++) emit(ga[x]!, ga[y]!);
    }
  }
}

/** Union of the candidate pairs of all passes. Give nB (and keysB/tokensB in every pass) to link two tables. */
export function candidatePairs(passes: BlockingPass[], nA: number, nB?: number): CandidatePairs {
  const link = nB !== undefined;
  const width = link ? nB : nA;
  const set = new PairSet(Math.max(1, width), !link);
  const reports: PassReport[] = [];
  passes.forEach((pass, idx) => {
    const report: PassReport = {
      name: pass.name ?? `${pass.kind}-${idx + 1}`,
      kind: pass.kind,
      pairs: 0,
      newPairs: 0,
      blocks: 0,
      skippedBlocks: 0,
      skippedRecords: 0,
    };
    const emit = (i: number, j: number) => {
      report.pairs++;
      if (set.add(i, j)) report.newPairs++;
    };
    if (pass.kind === 'standard') {
      if (link && !pass.keysB) throw new Error(`blocking pass ${report.name}: keysB is required to link two tables`);
      emitBlocks(groupBy(pass.keysA, pass.keysB).values(), link, pass.maxBlockSize ?? Infinity, emit, report);
    } else if (pass.kind === 'tokens') {
      if (link && !pass.tokensB) throw new Error(`blocking pass ${report.name}: tokensB is required to link two tables`);
      const m = new Map<string, [number[], number[]]>();
      const put = (toks: string[][], side: 0 | 1) =>
        toks.forEach((ts, i) => {
          for (const t of new Set(ts)) {
            if (!t) continue;
            let g = m.get(t);
            if (!g) m.set(t, (g = [[], []]));
            g[side].push(i);
          }
        });
      put(pass.tokensA, 0);
      if (link) put(pass.tokensB!, 1);
      emitBlocks(m.values(), link, pass.maxBlockSize, emit, report);
    } else {
      if (link && !pass.keysB) throw new Error(`blocking pass ${report.name}: keysB is required to link two tables`);
      const w = Math.max(2, Math.floor(pass.window));
      const items: { k: string; side: 0 | 1; i: number }[] = [];
      pass.keysA.forEach((k, i) => keyOf(k) && items.push({ k: keyOf(k), side: 0, i }));
      if (link) pass.keysB!.forEach((k, i) => keyOf(k) && items.push({ k: keyOf(k), side: 1, i }));
      items.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : x.side - y.side || x.i - y.i));
      report.blocks = items.length;
      for (let p = 0; p < items.length; p++) {
        const x = items[p]!;
        for (let q = p + 1; q < Math.min(items.length, p + w); q++) {
          const y = items[q]!;
          if (!link) emit(x.i, y.i);
          else if (x.side !== y.side) x.side === 0 ? emit(x.i, y.i) : emit(y.i, x.i);
        }
      }
    }
    reports.push(report);
  });
  const keys = Float64Array.from(set.seen).sort();
  const a = new Uint32Array(keys.length);
  const b = new Uint32Array(keys.length);
  for (let p = 0; p < keys.length; p++) {
    const k = keys[p]!;
    a[p] = Math.floor(k / width);
    b[p] = k - a[p]! * width;
  }
  const possible = link ? nA * nB : (nA * (nA - 1)) / 2;
  return {
    mode: link ? 'link' : 'dedupe',
    nA,
    nB: link ? nB : nA,
    a,
    b,
    pairs: keys.length,
    possible,
    reductionRatio: possible > 0 ? 1 - keys.length / possible : 0,
    passes: reports,
  };
}

/** Pairs completeness: the share of the given true pairs that blocking kept (for evaluation). */
export function pairsCompleteness(c: CandidatePairs, truePairs: [number, number][]): number {
  if (truePairs.length === 0) return 1;
  const width = c.mode === 'link' ? c.nB : c.nA;
  const s = new Set<number>();
  for (let p = 0; p < c.pairs; p++) s.add(c.a[p]! * width + c.b[p]!);
  let hit = 0;
  for (let [i, j] of truePairs) {
    if (c.mode === 'dedupe' && i > j) [i, j] = [j, i];
    if (s.has(i * width + j)) hit++;
  }
  return hit / truePairs.length;
}
