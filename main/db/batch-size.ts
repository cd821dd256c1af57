/**
 * Rows per multi-row INSERT for rows of `width` values: at most ~30k bound values per statement,
 * under SQLite's limit. Apart from ./batch.ts so that code filling batches in another thread (the
 * import's reading half) need not load the SQLite driver.
 */
export function batchRows(width: number): number {
  return Math.max(1, Math.min(64, Math.floor(30_000 / width)));
}
