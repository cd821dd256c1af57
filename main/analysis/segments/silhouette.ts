/**
 * Mean silhouette coefficient (Euclidean). Exact O(n²) when n ≤ sampleSize (default 5,000);
 * otherwise the mean over a seeded uniform sample of sampleSize points, each scored against
 * all n points (the usual large-n estimate, as scikit-learn's sample_size). Points in a
 * singleton cluster score 0. Needs at least 2 clusters.
 */
import { createRng, shuffle } from '../../kernel/random';
import { CancelledError } from '../../../shared/errors';

export function silhouette(data: Float64Array, n: number, d: number, labels: Int32Array, opts: { sampleSize?: number; seed?: number; shouldCancel?: () => boolean } = {}): number {
  if (labels.length !== n) throw new Error('labels must have one entry per row');
  let k = 0;
  for (let i = 0; i < n; i++) k = Math.max(k, labels[i]! + 1);
  if (k < 2) throw new Error('silhouette needs at least 2 clusters');
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  const sampleSize = opts.sampleSize ?? 5000;
  let points: number[];
  if (n <= sampleSize) points = [...Array(n).keys()];
  else points = shuffle(createRng(opts.seed ?? 0), [...Array(n).keys()]).slice(0, sampleSize);
  const sums = new Float64Array(k);
  let total = 0;
  for (let p = 0; p < points.length; p++) {
    if (p % 256 === 0 && opts.shouldCancel?.()) throw new CancelledError();
    const i = points[p]!;
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let u = 0; u < d; u++) {
        const diff = data[i * d + u]! - data[j * d + u]!;
        s += diff * diff;
      }
      sums[labels[j]!]! += Math.sqrt(s);
    }
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    total += (b - a) / Math.max(a, b);
  }
  return total / points.length;
}
