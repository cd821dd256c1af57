/**
 * The export writer's temp files (./write.ts) are recognisable (`.segmint-tmp-…`) and listed in a
 * ledger in the data folder while they exist (one small JSON file each: owner pid and path), so
 * one left by a process that was killed mid-export (holding customer rows) is removed at the
 * next start, wherever the user chose to export. Kept apart from the writer so that opening the
 * app does not load the spreadsheet libraries.
 */
import path from 'node:path';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';

export const EXPORT_TEMP_PREFIX = '.segmint-tmp-';
let ledgerDir: string | null = null;

/**
 * Where in-flight temp files are listed (one small JSON file each: owner pid and path), set by the
 * app for its data folder; job worker threads inherit it through the environment.
 */
export function setExportTempLedger(dir: string): void {
  ledgerDir = dir;
  process.env.SEGMINT_EXPORT_LEDGER = dir;
}
export const currentLedger = () => ledgerDir ?? process.env.SEGMINT_EXPORT_LEDGER ?? null;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove temp files left by exports whose process died (kill -9, power loss); returns them. */
export function cleanStaleExportTemps(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    const entry = path.join(dir, f);
    try {
      const { pid, path: tmp } = JSON.parse(readFileSync(entry, 'utf8')) as { pid: number; path: string };
      if (processAlive(pid)) continue; // still writing (this or another Segmint process)
      if (typeof tmp === 'string' && path.basename(tmp).startsWith(EXPORT_TEMP_PREFIX) && existsSync(tmp)) {
        rmSync(tmp, { force: true });
        removed.push(tmp);
      }
    } catch {
      /* unreadable entry: drop it */
    }
    rmSync(entry, { force: true });
  }
  return removed;
}

