/**
 * The workspace's pseudonym secret: 32 random bytes created on first use and kept in the
 * workspace itself (table privacy_meta, migration 6), so it is encrypted with the workspace's
 * passphrase when it has one and travels with its backups. It is never returned by any call,
 * written to an export, a report or the audit log. Another workspace has another secret, so its
 * tokens are unrelated.
 */
import type { DB } from '../../db/open';
import { createSecret, decodeSecret, encodeSecret } from '../../privacy/pseudonym';

const KEY = 'pseudonym_secret';

/** Read the secret, creating it when the workspace has none yet. */
export function workspaceSecret(db: DB): Buffer {
  const read = () => db.prepare('SELECT value FROM privacy_meta WHERE key = ?').get(KEY) as { value: string } | undefined;
  let row = read();
  if (!row) {
    db.prepare('INSERT OR IGNORE INTO privacy_meta (key, value) VALUES (?, ?)').run(KEY, encodeSecret(createSecret()));
    row = read()!;
  }
  return decodeSecret(row.value);
}

/** Read-only variant for connections that must not write (returns null when none exists yet). */
export function existingSecret(db: DB): Buffer | null {
  const row = db.prepare('SELECT value FROM privacy_meta WHERE key = ?').get(KEY) as { value: string } | undefined;
  return row ? decodeSecret(row.value) : null;
}
