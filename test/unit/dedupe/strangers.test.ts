/**
 * Dedupe through the app on a generated CRM where the hard cases are planted: true duplicates
 * (typos, phone spellings, traditional script, a second member id, address variants, missing
 * fields), same-name strangers (one common name, different birthday, phone and city) and families
 * sharing one phone (different names and birthdays). Pairwise F1 ≥ 0.97 with ≤ 1 % of the
 * stranger pairs merged and no family merged, using nothing but the column roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as OpenCC from 'opencc-js';
import { createRng, randInt, shuffle, type Rng } from '../../../main/kernel/random';
import { clusterPairsOf, pairwiseScores } from '../../../main/analysis/dedupe/index';
import type { DedupeRun } from '../../../shared/api/customers';
import { allClusters, mergedPairs } from '../../helpers/dedupe';
import { importFile, runJob, testApp, type TestApp } from '../../helpers/app';

const COMMON = ['张伟', '王芳', '李娜', '刘洋', '王静', '李强', '张敏', '王磊', '陈静', '刘杰'];
const SURNAMES = ['赵', '钱', '孙', '周', '吴', '郑', '冯', '褚', '卫', '蒋', '沈', '韩', '杨', '朱', '秦', '许', '何', '吕', '施', '曹'];
const GIVEN = ['子涵', '浩然', '欣怡', '梓萱', '宇轩', '一诺', '思远', '雨桐', '俊杰', '佳怡', '晨曦', '明轩', '诗涵', '博文', '佳琪'];
const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '南京', '西安', '重庆'];
const STREETS = ['人民路', '解放路', '中山路', '建设路', '和平路', '长江路'];
const toTrad = OpenCC.Converter({ from: 'cn', to: 'tw' });
const pick = <T,>(rng: Rng, xs: readonly T[]) => xs[randInt(rng, xs.length)]!;

interface Person { name: string; phone: string; birthday: string; city: string; address: string }

function person(rng: Rng, name: string): Person {
  const y = 1960 + randInt(rng, 45);
  return {
    name,
    phone: `1${pick(rng, ['35', '38', '39', '58', '86', '88'])}${String(randInt(rng, 1e8)).padStart(8, '0')}`,
    birthday: `${y}-${String(1 + randInt(rng, 12)).padStart(2, '0')}-${String(1 + randInt(rng, 28)).padStart(2, '0')}`,
    city: pick(rng, CITIES),
    address: `${pick(rng, STREETS)}${1 + randInt(rng, 300)}号`,
  };
}

/** A second record of the same person, as another system or a typo would write it. */
function variant(rng: Rng, p: Person): Person {
  const r = { ...p };
  for (const e of shuffle(rng, ['trad', 'phoneFormat', 'phoneTypo', 'dateFormat', 'cityMissing', 'addressVariant', 'phoneMissing']).slice(0, 2)) {
    if (e === 'trad') r.name = toTrad(r.name);
    if (e === 'phoneFormat') r.phone = pick(rng, [`+86 ${r.phone.slice(0, 3)} ${r.phone.slice(3, 7)} ${r.phone.slice(7)}`, `0086${r.phone}`, `${r.phone.slice(0, 3)}-${r.phone.slice(3, 7)}-${r.phone.slice(7)}`]);
    if (e === 'phoneTypo') r.phone = r.phone.slice(0, 10) + ((Number(r.phone[10]) + 1) % 10);
    if (e === 'dateFormat') { const [y, m, d] = r.birthday.split('-'); r.birthday = `${y}/${Number(m)}/${Number(d)}`; }
    if (e === 'cityMissing') r.city = '';
    if (e === 'addressVariant') r.address = `${r.city}市${r.address}`;
    if (e === 'phoneMissing') r.phone = '';
  }
  return r;
}

