/**
 * Protected exports, audit, backups and reports through the real services on the demo
 * workspace (real SQLite, real worker threads): nothing raw leaks, suppression is honoured and
 * counted, bad input writes nothing, paths the user did not choose are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { importFile, runJob, tempDir, testApp, type TestApp } from '../../helpers/app';
import type { ExportResult } from '../../../shared/api/privacy';
import type { SegmentationInfo } from '../../../shared/api/segments';
import { downloadFile } from '../../../main/services/files';
import { startHttpHost } from '../../../main/rpc/http-host';

/** The segment's customers as the RFM result lists them (one row per customer with its segment's key), read by the test itself. */
const membersOf = () => `SELECT customer_id FROM "${seg.resultDataset}" WHERE segment = ?`;
let app: TestApp;
let out: ReturnType<typeof tempDir>;
let contacts: string;
let seg: SegmentationInfo;
let target: SegmentationInfo['segments'][number];
let truthDir: string;

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const csvRows = (f: string) => {
  const text = readFileSync(f, 'utf8').replace(/^\ufeff/, '');
  return text.split('\r\n').filter(Boolean).map((l) => l.split(','));
};
const db = () => app.ctx.requireSession().db;

beforeAll(async () => {
  app = testApp();
  out = tempDir('segmint-privacy-out-');
  const { jobId } = await app.call('demo/open', { seed: 42, customers: 1500 });
  const demo = await app.ctx.jobs.wait(jobId);
  truthDir = path.dirname((demo.result as { truth: string }).truth);
  const ds = await app.call('datasets/list', {});
  contacts = ds.find((d) => d.name === 'CRM 联系人')!.id;
  const orders = ds.find((d) => d.name === '订单')!.id;
  const r = await runJob<{ segmentation: SegmentationInfo }>(app, app.call('segments/rfm', { datasetId: orders, scheme: 'cn8' }));
  seg = r.segmentation;
  target = [...seg.segments].sort((a, b) => b.size - a.size)[0]!;
  expect(seg.resultDataset).toBeTruthy();
  // Unsubscribes from the demo's replies, plus a few of this segment's own members by hand, so
  // the export must leave some out.
  await app.call('sms/suppression/sync', { replies: ds.find((d) => d.name === '短信回复')!.id });
  const memberPhones = db()
    .prepare(`SELECT "手机号码" FROM "${contacts}" WHERE "客户编号" IN (${membersOf()}) AND "手机号码" IS NOT NULL ORDER BY _row LIMIT 7`)
    .raw(true)
    .all(target.key) as [string][];
  await app.call('sms/suppression/add', { phones: memberPhones.map((r) => r[0]), reason: 'manual' });
});

afterAll(async () => {
  await app?.close();
  out?.cleanup();
});

