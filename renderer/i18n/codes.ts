/**
 * Codes and messages that come from main/ (the importer's quarantine reasons and details, backup
 * reasons) turned into UI text. main/ keeps writing its English detail (the CLI and the stored
 * tables show it); the screens read the numbers back out of it and say it in the UI language.
 */
import type { TFunction } from 'i18next';

export const codesZh = {
  quarantineColumns: { line: '行号', reason: '原因', detail: '详情', raw: '原始内容' },
  detail: {
    ragged: '{{n}} 个字段，应为 {{expected}} 个',
    raggedSheet: '{{n}} 个单元格，而表头有 {{width}} 列（工作表第 {{row}} 个非空行）',
    nul_byte: '该记录含 NUL（0x00）字符',
    undecodable: '有字节不符合所选编码',
    unterminated_quote: '引号中的字段到文件末尾仍未闭合',
    bad_quote: '闭合引号后还有文字',
    fieldTooLarge: '第 {{i}} 个字段有 {{n}} 个字符（上限 {{max}}）',
    lineCut: '该行有 {{n}} 个字符，只保留前 {{max}} 个',
  },
  backup: {
    manual: '手动备份', beforePassphrase: '修改密码前', beforeRestore: '恢复前', before: '{{what}} 之前',
    deleteDataset: '删除数据集 {{id}} 前', deleteSegmentation: '删除分群方案 {{id}} 前', mergeDuplicates: '合并重复记录（运行 {{id}}）前',
  },
};

export const codesEn: typeof codesZh = {
  quarantineColumns: { line: 'Line', reason: 'Reason', detail: 'Detail', raw: 'Raw text' },
  detail: {
    ragged: '{{n}} fields, expected {{expected}}',
    raggedSheet: "{{n}} cells, the sheet's header has {{width}} columns (row {{row}} of the sheet's non-empty rows)",
    nul_byte: 'the record contains NUL (0x00) characters',
    undecodable: 'bytes not valid in the chosen encoding',
    unterminated_quote: 'a quoted field is still open at the end of the file',
    bad_quote: 'text after a closing quote',
    fieldTooLarge: 'field {{i}} has {{n}} characters (limit {{max}})',
    lineCut: 'a line of {{n}} characters; only the first {{max}} are kept',
  },
  backup: {
    manual: 'manual', beforePassphrase: 'before passphrase change', beforeRestore: 'before restore', before: 'before {{what}}',
    deleteDataset: 'before deleting dataset {{id}}', deleteSegmentation: 'before deleting segmentation {{id}}', mergeDuplicates: 'before merging duplicates (run {{id}})',
  },
};

// The importer's detail texts (main/import/reader.ts, main/services/import/run.ts) and their numbers.
const DETAILS: [RegExp, string, string[]][] = [
  [/^(\d+) fields, expected (\d+)$/, 'ragged', ['n', 'expected']],
  [/^(\d+) cells, the sheet's header has (\d+) columns \(row (\d+)/, 'raggedSheet', ['n', 'width', 'row']],
  [/^field (\d+) has (\d+) characters \(limit (\d+)\)$/, 'fieldTooLarge', ['i', 'n', 'max']],
  [/^a line of (\d+) characters; only the first (\d+) are kept$/, 'lineCut', ['n', 'max']],
];
const FIXED = new Set(['nul_byte', 'undecodable', 'unterminated_quote', 'bad_quote']);

/** A quarantine row's detail in the UI language (unknown texts are shown as stored). */
export function quarantineDetail(t: TFunction, reason: string, detail: string): string {
  if (FIXED.has(reason)) return t(`codes.detail.${reason}`);
  for (const [re, key, names] of DETAILS) {
    const m = re.exec(detail);
    if (m) return t(`codes.detail.${key}`, Object.fromEntries(names.map((k, i) => [k, Number(m[i + 1]).toLocaleString()])));
  }
  return detail;
}

/** A backup's reason (kept in its file name, words joined by spaces) in the UI language. */
export function backupReason(t: TFunction, reason: string): string {
  const r = reason.trim();
  if (r === 'manual' || r === '') return t('codes.backup.manual');
  if (r === 'before passphrase change') return t('codes.backup.beforePassphrase');
  if (r === 'before restore') return t('codes.backup.beforeRestore');
  let m = /^(?:delete|deleting) dataset (.+)$/.exec(r);
  if (m) return t('codes.backup.deleteDataset', { id: m[1]!.replace(/^ds (\d+)$/, 'ds_$1') });
  if ((m = /^deleting segmentation (.+)$/.exec(r))) return t('codes.backup.deleteSegmentation', { id: m[1] });
  if ((m = /^merging duplicates of run (.+)$/.exec(r))) return t('codes.backup.mergeDuplicates', { id: m[1] });
  return r;
}
