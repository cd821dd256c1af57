import { readFileSync } from 'node:fs';
import { createDecoder, detectEncoding, type EncodingName } from '../../../main/import/encoding';
import { detectDialect, type Dialect } from '../../../main/import/dialect';
import { createRowReader, type QuarantineRecord } from '../../../main/import/reader';

export interface ReadResult {
  encoding: EncodingName;
  dialect: Dialect;
  header: string[] | null;
  rows: string[][];
  quarantined: QuarantineRecord[];
  blank: number;
}

/** Detect from the first 64 KiB, then stream the whole file through decoder + reader in chunks. */
export function readAll(bytes: Uint8Array, chunk = 65536, override?: Partial<Dialect> & { encoding?: EncodingName }): ReadResult {
  const head = bytes.subarray(0, 65536);
  const encoding = override?.encoding ?? detectEncoding(head).encoding;
  const dec0 = createDecoder(encoding);
  let sample = dec0.decode(head);
  if (bytes.length <= 65536) sample += dec0.end();
  const dialect = { ...detectDialect(sample), ...override } as Dialect;
  let header: string[] | null = null;
  const rows: string[][] = [];
  const quarantined: QuarantineRecord[] = [];
  const reader = createRowReader(dialect, { onHeader: (h) => (header = h), onRow: (f) => rows.push(f), onQuarantine: (q) => quarantined.push(q) });
  const dec = createDecoder(encoding);
  for (let i = 0; i < bytes.length; i += chunk) reader.push(dec.decode(bytes.subarray(i, i + chunk)));
  reader.push(dec.end());
  reader.end();
  return { encoding, dialect, header, rows, quarantined, blank: reader.blankLines };
}

export function readFile(file: string, chunk?: number): ReadResult {
  return readAll(readFileSync(file), chunk);
}
