/**
 * A large import reads and types its files in a thread of its own while the job's thread inserts
 * (services/import/reader-thread.ts). The same messy files imported both ways must give the same
 * dataset to the cell: typed rows, the raw text kept where the typed value does not give it back,
 * quarantine, the catalog's counts and words; and an error or a cancel in either half must end the
 * import cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { testApp, type TestApp } from '../../helpers/app';
import { runImport } from '../../../main/services/import/run';
import { createRng, randInt } from '../../../main/kernel/random';
import type { ImportSettings } from '../../../shared/api/import';
import { CancelledError } from '../../../shared/errors';
import { DECODE_SLICE } from '../../../main/import/encoding';

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'reader thread' });
});
afterAll(() => app.close());

const HEADER = ['订单号', '手机', '下单时间', '金额', '会员', '城市', '备注'];
/** Rows of an export as Excel users make them: phones in every writing, dates in several layouts, money with separators, placeholders, quoted notes with commas, quotes and line breaks, and a ragged line now and then. */
function messyCsv(rows: number, seed: number, startId: number): { text: string; ragged: number } {
  const rng = createRng(seed);
  const pick = <T,>(a: T[]) => a[randInt(rng, a.length)]!;
  const lines = [HEADER.join(',')];
  let ragged = 0;
  for (let i = 0; i < rows; i++) {
    const mobile = `1${pick(['38', '39', '86', '58', '23'])}${String(randInt(rng, 1e8)).padStart(8, '0')}`;
    const phone = pick([mobile, `+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`, `0086-${mobile}`, '1.38E+10', '', '-', '010-12345678']);
    const d = `2024-${String(1 + randInt(rng, 12)).padStart(2, '0')}-${String(1 + randInt(rng, 31)).padStart(2, '0')}`;
    const when = pick([`${d} ${String(randInt(rng, 24)).padStart(2, '0')}:05:09`, `${d}T08:00:00`, `${d.replace(/-/g, '/')} 9:30`, '2024-02-30 10:00:00', '', 'N/A', '昨天']);
    const money = pick([(randInt(rng, 100000) / 100).toFixed(2), '"1,234.50"', '¥88', '12.5元', '-', '', 'abc']);
    const member = pick(['是', '否', '是', '']);
    const city = pick(['北京市', '上海市', '深圳', '']);
    const note = pick(['', '老客户', '"说 ""好的"", 谢谢"', '"第一行\n第二行"', '=1+2', '  前导空格']);
    const fields = [`SO${startId + i}`, phone, when, money, member, city, note];
    if (randInt(rng, 500) === 0) {
      fields.push('多出来的一列');
      ragged++;
    }
    lines.push(fields.join(','));
  }
  return { text: lines.join('\r\n') + '\r\n', ragged };
}

function gbkFile(name: string, text: string): { path: string; name: string; size: number; kind: 'text' } {
  const file = path.join(app.dir, name);
  const bytes = iconv.encode(text, 'gbk');
  writeFileSync(file, bytes);
  return { path: file, name, size: bytes.length, kind: 'text' };
}

const ctxOf = (o: { cancelAfterChecks?: number } = {}) => {
  let checks = 0;
  const check = () => {
    if (o.cancelAfterChecks !== undefined && ++checks > o.cancelAfterChecks) throw new CancelledError();
  };
  return { db: app.ctx.requireSession().db, jobId: 'reader-thread', progress: check, checkCancel: check, cancelled: () => false };
};

