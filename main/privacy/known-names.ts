/**
 * Presentation mode's name masking by value: a personal name can turn up anywhere — greeted in a
 * personalised SMS text, under an SQL alias (`SELECT 姓名 AS 客户`), inside group_concat or
 * json_object — so masking by column name is not enough. The workspace's known names (values
 * of its datasets' name-role columns and of the customers table) are found inside every text
 * in one pass (Aho–Corasick, modern-ahocorasick) and masked like a name column (杨思远 → 杨**).
 *
 * - One-character names are left out: they would hide that character everywhere.
 * - Latin-script names match only as whole words ("Ann" not inside "Annual").
 * - The matcher is cached per workspace connection and rebuilt when the catalog changes
 *   (an import, an append, a deletion, a new customer view), detected by a cheap fingerprint.
 */
import AhoCorasick from 'modern-ahocorasick';
import type { DB } from '../db/open';
import { qid } from '../db/open';
import { detectPiiKind, maskName } from './masks';

export interface NameMatcher {
  ac: AhoCorasick | null;
  size: number;
}

const LATIN_WORD = /[\p{Script=Latin}\p{N}_]/u;

export function knownNameMatcher(names: Iterable<string>): NameMatcher {
  const set = new Set<string>();
  for (const n of names) {
    const s = n.normalize('NFC').trim();
    if ([...s].length >= 2 && s.length <= 64) set.add(s);
  }
  return { ac: set.size ? new AhoCorasick([...set]) : null, size: set.size };
}

/** `text` with every known name masked. */
export function maskKnownNames(text: string, m: NameMatcher | null | undefined): string {
  if (!m?.ac || text.length < 2) return text;
  let out = '';
  let at = 0;
  for (const hit of m.ac.iterate(text, { strategy: 'leftmost-longest' })) {
    const name = text.slice(hit.start, hit.end);
    // A Latin-script name inside a longer word is not that name.
    const latin = LATIN_WORD.test(name[0]!) || LATIN_WORD.test(name[name.length - 1]!);
    if (latin && ((hit.start > 0 && LATIN_WORD.test(text[hit.start - 1]!)) || (hit.end < text.length && LATIN_WORD.test(text[hit.end]!)))) continue;
    out += text.slice(at, hit.start) + maskName(name);
    at = hit.end;
  }
  return at === 0 ? text : out + text.slice(at);
}

/** Distinct values of the workspace's name columns. */
export function collectKnownNames(db: DB): Set<string> {
  const names = new Set<string>();
  const add = (sql: string) => {
    for (const v of db.prepare(sql).pluck().iterate() as IterableIterator<unknown>) if (typeof v === 'string' && v.trim()) names.add(v.trim());
  };
  const datasets = db.prepare('SELECT id, columns FROM datasets').all() as { id: string; columns: string }[];
  for (const d of datasets) {
    let cols: { name: string; role?: string | null }[] = [];
    try {
      cols = JSON.parse(d.columns);
    } catch {
      continue;
    }
    for (const c of cols) {
      if (c.role !== 'name' && detectPiiKind(c.name, c.role ?? null, []) !== 'name') continue;
      try {
        add(`SELECT DISTINCT ${qid(c.name)} FROM ${qid(d.id)}`);
      } catch {
        /* a catalogued table that is gone: nothing to learn */
      }
    }
  }
  const hasCustomers = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'customers'").get();
  if (hasCustomers) {
    for (const col of ['name', 'name_simplified']) {
      try {
        add(`SELECT DISTINCT ${qid(col)} FROM customers`);
      } catch {
        /* older customers table without that column */
      }
    }
  }
  return names;
}

const cache = new WeakMap<DB, { fingerprint: string; matcher: NameMatcher }>();

function fingerprint(db: DB): string {
  const d = db.prepare("SELECT count(*) || ':' || coalesce(sum(row_count), 0) || ':' || coalesce(max(id), '') || ':' || coalesce(max(created_at), '') AS f FROM datasets").pluck().get() as string;
  // Cheap on a big customers table: the last rowid and the link run's summary (changes per run).
  let c = '';
  try {
    c = String(db.prepare("SELECT (SELECT max(rowid) FROM customers) || ':' || coalesce((SELECT length(value) || value FROM customers_meta WHERE key = 'link'), '')").pluck().get());
  } catch {
    /* no customers table */
  }
  return `${d}|${c}`;
}

/** The workspace's name matcher, rebuilt only when its datasets or customers changed. */
export function workspaceNameMatcher(db: DB): NameMatcher {
  const f = fingerprint(db);
  const hit = cache.get(db);
  if (hit && hit.fingerprint === f) return hit.matcher;
  const matcher = knownNameMatcher(collectKnownNames(db));
  cache.set(db, { fingerprint: f, matcher });
  return matcher;
}
