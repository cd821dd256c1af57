/**
 * Writes the messy-brand export to a folder as an analyst receives it (CRM and sends in GBK, the
 * rest UTF-8) with `truth.json` beside it. Importing is left to the normal import path.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { generateMessyBrand, MESSY_DATASETS, type MessyOptions, type MessyTruth } from './brand';

export function writeMessyBrand(dir: string, opts: MessyOptions): { files: { file: string; dataset: string; encoding: string }[]; truthFile: string; truth: MessyTruth } {
  mkdirSync(dir, { recursive: true });
  const g = generateMessyBrand(opts);
  const files = g.files.map((f) => {
    const file = path.join(dir, f.name);
    writeFileSync(file, f.encoding === 'gbk' ? iconv.encode(f.text, 'gbk') : Buffer.from(f.text, 'utf8'));
    return { file, dataset: MESSY_DATASETS[f.name]!, encoding: f.encoding };
  });
  const truthFile = path.join(dir, 'truth.json');
  writeFileSync(truthFile, JSON.stringify(g.truth, null, 1));
  return { files, truthFile, truth: g.truth };
}
