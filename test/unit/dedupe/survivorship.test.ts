/** Survivorship rules and provenance. */
import { describe, expect, it } from 'vitest';
import { goldenRecord } from '../../../main/analysis/dedupe/survivorship';

const rows = [
  { id: 'c1', source: 'pos', name: '张伟', phone: '13800138000', address: '北京市朝阳区建国路', email: '', updated: '2023-01-05' },
  { id: 'c2', source: 'crm', name: '張偉', phone: '13800138000', address: '北京市朝阳区建国路88号', email: 'zw@example.com', updated: '2024-06-01' },
  { id: 'c3', source: 'web', name: '张伟', phone: '13900139000', address: '', email: 'zhangwei@example.com', updated: '2022-12-31' },
];

describe('golden record', () => {
  it('applies one rule per field and says which row supplied each value', () => {
    const g = goldenRecord(rows, {
      fields: ['name', 'phone', 'address', 'email'],
      rules: { name: 'most_frequent', phone: 'most_recent', address: 'most_complete', email: 'source_priority' },
      dateField: 'updated',
      sourceField: 'source',
      sourcePriority: ['web', 'crm', 'pos'],
      idField: 'id',
    });
    expect(g.record).toEqual({ name: '张伟', phone: '13800138000', address: '北京市朝阳区建国路88号', email: 'zhangwei@example.com' });
    expect(g.provenance.name).toMatchObject({ row: 0, id: 'c1', rule: 'most_frequent', candidates: 3, tie: false });
    expect(g.provenance.phone).toMatchObject({ row: 1, id: 'c2', source: 'crm' });
    expect(g.provenance.address).toMatchObject({ row: 1, candidates: 2 });
    expect(g.provenance.email).toMatchObject({ row: 2, source: 'web' });
  });

  it('ties fall back to most recent, then most complete, then first row; empty fields stay empty', () => {
    const g = goldenRecord(
      [
        { city: 'Beijing', note: ' ', t: '2020-01-01' },
        { city: 'Shanghai', note: null, t: '2021-01-01' },
      ],
      { rules: { city: 'most_frequent' }, dateField: 't' },
    );
    expect(g.record.city).toBe('Shanghai');
    expect(g.provenance.city!.tie).toBe(true);
    expect(g.record.note).toBeNull();
    expect(g.provenance.note!.row).toBe(-1);
  });

  it('unknown sources rank after listed ones; rules that need a column say so', () => {
    const g = goldenRecord(
      [
        { v: 'a', s: 'x' },
        { v: 'b', s: 'crm' },
      ],
      { defaultRule: { rule: 'source_priority', sources: ['crm'] }, sourceField: 's', fields: ['v'] },
    );
    expect(g.record.v).toBe('b');
    expect(() => goldenRecord(rows, { rules: { phone: 'most_recent' }, fields: ['phone'] })).toThrow(/dateField/);
  });
});
