/**
 * Joins the per-domain maps (calls, job kinds) into one. A spread would let a later domain
 * silently replace an earlier one's entry of the same name; this throws instead, at start-up.
 */
export function joinUnique<M extends Record<string, unknown>>(what: string, ...maps: Partial<M>[]): M {
  const out: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [name, entry] of Object.entries(map)) {
      if (name in out) throw new Error(`Duplicate ${what} "${name}": two domains declare it.`);
      out[name] = entry;
    }
  }
  return out as M;
}

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/**
 * joinUnique typed from its parts: the result has every part's entries with their own types (the
 * contract's schema map is built this way, so listing a domain once gives both the value and the type).
 */
export function joinTyped<T extends Record<string, unknown>[]>(what: string, ...maps: T): UnionToIntersection<T[number]> {
  return joinUnique<Record<string, unknown>>(what, ...maps) as UnionToIntersection<T[number]>;
}
