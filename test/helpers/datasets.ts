import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

/** Repo root (this file is test/helpers/datasets.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The public datasets vendored in the repo (test/datasets, see its README), or SEGMINT_DATASETS. */
export const datasetsDir = process.env.SEGMINT_DATASETS ?? path.join(repoRoot, 'test', 'datasets');

export function datasetPath(name: string): string {
  const p = path.join(datasetsDir, name);
  if (!existsSync(p)) throw new Error(`dataset ${name} not found in ${datasetsDir}`);
  return p;
}

export function fixturePath(name: string): string {
  return path.join(repoRoot, 'test', 'fixtures', name);
}