describe('protected segment export', () => {
  it('masks phones and names, renders the template from masked values, leaves suppressed phones out and audits the file hash', async () => {
    const file = path.join(out.dir, 'members.csv');
    const tpl = '{姓名|顾客}您好，会员日全场8折，回T退订';
    const args = {
      segmentId: target.id,
      columns: ['客户编号', '姓名', '手机号码', '城市'],
      protect: [
        { column: '姓名', protect: 'mask' as const },
        { column: '手机号码', protect: 'mask' as const },
      ],
      template: { text: tpl, column: '短信内容' },
    };
    const preview = await app.call('privacy/export/preview', args);
    expect(preview.datasetId).toBe(contacts); // the contact list, not the orders the RFM came from
    expect(preview.keyColumn).toBe('客户编号');
    expect(preview.messages).toHaveLength(5);
    expect(preview.header).toEqual(['客户编号', '姓名', '手机号码', '城市', '短信内容']);
    for (const m of preview.messages) {
      expect(m.text.endsWith('您好，会员日全场8折，回T退订')).toBe(true);
      expect(m.encoding).toBe('UCS-2');
    }
    // Independent count, from the customer the identity build gave each contact row: one row per member
    // in the list (its own registration, else its first), and those whose phone is suppressed.
    const mine = `SELECT min(c._row) FROM "${contacts}__customers" c JOIN "${contacts}" t ON t._row = c._row AND t."客户编号" = c.customer_id WHERE c.customer_id IN (${membersOf()}) GROUP BY c.customer_id
      UNION ALL SELECT min(c._row) FROM "${contacts}__customers" c WHERE c.customer_id IN (${membersOf()}) AND c.customer_id NOT IN (SELECT t."客户编号" FROM "${contacts}" t WHERE t."客户编号" IS NOT NULL) GROUP BY c.customer_id`;
    const members = (db().prepare(`SELECT count(*) AS n FROM (${mine})`).get(target.key, target.key) as { n: number }).n;
    const suppressed = (db().prepare(`SELECT count(*) AS n FROM "${contacts}" WHERE _row IN (${mine}) AND "手机号码" IN (SELECT phone FROM suppression)`).get(target.key, target.key) as { n: number }).n;
    expect(suppressed).toBeGreaterThanOrEqual(7);
    expect(preview.total).toBe(members);
    expect(preview.suppressed).toBe(suppressed);
    expect(preview.rows).toBe(members - suppressed);

    const started = await app.call('privacy/export', { ...args, path: file });
    const r = await runJob<ExportResult>(app, Promise.resolve(started));
    expect(r.rows).toBe(members - suppressed);
    expect(r.suppressed).toBe(suppressed);
    expect(r.suppression).toBe('applied');

    // No raw phone of any dataset in the file, in any spelling; no full name of an exported member.
    const text = readFileSync(file, 'utf8');
    const phones = new Set<string>();
    for (const d of await app.call('datasets/list', {}))
      for (const c of d.columns.filter((c) => c.role === 'phone'))
        for (const [p] of db().prepare(`SELECT DISTINCT "${c.name}" FROM "${d.id}" WHERE "${c.name}" IS NOT NULL`).raw(true).all() as [string][]) phones.add(String(p));
    expect(phones.size).toBeGreaterThan(1000);
    const leaks = [...phones].filter((p) => text.includes(p) || text.includes(p.replace(/^\+86/, '')));
    expect(leaks).toEqual([]);
    const rows = csvRows(file);
    expect(rows[0]).toEqual(['客户编号', '姓名', '手机号码', '城市', '短信内容']);
    expect(rows.length - 1).toBe(r.rows);
    const names = db().prepare(`SELECT "客户编号", "姓名" FROM "${contacts}" WHERE "客户编号" IN (${membersOf()})`).raw(true).all(target.key) as [string, string | null][];
    const nameOf = new Map(names);
    for (const row of rows.slice(1)) {
      const raw = nameOf.get(row[0]!);
      expect(row[2]).toMatch(/^1[3-9]\d\*{4}\d{4}$|^$/); // the national form: nothing a spreadsheet would escape
      if (raw && raw.length >= 2) {
        expect(row[1]).not.toBe(raw);
        expect(row[4]).toBe(`${row[1]}您好，会员日全场8折，回T退订`); // the message sees the masked name
        expect(row.join(',')).not.toContain(raw);
      }
    }
    // Suppressed phones are not among the exported members.
    const exportedIds = new Set(rows.slice(1).map((x) => x[0]));
    const suppressedIds = db().prepare(`SELECT "客户编号" FROM "${contacts}" WHERE "手机号码" IN (SELECT phone FROM suppression)`).raw(true).all() as [string][];
    expect(suppressedIds.filter(([id]) => exportedIds.has(id))).toEqual([]);

    // The audit entry names the file's hash, the protection and the suppressed count.
    const a = await app.call('audit/list', { action: 'export', limit: 5, offset: 0 });
    const entry = a.entries.find((e) => e.id === r.auditId)!;
    const d = entry.details as { sha256: string; suppressed: number; protection: { column: string; protect: string; kind: string }[]; columns: string[] };
    expect(d.sha256).toBe(sha(file));
    expect(r.sha256).toBe(sha(file));
    expect(entry.rows).toBe(r.rows);
    expect(d.suppressed).toBe(suppressed);
    expect(d.protection).toEqual([
      { column: '姓名', protect: 'mask', kind: 'name' },
      { column: '手机号码', protect: 'mask', kind: 'phone' },
    ]);
  });

  it('keeps suppressed phones only when told to', async () => {
    const p = await app.call('privacy/export/preview', { segmentId: target.id, suppression: false });
    expect(p.suppression).toBe('off');
    expect(p.suppressed).toBe(0);
    expect(p.rows).toBe(p.total);
  });

  it('keyed pseudonyms are stable across exports and differ in another workspace', async () => {
    const args = { datasetId: contacts, columns: ['客户编号', '手机号码'], protect: [{ column: '客户编号', protect: 'pseudonym' as const }, { column: '手机号码', protect: 'pseudonym' as const, kind: 'phone' as const }], suppression: false };
    const f1 = path.join(out.dir, 'p1.csv');
    const f2 = path.join(out.dir, 'p2.xlsx');
    await runJob(app, app.call('privacy/export', { ...args, path: f1 }));
    await runJob(app, app.call('privacy/export', { ...args, path: f1 + '.2.csv' }));
    await runJob(app, app.call('privacy/export', { ...args, path: f2, format: 'xlsx' }));
    const a = csvRows(f1);
    const b = csvRows(f1 + '.2.csv');
    expect(b).toEqual(a);
    expect(readFileSync(f2).subarray(0, 2).toString()).toBe('PK');
    expect(a[1]![0]).toMatch(/^p_[a-z2-7]{16}$/);
    const raw = db().prepare(`SELECT "客户编号" FROM "${contacts}" ORDER BY _row`).raw(true).all() as [string][];
    expect(new Set(a.slice(1).map((r) => r[0])).size).toBe(new Set(raw.map((r) => r[0])).size); // one token per id
    // The secret never leaves: it is not in the file, the result or the audit log.
    const secret = (db().prepare("SELECT value FROM privacy_meta WHERE key = 'pseudonym_secret'").get() as { value: string }).value;
    expect(readFileSync(f1, 'utf8')).not.toContain(secret);
    expect(JSON.stringify(await app.call('audit/list', { limit: 1000, offset: 0 }))).not.toContain(secret);

    // Another workspace, the same contacts file: another secret, unrelated tokens.
    const other = testApp();
    try {
      await other.call('workspace/create', { name: 'other' });
      const id = await importFile(other, path.join(truthDir, 'contacts.csv'), 'contacts');
      const f3 = path.join(out.dir, 'p3.csv');
      await runJob(other, other.call('privacy/export', { ...args, datasetId: id, path: f3 }));
      const c = csvRows(f3);
      expect(c.length).toBe(a.length);
      const same = c.slice(1).filter((r, i) => r[0] !== '' && r[0] === a[i + 1]![0]).length;
      expect(c.slice(1).filter((r) => r[0] !== '').length).toBeGreaterThan(1000);
      expect(same).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('refuses an unknown template field before writing anything', async () => {
    const file = path.join(out.dir, 'bad-template.csv');
    const err = await app.call('privacy/export', { segmentId: target.id, template: { text: '{姓名}您好，您的积分{积分}即将到期', column: '短信' }, path: file }).catch((e: Error & { code: string; zh: string }) => e);
    expect((err as { code: string }).code).toBe('privacy.template_invalid');
    expect((err as Error).message).toContain('{积分}');
    expect((err as { zh: string }).zh).toContain('{积分}');
    expect(existsSync(file)).toBe(false);
    await expect(app.call('privacy/export/preview', { segmentId: target.id, template: { text: '{姓名', column: '短信' } })).rejects.toMatchObject({ code: 'privacy.template_invalid' });
  });

  it('an unwritable path fails clearly and leaves nothing behind', async () => {
    const dir = path.join(out.dir, 'no-such-folder');
    const r = await app.call('privacy/export', { segmentId: target.id, path: path.join(dir, 'x.csv') });
    const job = await app.ctx.jobs.wait(r.jobId);
    expect(job.status).toBe('failed');
    expect(job.error!.code).toBe('export.dir_missing');
    expect(job.error!.zh).toContain('文件夹不存在');
    expect(existsSync(dir)).toBe(false);
    // A file name that is a folder: refused, nothing partial left in the folder.
    const before = readdirSync(out.dir).sort();
    const r2 = await app.call('privacy/export', { segmentId: target.id, path: out.dir });
    const job2 = await app.ctx.jobs.wait(r2.jobId);
    expect(job2.error!.code).toBe('export.is_directory');
    expect(readdirSync(out.dir).sort()).toEqual(before);
  });

  it('unknown columns and a message column that clashes are clear errors', async () => {
    await expect(app.call('privacy/export/preview', { segmentId: target.id, columns: ['姓名', '积分'] })).rejects.toMatchObject({ code: 'privacy.unknown_columns' });
    await expect(app.call('privacy/export/preview', { segmentId: target.id, columns: ['姓名', '城市'], template: { text: '{姓名}', column: '城市' } })).rejects.toMatchObject({ code: 'privacy.message_column_exists' });
    await expect(app.call('privacy/export/preview', { segmentId: 'no such segment' })).rejects.toMatchObject({ code: 'privacy.segment_not_found' });
  });
});

describe('paths in browser mode', () => {
  it('refuses a path the user did not choose; downloads and granted paths work', async () => {
    const b = testApp('browser');
    try {
      await runJob(b, b.call('demo/open', { seed: 7, customers: 300 }));
      const evil = path.join(out.dir, 'evil.csv');
      await expect(b.call('privacy/export', { datasetId: 'CRM 联系人', path: evil })).rejects.toMatchObject({ code: 'path_not_allowed' });
      await expect(b.call('reports/write', { kind: 'dashboard', path: path.join(out.dir, 'evil.html') })).rejects.toMatchObject({ code: 'path_not_allowed' });
      await expect(b.call('audit/export', { path: path.join(out.dir, 'evil-audit.csv') })).rejects.toMatchObject({ code: 'path_not_allowed' });
      expect(existsSync(evil)).toBe(false);
      // A download: written inside the data folder's exports, found by its id.
      const d = await b.call('privacy/export', { datasetId: 'CRM 联系人', protect: [{ column: '手机号码', protect: 'drop' }], download: true, fileName: '联系人.csv' });
      const res = await runJob<ExportResult>(b, Promise.resolve(d));
      const f = downloadFile(b.dir, d.downloadId!)!;
      expect(f.fileName).toBe('联系人.csv');
      expect(sha(f.path)).toBe(res.sha256);
      expect(csvRows(f.path)[0]).not.toContain('手机号码');
      expect(downloadFile(b.dir, '../../etc')).toBeNull();
      // Over HTTP: the token is required, the bytes are the file's, and a download works once.
      const host = await startHttpHost(b.ctx, b.dispatch);
      try {
        const u = `http://127.0.0.1:${host.port}/api/download?id=${d.downloadId}`;
        expect((await fetch(u)).status).toBe(401);
        const got = await fetch(u, { headers: { authorization: `Bearer ${host.token}` } });
        expect(got.status).toBe(200);
        expect(got.headers.get('content-disposition')).toContain(encodeURIComponent('联系人.csv'));
        expect(createHash('sha256').update(Buffer.from(await got.arrayBuffer())).digest('hex')).toBe(res.sha256);
        expect((await fetch(u, { headers: { authorization: `Bearer ${host.token}` } })).status).toBe(404);
        expect(existsSync(f.path)).toBe(false);
      } finally {
        await host.close();
      }
      // A path granted by the native save dialog is accepted.
      const granted = path.join(out.dir, 'granted.csv');
      b.ctx.grantWrite(granted);
      await runJob(b, b.call('privacy/export', { datasetId: 'CRM 联系人', columns: ['城市'], path: granted }));
      expect(csvRows(granted)[0]).toEqual(['城市']);
    } finally {
      await b.close();
    }
  });
});

describe('audit log', () => {
  it('lists actions and exports the log as CSV', async () => {
    const actions = await app.call('audit/actions', {});
    expect(actions.find((a) => a.action === 'export')!.count).toBeGreaterThanOrEqual(4);
    const file = path.join(out.dir, 'audit.csv');
    const r = await app.call('audit/export', { action: 'export', path: file });
    const rows = csvRows(file);
    expect(rows[0]).toEqual(['id', 'at', 'action', 'object_type', 'object_id', 'rows', 'details']);
    expect(r.rows).toBe(actions.find((a) => a.action === 'export')!.count);
    expect(r.sha256).toBe(sha(file));
  });
});

describe('backups', () => {
  it('backs up, backs up automatically before a deletion, restores, and prunes by retention', async () => {
    const list0 = await app.call('backups/list', {});
    const manual = await app.call('backups/create', { reason: 'test' });
    expect(existsSync(manual.path)).toBe(true);
    const ds = await app.call('datasets/list', {});
    const clicks = ds.find((d) => d.name === '短链点击')!;
    await expect(app.call('datasets/delete', { id: clicks.id, confirmName: 'wrong' })).rejects.toMatchObject({ code: 'confirm_mismatch' });
    expect((await app.call('backups/list', {})).backups.length).toBe(list0.backups.length + 1); // no backup for a refused delete
    await app.call('datasets/delete', { id: clicks.id, confirmName: clicks.name });
    const list1 = await app.call('backups/list', {});
    expect(list1.backups[0]!.reason).toContain('deleting dataset');
    expect((await app.call('datasets/list', {})).some((d) => d.id === clicks.id)).toBe(false);
    const r = await app.call('backups/restore', { backup: manual.path });
    expect(r.workspace).toBe(app.ctx.requireSession().path);
    const back = (await app.call('datasets/list', {})).find((d) => d.id === clicks.id)!;
    expect(back.rowCount).toBe(clicks.rowCount);
    const n = (db().prepare(`SELECT count(*) AS n FROM "${clicks.id}"`).get() as { n: number }).n;
    expect(n).toBe(clicks.rowCount);
    // Retention 2: the rest go now.
    const before = (await app.call('backups/list', {})).backups.length;
    expect(before).toBeGreaterThan(2);
    const p = await app.call('backups/retention', { keep: 2 });
    expect(p.removed.length).toBe(before - 2);
    expect((await app.call('backups/list', {})).backups.length).toBe(2);
    expect((await app.call('settings/get', {})).backupRetention).toBe(2);
    await expect(app.call('backups/restore', { backup: '/etc/passwd' })).rejects.toMatchObject({ code: 'backup_not_found' });
  });
});

describe('reports', () => {
  it('dashboard HTML is self-contained with SVG charts, in zh and en', async () => {
    const zh = path.join(out.dir, 'dash-zh.html');
    const en = path.join(out.dir, 'dash-en.html');
    const r = await app.call('reports/write', { kind: 'dashboard', lang: 'zh-CN', format: 'html', path: zh });
    await app.call('reports/write', { kind: 'dashboard', lang: 'en', format: 'html', path: en });
    for (const f of [zh, en]) {
      const html = readFileSync(f, 'utf8');
      expect(html).not.toMatch(/https?:\/\//i);
      expect(html).not.toMatch(/<script|<link|<img|@import|url\((?!#)/i);
      expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
    }
    expect(r.charts).toBeGreaterThanOrEqual(3);
    expect(readFileSync(zh, 'utf8')).toContain('经营概览报告');
    expect(readFileSync(en, 'utf8')).toContain('Business overview');
    expect(r.sha256).toBe(sha(zh));
    // The KPI on the page is the dashboard's own figure.
    const orders = (await app.call('datasets/list', {})).find((d) => d.name === '订单')!.id;
    const s = await app.call('dashboard/summary', { datasetId: orders });
    expect(readFileSync(en, 'utf8')).toContain(s.kpis.orders.toLocaleString('en-US'));
  });

  it('segment report masks member keys unless told not to', async () => {
    const m = path.join(out.dir, 'seg-masked.html');
    const u = path.join(out.dir, 'seg-raw.html');
    await app.call('reports/write', { kind: 'segment', id: seg.id, lang: 'zh-CN', path: m });
    await app.call('reports/write', { kind: 'segment', id: seg.id, lang: 'zh-CN', masked: false, path: u });
    const someMember = (db().prepare(`SELECT customer_id AS customer FROM "${seg.resultDataset}" ORDER BY customer_id LIMIT 1`).get() as { customer: string }).customer;
    expect(readFileSync(u, 'utf8')).toContain(someMember);
    expect(readFileSync(m, 'utf8')).not.toContain(someMember);
    expect(readFileSync(m, 'utf8')).toContain('<svg');
    expect(readFileSync(m, 'utf8')).not.toMatch(/https?:\/\//);
  });

  it('PDF: a non-blank page with extractable text', async () => {
    const f = path.join(out.dir, 'dash.pdf');
    const r = await app.call('reports/write', { kind: 'dashboard', lang: 'en', format: 'pdf', path: f });
    expect(r.printer).toBe('chromium');
    expect(readFileSync(f).subarray(0, 5).toString()).toBe('%PDF-');
    const txt = spawnSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
    expect(txt.stdout).toContain('Business overview');
    expect(txt.stdout).toContain('Monthly revenue');
    // Page 1 rendered to greyscale PGM (a trivial format): enough ink and contrast to be a page.
    const prefix = path.join(out.dir, 'page');
    spawnSync('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', f, prefix]);
    const pgm = readdirSync(out.dir).find((n) => n.startsWith('page') && n.endsWith('.pgm'))!;
    const buf = readFileSync(path.join(out.dir, pgm));
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 40).toString('latin1'))!;
    const px = buf.subarray(header[0].length);
    expect(px.length).toBe(Number(header[1]) * Number(header[2]));
    let sum = 0;
    let sq = 0;
    let dark = 0;
    for (const v of px) {
      sum += v;
      sq += v * v;
      if (v < 128) dark++;
    }
    const mean = sum / px.length;
    const sd = Math.sqrt(sq / px.length - mean * mean);
    expect(sd).toBeGreaterThan(15);
    expect(dark / px.length).toBeGreaterThan(0.005);
    // Chinese text survives into the PDF too.
    const zh = path.join(out.dir, 'dash-zh.pdf');
    await app.call('reports/write', { kind: 'dashboard', lang: 'zh-CN', format: 'pdf', path: zh });
    expect(spawnSync('pdftotext', [zh, '-'], { encoding: 'utf8' }).stdout).toContain('经营概览报告');
  });

  it('PDF without any printer is a clear error', async () => {
    const prev = process.env.SEGMINT_CHROMIUM;
    process.env.SEGMINT_CHROMIUM = path.join(out.dir, 'no-chromium-here');
    try {
      const f = path.join(out.dir, 'none.pdf');
      await expect(app.call('reports/write', { kind: 'dashboard', format: 'pdf', path: f })).rejects.toMatchObject({ code: 'privacy.no_pdf_printer' });
      expect(existsSync(f)).toBe(false);
    } finally {
      if (prev === undefined) delete process.env.SEGMINT_CHROMIUM;
      else process.env.SEGMINT_CHROMIUM = prev;
    }
  });
});

