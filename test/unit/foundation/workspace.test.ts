import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { testApp } from '../../helpers/app';

describe('workspace lifecycle', () => {
  it('creates, lists, renames, backs up, restores and deletes with confirmation', async () => {
    const app = testApp();
    const ws = await app.call('workspace/create', { name: '会员分析 2024' });
    expect(ws.name).toBe('会员分析 2024');
    expect(ws.datasets).toBe(0);
    await expect(app.call('workspace/create', { name: '会员分析 2024' })).rejects.toMatchObject({ code: 'workspace_exists' });

    const db = app.ctx.requireSession().db;
    db.exec("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('before')");
    const backup = await app.call('backups/create', { reason: 'test' });
    db.exec("UPDATE notes SET x = 'after'");
    await app.call('backups/restore', { backup: backup.path });
    const restored = app.ctx.requireSession().db.prepare('SELECT x FROM notes').get() as { x: string };
    expect(restored.x).toBe('before');
    const { backups } = await app.call('backups/list', {});
    expect(backups.some((b) => b.reason === 'before restore')).toBe(true);

    const renamed = await app.call('workspace/rename', { path: ws.path, name: 'Renamed' });
    expect(existsSync(renamed.path)).toBe(true);
    expect(existsSync(ws.path)).toBe(false);
    const list = await app.call('workspace/list', {});
    expect(list.recent.map((r) => r.name)).toContain('Renamed');

    await expect(app.call('workspace/delete', { path: renamed.path, confirmName: 'renamed' })).rejects.toMatchObject({ code: 'confirm_mismatch' });
    expect(existsSync(renamed.path)).toBe(true);
    await app.call('workspace/delete', { path: renamed.path, confirmName: 'Renamed' });
    expect(existsSync(renamed.path)).toBe(false);
    expect(await app.call('workspace/current', {})).toBeNull();

    const audit = app.ctx.session;
    expect(audit).toBeNull();
    await app.close();
  });

  it('writes the audit log for workspace events', async () => {
    const app = testApp();
    const ws = await app.call('workspace/create', { name: 'audited' });
    await app.call('workspace/close', {});
    await app.call('workspace/open', { path: ws.path });
    const { entries } = await app.call('audit/list', { limit: 10 });
    expect(entries.map((e) => e.action)).toEqual(['workspace.opened', 'workspace.created']);
    expect(entries[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    await app.close();
  });

  it('a browser-mode renderer cannot open files outside the workspace folder', async () => {
    const app = testApp('browser');
    await expect(app.call('workspace/open', { path: '/etc/passwd' })).rejects.toMatchObject({ code: 'path_not_allowed' });
    await expect(app.call('import/inspect', { files: [{ path: '/etc/passwd' }] })).rejects.toMatchObject({ code: 'path_not_allowed' });
    await app.close();
  });
});