function crm(seed: number) {
  const rng = createRng(seed);
  const rows: { id: string; p: Person; entity: number }[] = [];
  let entity = 0;
  const add = (p: Person, e: number) => rows.push({ id: `M${100000 + rows.length}`, p, entity: e });
  const strangers: [number, number][] = [];
  const families: [number, number][] = [];
  // 600 ordinary people, a third of them with a second record (another member id)
  for (let i = 0; i < 600; i++) {
    const p = person(rng, pick(rng, SURNAMES) + pick(rng, GIVEN));
    add(p, entity);
    if (rng() < 0.33) add(variant(rng, p), entity);
    entity++;
  }
  // same-name strangers: 10 common names, 15 people each, every pair a stranger pair; some also duplicated
  for (const name of COMMON) {
    const firsts: number[] = [];
    for (let k = 0; k < 15; k++) {
      const p = person(rng, name);
      firsts.push(rows.length);
      add(p, entity);
      if (rng() < 0.2) add(variant(rng, p), entity);
      entity++;
    }
    for (let a = 0; a < firsts.length; a++) for (let b = a + 1; b < firsts.length; b++) strangers.push([firsts[a]!, firsts[b]!]);
  }
  // families: two people, one phone (and one address), different names and birthdays
  for (let i = 0; i < 60; i++) {
    const a = person(rng, pick(rng, SURNAMES) + pick(rng, GIVEN));
    // another given name (a family never gives two members one name)
    const b = { ...person(rng, a.name[0] + pick(rng, GIVEN.filter((x) => x !== a.name.slice(1)))), phone: a.phone, address: a.address, city: a.city };
    families.push([rows.length, rows.length + 1]);
    add(a, entity++);
    add(b, entity++);
  }
  const order = shuffle(rng, rows.map((_, i) => i));
  const pos = new Map(order.map((o, i) => [o, i + 1])); // file row numbers (1-based) after shuffling
  const csv = ['会员编号,姓名,手机号码,生日,城市,地址', ...order.map((o) => { const r = rows[o]!; return [r.id, r.p.name, r.p.phone, r.p.birthday, r.p.city, r.p.address].join(','); })].join('\n') + '\n';
  const groups = new Map<number, number[]>();
  rows.forEach((r, i) => groups.set(r.entity, [...(groups.get(r.entity) ?? []), pos.get(i)!]));
  const truth = clusterPairsOf([...groups.values()].filter((g) => g.length > 1));
  const map = (ps: [number, number][]) => ps.map(([a, b]) => [pos.get(a)!, pos.get(b)!] as [number, number]);
  return { csv, rows: rows.length, truth, strangers: map(strangers), families: map(families) };
}

describe('dedupe does not merge same-name strangers or families', () => {
  let app: TestApp;
  beforeAll(async () => { app = testApp(); await app.call('workspace/create', { name: 'strangers' }); });
  afterAll(() => app.close());

  it('pairwise F1 ≥ 0.97, ≤ 1 % of stranger pairs and no family merged', async () => {
    const g = crm(31);
    const file = path.join(app.dir, 'crm.csv');
    writeFileSync(file, g.csv);
    const id = await importFile(app, file, 'crm');
    const roles = Object.fromEntries((await app.call('datasets/get', { id })).columns.map((c) => [c.name, c.role]));
    expect(roles).toMatchObject({ 姓名: 'name', 手机号码: 'phone', 生日: 'birthday', 城市: 'city' });
    const run = await runJob<DedupeRun>(app, app.call('customers/dedupe', { datasetId: id, threshold: 0.5 }));
    const clusters = await allClusters(app, run.runId);
    const { pairs, merged } = mergedPairs(clusters);
    const s = pairwiseScores(pairs, g.truth);
    const strangersMerged = g.strangers.filter(([a, b]) => merged(a, b)).length;
    const familiesMerged = g.families.filter(([a, b]) => merged(a, b)).length;
    if (process.env.DEBUG_STRANGERS) {
      console.log('figures', JSON.stringify({ rows: g.rows, truePairs: g.truth.length, ...s, strangersMerged, familiesMerged }));
      const lines = g.csv.split('\n');
      for (const [a, b] of g.families.filter(([a, b]) => merged(a, b))) {
        const c = clusters.find((cl) => cl.rows.some((r) => r.row === a))!;
        console.log('family', lines[a], '|', lines[b], '| cluster', c.rows.map((r) => lines[r.row]).join(' / '));
      }
    }
    expect(g.truth.length).toBeGreaterThan(200);
    expect(g.strangers.length).toBe(1050);
    expect(familiesMerged).toBe(0);
    expect(strangersMerged / g.strangers.length).toBeLessThanOrEqual(0.01);
    expect(s.f1, `precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)}`).toBeGreaterThanOrEqual(0.97);
  }, 120_000);
});
