/**
 * The high-level API on a seeded synthetic Chinese customer list: autoConfig from column
 * roles, dedupe with traditional/simplified names, homophone surnames, phone spellings and
 * typos, e-mail case, date formats; recluster; link between two tables.
 */
import { describe, expect, it } from 'vitest';
import * as OpenCC from 'opencc-js';
import { createRng, randInt, shuffle, type Rng } from '../../../main/kernel/random';
import { autoConfig, dedupe, link, recluster, clusterPairsOf, pairwiseScores, goldenRecord, type Row } from '../../../main/analysis/dedupe/index';

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '慧', '建国', '志强', '晓东', '海燕'];
const HOMOPHONE: Record<string, string> = { 张: '章', 王: '汪', 李: '黎', 刘: '留', 陈: '晨', 杨: '阳', 黄: '皇', 周: '舟', 吴: '武', 徐: '许' };
const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '南京'];
const toTrad = OpenCC.Converter({ from: 'cn', to: 'tw' });

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[randInt(rng, xs.length)]!;
}

function customers(n: number, dups: number, seed: number): { rows: Row[]; entity: number[] } {
  const rng = createRng(seed);
  const base: Row[] = [];
  for (let i = 0; i < n; i++) {
    const y = 1960 + randInt(rng, 40);
    const m = 1 + randInt(rng, 12);
    const d = 1 + randInt(rng, 28);
    base.push({
      name: pick(rng, SURNAMES) + pick(rng, GIVEN),
      phone: `1${pick(rng, ['3', '5', '8'])}${String(randInt(rng, 1e9)).padStart(9, '0')}`,
      email: `user${i}@example.com`,
      birth_date: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      city: pick(rng, CITIES),
      amount: String(randInt(rng, 1000)),
    });
  }
  const rows = base.map((r) => ({ ...r }));
  const entity = base.map((_, i) => i);
  for (let k = 0; k < dups; k++) {
    const i = randInt(rng, n);
    const r: Row = { ...base[i]! };
    const name = String(r.name);
    const edits = shuffle(rng, ['trad', 'homophone', 'phoneFormat', 'phoneTypo', 'emailCase', 'emailMissing', 'dateFormat', 'cityMissing']).slice(0, 3);
    for (const e of edits) {
      if (e === 'trad') r.name = toTrad(name);
      if (e === 'homophone' && HOMOPHONE[name[0]!]) r.name = HOMOPHONE[name[0]!] + name.slice(1);
      if (e === 'phoneFormat') r.phone = `+86 ${String(r.phone).slice(0, 3)}-${String(r.phone).slice(3, 7)}-${String(r.phone).slice(7)}`;
      if (e === 'phoneTypo') r.phone = String(r.phone).slice(0, 10) + ((Number(String(r.phone)[10]) + 1) % 10);
      if (e === 'emailCase') r.email = String(r.email).toUpperCase();
      if (e === 'emailMissing') r.email = '';
      if (e === 'dateFormat') {
        const [y, m, d] = String(r.birth_date).split('-');
        r.birth_date = `${y}年${Number(m)}月${Number(d)}日`;
      }
      if (e === 'cityMissing') r.city = '';
    }
    r.amount = String(randInt(rng, 1000));
    rows.push(r);
    entity.push(i);
  }
  return { rows, entity };
}

function truthPairs(entity: number[]): [number, number][] {
  const groups = new Map<number, number[]>();
  entity.forEach((e, i) => groups.set(e, [...(groups.get(e) ?? []), i]));
  return clusterPairsOf([...groups.values()].filter((g) => g.length > 1));
}

const columns = [
  { name: 'name', role: 'name' },
  { name: 'phone', role: 'phone' },
  { name: 'email', role: 'email' },
  { name: 'birth_date', role: 'birth_date' },
  { name: 'city', role: 'city' },
  { name: 'amount', role: 'amount' },
];

describe('dedupe API', () => {
  it('autoConfig maps roles to comparators and blocking, and leaves transaction columns out', () => {
    const c = autoConfig(columns);
    expect(c.fields.map((f) => f.name)).toEqual(['name', 'phone', 'email', 'birth_date', 'city']);
    expect(c.ignored).toEqual(['amount']);
    expect(c.fields.find((f) => f.name === 'name')!.comparator).toBe('name');
    expect(c.blocking.length).toBeGreaterThanOrEqual(4);
  });

  it('finds duplicates with traditional names, homophones, phone spellings and date formats', () => {
    const { rows, entity } = customers(600, 200, 42);
    const r = dedupe(rows, autoConfig(columns));
    const truth = truthPairs(entity);
    const s = pairwiseScores(clusterPairsOf(r.clusters), truth);
    expect(s.recall).toBeGreaterThan(0.95);
    expect(s.precision).toBeGreaterThan(0.95);
    expect(r.blocking.reductionRatio).toBeGreaterThan(0.98);
    // a stricter threshold can only split clusters
    const strict = recluster(r, 0.9999);
    for (const c of strict.clusters) expect(new Set(c.map((i) => r.labels[i])).size).toBe(1);
    // a golden record for the first cluster, with provenance
    const g = goldenRecord(r.clusters[0]!.map((i) => rows[i]!), { fields: ['name', 'phone', 'email'], defaultRule: 'most_frequent' });
    expect(g.provenance.phone!.row).toBeGreaterThanOrEqual(0);
  });

  it('links two tables with the same config', () => {
    const { rows, entity } = customers(300, 300, 7);
    const a = rows.slice(0, 300);
    const b = rows.slice(300);
    const r = link(a, b, { ...autoConfig(columns), oneToOne: false });
    const truth = entity.slice(300).map((e, j) => [e, 300 + j] as [number, number]);
    const predicted = clusterPairsOf(r.clusters).filter(([i, j]) => i < 300 && j >= 300);
    const s = pairwiseScores(predicted, truth);
    expect(s.f1).toBeGreaterThan(0.95);
  });

  it('hooks report progress and can cancel', () => {
    const { rows } = customers(200, 50, 3);
    const stages = new Set<string>();
    dedupe(rows, autoConfig(columns), { onProgress: (s) => stages.add(s) });
    expect([...stages]).toEqual(['block', 'compare', 'fit', 'cluster']);
    expect(() => dedupe(rows, autoConfig(columns), { shouldCancel: () => true })).toThrow(/cancelled/);
  });
});