/** runImport inside its own transaction, as the job worker runs it. */
async function importInTx(files: ReturnType<typeof gbkFile>[], name: string, settings: ImportSettings, readerThread: boolean, o: { appendTo?: string; cancelAfterChecks?: number } = {}) {
  const db = app.ctx.requireSession().db;
  db.exec('BEGIN');
  try {
    const s = await runImport(ctxOf(o), { files, name, settings, ...(o.appendTo ? { appendTo: o.appendTo } : {}) }, { readerThread });
    db.exec('COMMIT');
    return s;
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}

function tables(id: string) {
  const db = app.ctx.requireSession().db;
  const all = (sql: string) => db.prepare(sql).raw(true).all() as unknown[][];
  const cat = db.prepare('SELECT columns, rows_in, row_count, quarantined FROM datasets WHERE id = ?').get(id);
  return {
    typed: all(`SELECT * FROM "${id}" ORDER BY _row`),
    raw: all(`SELECT * FROM "${id}__raw" ORDER BY _row`),
    rawDiff: all(`SELECT * FROM "${id}__rawdiff" ORDER BY _row`),
    quarantine: all(`SELECT * FROM "${id}__quarantine" ORDER BY line, detail`),
    cat,
  };
}

describe('the import read in a thread of its own', () => {
  it('gives the same dataset to the cell as the import read in the job thread (two GBK files, appended to, quarantine, invalid cells)', async () => {
    const a = messyCsv(24_000, 1, 1);
    const b = messyCsv(9_000, 2, 500_000);
    const files = [gbkFile('orders-a.csv', a.text), gbkFile('orders-b.csv', b.text)];
    const more = [gbkFile('orders-c.csv', messyCsv(7_000, 3, 900_000).text)];
    const inspect = await app.call('import/inspect', { files: [{ path: files[0]!.path }] });
    expect(inspect.settings.encoding).toMatch(/gb/i);
    // the analyst types the date and money columns (detection calls them text: a fifth of their cells are junk)
    const typeOf: Record<string, ImportSettings['columns'][number]['type']> = { 下单时间: 'datetime', 金额: 'decimal' };
    const settings = { ...inspect.settings, columns: inspect.settings.columns.map((c) => ({ ...c, type: typeOf[c.name] ?? c.type })) };

    const inJob = await importInTx(files, 'in the job thread', settings, false);
    const inThread = await importInTx(files, 'in its own thread', settings, true);
    const strip = (s: typeof inJob) => ({ ...s, datasetId: '', name: '', seconds: 0 });
    expect(strip(inThread)).toEqual(strip(inJob));
    // what was planted
    expect(inJob.rowsIn).toBe(33_000);
    expect(inJob.rowsQuarantined).toBe(a.ragged + b.ragged);
    expect(inJob.rowsQuarantined).toBeGreaterThan(20);
    const t1 = tables(inJob.datasetId);
    const t2 = tables(inThread.datasetId);
    expect(t2).toEqual(t1);
    expect(t1.rawDiff.length).toBeGreaterThan(10_000);
    expect(t1.quarantine.every((q) => /^orders-[ab]\.csv: /.test(String(q[2])))).toBe(true);
    // each bad cell is counted, and why (phones)
    const cols = JSON.parse((t1.cat as { columns: string }).columns) as { name: string; invalid: number; nulls: number; invalidReasons?: Record<string, number>; rawWords?: unknown }[];
    expect(cols.find((c) => c.name === '手机')!.invalidReasons?.excel_scientific).toBeGreaterThan(100);
    expect(cols.find((c) => c.name === '下单时间')!.invalid).toBeGreaterThan(1000);
    expect(cols.find((c) => c.name === '金额')!.invalid).toBeGreaterThan(1000);
    expect(t1.typed.some((r) => r[3] === '2024-02-30 10:00:00')).toBe(false);
    expect(t1.typed.filter((r) => r[4] === 1234.5).length).toBeGreaterThan(1000);
    expect(cols.find((c) => c.name === '会员')!.rawWords).toEqual(['是', '否']);
    // the values exactly as read: a note with a line break and quotes comes back whole
    const notes = new Set(t1.raw.map((r) => r[7]));
    expect(notes.has('第一行\n第二行')).toBe(true);
    expect(notes.has('说 "好的", 谢谢')).toBe(true);

    // appending continues the _row numbering the same way
    await importInTx(more, '', settings, false, { appendTo: inJob.datasetId });
    await importInTx(more, '', settings, true, { appendTo: inThread.datasetId });
    const u1 = tables(inJob.datasetId);
    expect(tables(inThread.datasetId)).toEqual(u1);
    expect(u1.typed.length).toBe(inJob.rowsImported + 7_000 - (u1.quarantine.length - inJob.rowsQuarantined));
  });

  it("an error in the reading thread (the second file's header) reaches the job as the same clear error, and nothing is written", async () => {
    const good = gbkFile('good.csv', messyCsv(30_000, 4, 1).text);
    const other = gbkFile('other.csv', messyCsv(10, 5, 1).text.replace('城市', '地区'));
    const settings = (await app.call('import/inspect', { files: [{ path: good.path }] })).settings;
    const db = app.ctx.requireSession().db;
    const before = (db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n;
    for (const readerThread of [false, true]) {
      const e = await importInTx([good, other], 'two headers', settings, readerThread).catch((x: unknown) => x);
      expect(e).toMatchObject({ name: 'AppError', code: 'header_mismatch' });
      expect((e as { zh: string }).zh).toContain('other.csv');
    }
    expect((db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n).toBe(before);
  });

  it('a cancel while rows are still coming stops the reading thread and the import ends as cancelled', async () => {
    const big = gbkFile('big.csv', messyCsv(60_000, 6, 1).text);
    const settings = (await app.call('import/inspect', { files: [{ path: big.path }] })).settings;
    const e = await importInTx([big], 'cancelled', settings, true, { cancelAfterChecks: 3 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'cancelled' });
    const db = app.ctx.requireSession().db;
    expect(db.prepare("SELECT count(*) AS n FROM datasets WHERE name = 'cancelled'").get()).toEqual({ n: 0 });
  });

  it('text cut mid-character by the decoder\'s 48 KiB slices comes back whole (UTF-8 and GB18030, two- to four-byte characters)', async () => {
    // names of Chinese, four-byte (𠮷 𪚥) and emoji characters, lines of every length: slice edges land inside characters
    const rng = createRng(48);
    const alphabet = [...'张王李赵刘陈备注北京上海𠮷𪚥😀é'];
    const names = Array.from({ length: 40_000 }, () => Array.from({ length: 1 + randInt(rng, 7) }, () => alphabet[randInt(rng, alphabet.length)]).join(''));
    const text = 'id,名字\n' + names.map((n, i) => `${i + 1},${n}`).join('\n') + '\n';
    for (const encoding of ['utf-8', 'gb18030'] as const) {
      const bytes = encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gb18030');
      // the premise: many slice edges fall inside a multi-byte character (the bytes before the edge end in a cut character)
      const inside = (edge: number) => new TextDecoder(encoding).decode(bytes.subarray(0, edge)).endsWith('\ufffd');
      const edges = Array.from({ length: Math.floor(bytes.length / DECODE_SLICE) }, (_, k) => (k + 1) * DECODE_SLICE);
      expect(edges.filter(inside).length, encoding).toBeGreaterThanOrEqual(3);
      const file = path.join(app.dir, `slices-${encoding}.csv`);
      writeFileSync(file, bytes);
      const settings = (await app.call('import/inspect', { files: [{ path: file }] })).settings;
      expect(settings.encoding).toBe(encoding);
      const s = await importInTx([{ path: file, name: `slices-${encoding}.csv`, size: bytes.length, kind: 'text' }], `slices ${encoding}`, settings, true);
      const read = tables(s.datasetId).raw.map((r) => r[2]);
      expect(read).toEqual(names);
    }
  });
});
