/**
 * The joins list domains and refuse a name declared twice; every contract call has its handler.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { joinUnique } from '../../../main/services/join';
import { handlers } from '../../../main/services/handlers';
import { jobKinds } from '../../../main/jobs/kinds';
import { API_NAMES } from '../../../shared/api';

describe('registration', () => {
  it('throws on a name two domains declare', () => {
    expect(joinUnique<Record<string, number>>('call', { 'a/x': 1 }, { 'b/y': 2 })).toEqual({ 'a/x': 1, 'b/y': 2 });
    expect(() => joinUnique<Record<string, number>>('call', { 'a/x': 1, 'a/z': 3 }, { 'b/y': 2, 'a/x': 4 })).toThrow(/Duplicate call "a\/x"/);
  });

  it('every contract call has exactly one handler, and nothing else is registered', () => {
    expect(Object.keys(handlers).sort()).toEqual([...API_NAMES].sort());
    for (const name of API_NAMES) expect(typeof handlers[name], name).toBe('function');
  });

  it('no contract name is declared by two domain files (the spread in shared/api.ts would hide it)', async () => {
    const dir = path.join(__dirname, '../../../shared/api');
    const declared: string[] = [];
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const mod = await import(path.join(dir, f));
      for (const [k, v] of Object.entries(mod)) if (k.endsWith('Schemas') && v && typeof v === 'object') declared.push(...Object.keys(v));
    }
    expect(declared.length).toBe(new Set(declared).size);
    expect(declared.sort()).toEqual([...API_NAMES].sort());
  });

  it('job kinds are functions under domain names', () => {
    for (const [kind, fn] of Object.entries(jobKinds)) {
      expect(kind).toMatch(/^[a-z]+\/[a-z-]+(\/[a-z-]+)?$/);
      expect(typeof fn).toBe('function');
    }
  });
});
