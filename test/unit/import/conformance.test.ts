/**
 * Conformance: csv-spectrum's files and our cases after PapaParse's test suite (see
 * test/fixtures/import/conformance/README.md). Each file goes through encoding and dialect
 * detection and the streaming reader, whole and in 3-byte chunks, and must give the expected
 * rows; rows in = rows + quarantined holds for every case.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/datasets';
import { readAll } from './helpers';
import type { Dialect } from '../../../main/import/dialect';

const dir = path.join(repoRoot, 'test', 'fixtures', 'import', 'conformance');

describe('csv-spectrum', () => {
  const spectrum = path.join(dir, 'csv-spectrum');
  const names = readdirSync(spectrum).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4));
  it('has all twelve files', () => expect(names).toHaveLength(12));
  for (const name of names) {
    it(name, () => {
      const bytes = readFileSync(path.join(spectrum, `${name}.csv`));
      const json = JSON.parse(readFileSync(path.join(spectrum, `${name}.json`), 'utf8')) as Record<string, string> | Record<string, string>[];
      const expected = Array.isArray(json) ? json : [json];
      for (const chunk of [65536, 3]) {
        const r = readAll(bytes, chunk);
        expect(r.dialect.header).toBe(true);
        const objects = r.rows.map((row) => Object.fromEntries(r.header!.map((h, i) => [h, row[i]])));
        if (name === 'location_coordinates') {
          // A literal U+FFFD in the file reads like an undecodable byte: quarantined whole, raw kept (README).
          expect(r.rows).toEqual([]);
          expect(r.quarantined).toHaveLength(expected.length);
          expect(r.quarantined[0]).toMatchObject({ line: 2, reason: 'undecodable' });
          expect(r.quarantined[0]!.raw.split(',')[2]).toBe(expected[0]!.Cities);
        } else {
          expect(objects).toEqual(expected);
          expect(r.quarantined).toEqual([]);
        }
      }
    });
  }
});

interface Case {
  name: string;
  input: string;
  dialect?: Partial<Dialect>;
  detect?: Partial<Dialect>;
  header?: string[];
  rows: string[][];
  quarantined?: [number, string][];
  blank?: number;
  differs?: string;
}

describe('cases after PapaParse', () => {
  const cases = JSON.parse(readFileSync(path.join(dir, 'papaparse-cases.json'), 'utf8')) as Case[];
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(50));
  for (const c of cases) {
    it(c.name, () => {
      const bytes = Buffer.from(c.input, 'utf8');
      for (const chunk of [65536, 3, 1]) {
        const r = readAll(bytes, chunk, c.dialect);
        if (c.detect) expect(r.detected).toMatchObject(c.detect);
        if (c.header) expect(r.header).toEqual(c.header);
        expect(r.rows).toEqual(c.rows);
        expect(r.quarantined.map((q) => [q.line, q.reason])).toEqual(c.quarantined ?? []);
        if (c.blank !== undefined) expect(r.blank).toBe(c.blank);
      }
    });
  }
});
