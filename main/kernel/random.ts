/**
 * Seeded pseudo-random numbers shared by every algorithm, so that the same seed gives the same
 * result on every machine. mulberry32: 32-bit state, fast, good enough for sampling/shuffling
 * (not for cryptography — pseudonyms use HMAC, see main/privacy).
 */
export type Rng = () => number;

export function createRng(seed: number): Rng {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Standard normal via Box-Muller. */
export function randNormal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Fisher-Yates shuffle in place; returns the array. */
export function shuffle<T>(rng: Rng, arr: T[]): T[] {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const tmp = arr[i]!;
    arr[i] = arr[j]!;
    arr[j] = tmp;
  }
  return arr;
}

/** A child seed derived from a parent seed and an index (for n_init restarts, folds, …). */
export function deriveSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) + Math.imul(index + 1, 0x27d4eb2f)) >>> 0;
}
