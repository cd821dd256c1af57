/**
 * Stage transitions between two dates: a from × to count matrix (with an extra 'none' row/column
 * for customers who had no stage at one of the dates — not yet a customer at T1, or missing from
 * the T2 snapshot), row shares, and Sankey links. Sankey node ids carry the side ('t1:' / 't2:')
 * because ECharts' Sankey needs unique node names and a graph without cycles; a customer who stays
 * 'mature' is a link t1:mature → t2:mature, not a self-loop.
 */
import { STAGE_IDS, STAGE_LABELS, type StageId } from './stages';

export type StageOrNone = StageId | 'none';
export const TRANSITION_STATES: readonly StageOrNone[] = [...STAGE_IDS, 'none'];

export interface SankeyNode {
  id: string;
  stage: StageOrNone;
  side: 1 | 2;
  label: { zh: string; en: string };
  value: number;
}
export interface SankeyLink {
  source: string;
  target: string;
  value: number;
}

export interface TransitionResult {
  /** Row/column order of the matrix: the seven stages then 'none'. */
  states: readonly StageOrNone[];
  /** counts[from][to]. */
  counts: number[][];
  /** Row shares: counts[from][to] / Σ_to counts[from][·] (0 for an empty row). */
  shares: number[][];
  nodes: SankeyNode[];
  links: SankeyLink[];
  /** Customers counted (present at either date). */
  customers: number;
}

type Stages = ReadonlyMap<string, StageId | null | undefined> | Readonly<Record<string, StageId | null | undefined>>;

function entries(s: Stages): Map<string, StageId> {
  const m = new Map<string, StageId>();
  const it = s instanceof Map ? s.entries() : Object.entries(s as Record<string, StageId | null | undefined>);
  for (const [k, v] of it) if (v) m.set(k, v);
  return m;
}

const NONE_LABEL = { zh: '无', en: 'None' };

/** Transitions from the stages at T1 to the stages at T2, keyed by customer id. */
export function stageTransitions(stagesAtT1: Stages, stagesAtT2: Stages): TransitionResult {
  const a = entries(stagesAtT1);
  const b = entries(stagesAtT2);
  const counts = emptyCounts();
  const ids = new Set([...a.keys(), ...b.keys()]);
  for (const id of ids) counts[STATE_INDEX.get(a.get(id) ?? 'none')!]![STATE_INDEX.get(b.get(id) ?? 'none')!]!++;
  return fromCounts(counts, ids.size);
}

/** The same for two stage lists of the same customers in the same order (no map per customer). */
export function alignedStageTransitions(stagesAtT1: readonly (StageId | null)[], stagesAtT2: readonly (StageId | null)[]): TransitionResult {
  const counts = emptyCounts();
  let customers = 0;
  for (let i = 0; i < stagesAtT1.length; i++) {
    const [a, b] = [stagesAtT1[i], stagesAtT2[i]];
    if (!a && !b) continue;
    counts[STATE_INDEX.get(a ?? 'none')!]![STATE_INDEX.get(b ?? 'none')!]!++;
    customers++;
  }
  return fromCounts(counts, customers);
}

const STATE_INDEX = new Map(TRANSITION_STATES.map((s, i) => [s, i]));
const emptyCounts = () => Array.from({ length: TRANSITION_STATES.length }, () => new Array<number>(TRANSITION_STATES.length).fill(0));

function fromCounts(counts: number[][], customers: number): TransitionResult {
  const shares = counts.map((row) => {
    const t = row.reduce((x, y) => x + y, 0);
    return row.map((c) => (t ? c / t : 0));
  });
  const nodes: SankeyNode[] = [];
  const links: SankeyLink[] = [];
  for (const side of [1, 2] as const) {
    TRANSITION_STATES.forEach((s, i) => {
      const value = side === 1 ? counts[i]!.reduce((x, y) => x + y, 0) : counts.reduce((x, row) => x + row[i]!, 0);
      if (value > 0) nodes.push({ id: `t${side}:${s}`, stage: s, side, label: s === 'none' ? NONE_LABEL : STAGE_LABELS[s], value });
    });
  }
  TRANSITION_STATES.forEach((from, i) =>
    TRANSITION_STATES.forEach((to, j) => {
      if (counts[i]![j]! > 0) links.push({ source: `t1:${from}`, target: `t2:${to}`, value: counts[i]![j]! });
    }),
  );
  return { states: TRANSITION_STATES, counts, shares, nodes, links, customers };
}
