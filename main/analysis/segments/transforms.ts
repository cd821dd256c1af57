/**
 * Column-wise feature transforms over a row-major n × d matrix, applied in order:
 * log1p (x ≥ 0 expected; negatives are clipped to 0 first), standardize (mean 0, population
 * std 1 — scikit-learn's StandardScaler; a constant column becomes 0), minmax (to [0, 1]).
 */
export type Transform = 'none' | 'log1p' | 'standardize' | 'minmax';

export interface TransformParams {
  steps: Transform[];
  mean?: Float64Array;
  std?: Float64Array;
  min?: Float64Array;
  max?: Float64Array;
}

export function transformMatrix(data: Float64Array, n: number, d: number, steps: Transform[]): { data: Float64Array; params: TransformParams } {
  if (data.length !== n * d) throw new Error(`matrix has ${data.length} values, expected ${n} × ${d}`);
  const out = Float64Array.from(data);
  const params: TransformParams = { steps };
  for (const step of steps) {
    if (step === 'log1p') {
      for (let i = 0; i < out.length; i++) out[i] = Math.log1p(Math.max(0, out[i]!));
    } else if (step === 'standardize') {
      const mean = new Float64Array(d);
      const std = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += out[i * d + j]! / n;
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) std[j]! += (out[i * d + j]! - mean[j]!) ** 2 / n;
      for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]!);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = std[j]! > 0 ? (out[i * d + j]! - mean[j]!) / std[j]! : 0;
      params.mean = mean;
      params.std = std;
    } else if (step === 'minmax') {
      const min = new Float64Array(d).fill(Infinity);
      const max = new Float64Array(d).fill(-Infinity);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < d; j++) {
          const v = out[i * d + j]!;
          if (v < min[j]!) min[j] = v;
          if (v > max[j]!) max[j] = v;
        }
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = max[j]! > min[j]! ? (out[i * d + j]! - min[j]!) / (max[j]! - min[j]!) : 0;
      params.min = min;
      params.max = max;
    }
  }
  return { data: out, params };
}
