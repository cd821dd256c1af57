/**
 * Send-time analysis: a weekday × hour grid (local wall time of the data; 0 = Monday) of
 * response/conversion rates with counts; cells with fewer than `minCount` sends are flagged.
 * The recommended window is the 1–3 consecutive hours (any weekday) whose pooled rate has the
 * highest Wilson lower bound — so a small, lucky cell does not win — reported with its interval.
 * The best CELL (one weekday at one hour) is chosen the same way among cells with ≥ `minCount`
 * sends, with the counts behind it; ties go to the larger n, then the earlier cell.
 */
import { wilson } from '../../kernel/intervals';

export interface SendEvent {
  weekday: number;
  hour: number;
  success: boolean;
}

export interface SendGrid {
  cells: { weekday: number; hour: number; n: number; x: number; rate: number; sparse: boolean }[];
  best: { startHour: number; endHour: number; n: number; x: number; rate: number; lower: number; upper: number } | null;
  bestCell: { weekday: number; hour: number; n: number; x: number; rate: number; lower: number; upper: number } | null;
}

export function sendTimeGrid(events: SendEvent[], opts: { minCount?: number; maxWidth?: number } = {}): SendGrid {
  const counts = emptyCounts();
  for (const e of events) {
    counts.n[e.weekday]![e.hour]!++;
    if (e.success) counts.x[e.weekday]![e.hour]!++;
  }
  return sendTimeGridOf(counts, opts);
}

/** Sends (n) and successes (x) per weekday × hour, all zero. */
export function emptyCounts(): { n: number[][]; x: number[][] } {
  return { n: Array.from({ length: 7 }, () => new Array<number>(24).fill(0)), x: Array.from({ length: 7 }, () => new Array<number>(24).fill(0)) };
}

/** The grid from counts already made (SQL's GROUP BY weekday, hour). */
export function sendTimeGridOf({ n, x }: { n: number[][]; x: number[][] }, opts: { minCount?: number; maxWidth?: number } = {}): SendGrid {
  const min = opts.minCount ?? 30;
  const cells = [];
  for (let w = 0; w < 7; w++) for (let h = 0; h < 24; h++) cells.push({ weekday: w, hour: h, n: n[w]![h]!, x: x[w]![h]!, rate: n[w]![h]! ? x[w]![h]! / n[w]![h]! : 0, sparse: n[w]![h]! < min });
  const byHourN = Array.from({ length: 24 }, (_, h) => n.reduce((s, row) => s + row[h]!, 0));
  const byHourX = Array.from({ length: 24 }, (_, h) => x.reduce((s, row) => s + row[h]!, 0));
  let best: SendGrid['best'] = null;
  for (let width = 1; width <= (opts.maxWidth ?? 3); width++)
    for (let start = 0; start + width <= 24; start++) {
      let nn = 0;
      let xx = 0;
      for (let h = start; h < start + width; h++) {
        nn += byHourN[h]!;
        xx += byHourX[h]!;
      }
      if (nn < min) continue;
      const [lower, upper] = wilson(xx, nn);
      if (!best || lower > best.lower) best = { startHour: start, endHour: start + width, n: nn, x: xx, rate: xx / nn, lower, upper };
    }
  let bestCell: SendGrid['bestCell'] = null;
  for (const c of cells) {
    if (c.sparse || c.n === 0) continue;
    const [lower, upper] = wilson(c.x, c.n);
    if (!bestCell || lower > bestCell.lower || (lower === bestCell.lower && c.n > bestCell.n)) bestCell = { weekday: c.weekday, hour: c.hour, n: c.n, x: c.x, rate: c.rate, lower, upper };
  }
  return { cells, best, bestCell };
}
