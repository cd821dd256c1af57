/**
 * A CRM list imported into the DuckDB engine: its person copy in the workspace (what the identity
 * build reads of its names, birthdays and places) is written as the import writes the rows, and
 * appended to by a later batch when it held every earlier row. It must equal, cell by cell, the copy
 * read back from DuckDB (what was done before, and is still done when the copy is out of date), and
 * the identity built on it must equal the workspace engine's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';

let t: ReturnType<typeof tempDir>;
let cli: ReturnType<typeof segmintIn>;
let parts: string[];
let people: number;

beforeAll(() => {
  t = tempDir();
  cli = segmintIn(() => t.dir);
  const exp = path.join(t.dir, 'export');
  cli.json(['demo', 'messy', '--out', exp, '--people', '300', '--seed', '41']);
  people = JSON.parse(readFileSync(path.join(exp, 'truth.json'), 'utf8')).people;
  // the CRM list (GBK, as Excel saves it) in two batches, its bytes kept as they are (latin1 maps each byte to one
  // character); quoted fields never hold a line break in this export: the row counts below would show it
  const [head, ...lines] = readFileSync(path.join(exp, 'crm.csv'), 'latin1').replace(/\r\n$/, '').split('\r\n');
  const half = Math.floor(lines.length / 2);
  parts = [lines.slice(0, half), lines.slice(half)].map((ls, i) => {
    const f = path.join(t.dir, `crm-${i + 1}.csv`);
    writeFileSync(f, [head, ...ls].join('\r\n') + '\r\n', 'latin1');
    return f;
  });
}, 120_000);

afterAll(() => t?.cleanup());

/** The workspace's person copy of the dataset named, every row and cell in _row order. */
function persons(ws: string): { columns: string[]; rows: unknown[][] } {
  const db = new Database(ws, { readonly: true });
  try {
    const id = (db.prepare("SELECT id FROM datasets WHERE name = 'CRM'").get() as { id: string }).id;
    const stmt = db.prepare(`SELECT * FROM "${id}__persons" ORDER BY _row`);
    return { columns: stmt.columns().map((c) => c.name), rows: stmt.raw(true).all() as unknown[][] };
  } finally {
    db.close();
  }
}

/** The copy made again the way it was before: the keys marked out of date, so the next job reads it back from DuckDB. */
function readBack(ws: string): { columns: string[]; rows: unknown[][] } {
  const db = new Database(ws);
  db.prepare('DELETE FROM engine_key_signatures').run();
  db.close();
  cli.json(['identity', '--workspace', ws]);
  return persons(ws);
}

describe('a DuckDB CRM list: its person copy written as it is imported', () => {
  it('a new import, then an append: the copy equals the one read back from DuckDB, and the identity the workspace engine\'s', () => {
    const ws = path.join(t.dir, 'duck.segmint');
    const sqliteWs = path.join(t.dir, 'sqlite.segmint');
    for (const w of [ws, sqliteWs]) cli.json(['workspace', 'create', w]);
    const first = cli.json(['import', parts[0]!, '--name', 'CRM', '--engine', 'duckdb', '--workspace', ws]);
    const written = persons(ws);
    expect(written.rows).toHaveLength(first.rowsImported);
    // the columns the identity reads: member id, phone, name and more, every one of them filled somewhere
    expect(written.columns.length).toBeGreaterThanOrEqual(4);
    for (let j = 1; j < written.columns.length; j++) expect(written.rows.some((r) => r[j] !== null), written.columns[j]).toBe(true);
    expect(readBack(ws)).toEqual(written);

    const second = cli.json(['import', parts[1]!, '--append-to', 'CRM', '--workspace', ws]);
    const appended = persons(ws);
    expect(appended.rows).toHaveLength(first.rowsImported + second.rowsImported);
    expect(appended.rows.slice(0, written.rows.length)).toEqual(written.rows);
    expect(readBack(ws)).toEqual(appended);

    cli.json(['import', parts[0]!, '--name', 'CRM', '--workspace', sqliteWs]);
    cli.json(['import', parts[1]!, '--append-to', 'CRM', '--workspace', sqliteWs]);
    const [s, d] = [cli.json(['identity', '--workspace', sqliteWs]), cli.json(['identity', '--workspace', ws])];
    expect(s.customers).toBe(people);
    expect(d.customers).toBe(s.customers);
    expect(d.sharedKeys).toBe(s.sharedKeys);
  });

  it('an append to a list whose copy is out of date: the whole copy is read back from DuckDB, not half of it', () => {
    const ws = path.join(t.dir, 'stale.segmint');
    cli.json(['workspace', 'create', ws]);
    const first = cli.json(['import', parts[0]!, '--name', 'CRM', '--engine', 'duckdb', '--workspace', ws]);
    const db = new Database(ws);
    const id = (db.prepare("SELECT id FROM datasets WHERE name = 'CRM'").get() as { id: string }).id;
    // out of date (as after a role changed): the copy is emptied, so an append that only added its own rows would show it
    db.prepare('DELETE FROM engine_key_signatures').run();
    db.prepare(`DELETE FROM "${id}__persons"`).run();
    db.close();
    const second = cli.json(['import', parts[1]!, '--append-to', 'CRM', '--workspace', ws]);
    const copy = persons(ws);
    expect(copy.rows).toHaveLength(first.rowsImported + second.rowsImported);
    expect(readBack(ws)).toEqual(copy);
  });
});
