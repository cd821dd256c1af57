/**
 * Codes and messages that come from main/ (the importer's quarantine reasons and details, backup
 * reasons) turned into UI text. main/ keeps writing its English detail (the CLI and the stored
 * tables show it); the screens read the numbers back out of it and say it in the UI language.
 */
import type { ReactNode } from 'react';
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
  // audit log actions and object kinds (main/ writes them as codes)
  actions: { 'audit.exported': '导出审计日志', 'backup.pruned': '清理旧备份', 'customers.dedupe': '查找重复客户', 'customers.linked': '跨数据集关联客户', 'customers.merged': '合并重复客户', 'customers.unmerged': '撤销合并', 'dataset.appended': '追加导入', 'dataset.column_changed': '修改列类型/角色', 'dataset.deleted': '删除数据集', 'dataset.imported': '导入数据集', 'dataset.renamed': '重命名数据集', 'definitions.changed': '修改值定义', 'export': '导出', 'insights.lifecycle_stages': '保存生命周期阶段', 'monitor.deleted': '删除监控', 'monitor.saved': '保存监控', 'quality.recipe_applied': '应用清洗配方', 'quality.recipe_deleted': '删除清洗配方', 'quality.recipe_saved': '保存清洗配方', 'remote.add': '添加远程连接', 'remote.query': '远程查询', 'remote.remove': '删除远程连接', 'report': '生成报表', 'segmentation.deleted': '删除分群方案', 'segmentation.saved': '保存分群方案', 'sms.rules_changed': '修改退订规则', 'suppression.added': '加入免打扰名单', 'suppression.removed': '移出免打扰名单', 'text.dictionary_changed': '修改分词词典', 'uplift.measured': '测量增量效果', 'uplift.plan': '生成增量发送计划', 'workspace.backup': '备份', 'workspace.created': '创建工作区', 'workspace.opened': '打开工作区', 'workspace.passphrase_changed': '修改密码', 'workspace.renamed': '重命名工作区', 'workspace.restored': '恢复备份' },
  objects: { customers: '客户', dataset: '数据集', segmentation: '分群方案', workspace: '工作区', backup: '备份', recipe: '清洗配方', monitor: '监控', connection: '远程连接', run: '运行', segment: '分群', customer: '客户' },
  segKinds: { rfm: 'RFM', kmeans: 'k-means', rule: '规则', tier: '分层' },
  comparators: { exact: '精确', name: '姓名相似', levenshtein: '编辑距离', jaro: 'Jaro-Winkler', phone: '手机号', email: '邮箱', address: '地址', date: '日期', numeric: '数值' },
  matchKinds: { exact: '完全一致', contains: '包含', regex: '正则', footer: '回复短信末尾的退订提示' },
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
  actions: { 'audit.exported': 'audit log exported', 'backup.pruned': 'old backups pruned', 'customers.dedupe': 'duplicate search', 'customers.linked': 'customers linked', 'customers.merged': 'duplicates merged', 'customers.unmerged': 'merge undone', 'dataset.appended': 'rows appended', 'dataset.column_changed': 'column changed', 'dataset.deleted': 'dataset deleted', 'dataset.imported': 'dataset imported', 'dataset.renamed': 'dataset renamed', 'definitions.changed': 'value definitions changed', 'export': 'export', 'insights.lifecycle_stages': 'lifecycle stages saved', 'monitor.deleted': 'monitor deleted', 'monitor.saved': 'monitor saved', 'quality.recipe_applied': 'recipe applied', 'quality.recipe_deleted': 'recipe deleted', 'quality.recipe_saved': 'recipe saved', 'remote.add': 'remote connection added', 'remote.query': 'remote query', 'remote.remove': 'remote connection removed', 'report': 'report', 'segmentation.deleted': 'segmentation deleted', 'segmentation.saved': 'segmentation saved', 'sms.rules_changed': 'unsubscribe rules changed', 'suppression.added': 'added to suppression list', 'suppression.removed': 'removed from suppression list', 'text.dictionary_changed': 'dictionary changed', 'uplift.measured': 'uplift measured', 'uplift.plan': 'uplift send plan', 'workspace.backup': 'backup', 'workspace.created': 'workspace created', 'workspace.opened': 'workspace opened', 'workspace.passphrase_changed': 'passphrase changed', 'workspace.renamed': 'workspace renamed', 'workspace.restored': 'backup restored' },
  objects: { customers: 'customers', dataset: 'dataset', segmentation: 'segmentation', workspace: 'workspace', backup: 'backup', recipe: 'recipe', monitor: 'monitor', connection: 'connection', run: 'run', segment: 'segment', customer: 'customer' },
  segKinds: { rfm: 'RFM', kmeans: 'k-means', rule: 'rule', tier: 'tiers' },
  comparators: { exact: 'exact', name: 'name', levenshtein: 'levenshtein', jaro: 'Jaro-Winkler', phone: 'phone', email: 'e-mail', address: 'address', date: 'date', numeric: 'numeric' },
  matchKinds: { exact: 'exact', contains: 'contains', regex: 'regex', footer: 'reply to the opt-out footer' },
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
  // backupBefore() prefixes "before "; the file name turned the id's underscore into a space
  const what = r.replace(/^before /, '');
  const id = (s: string) => s.replace(/^([a-z]+) (\w+)$/, '$1_$2');
  let m = /^(?:delete|deleting) dataset (.+)$/.exec(what);
  if (m) return t('codes.backup.deleteDataset', { id: id(m[1]!) });
  if ((m = /^deleting segmentation (.+)$/.exec(what))) return t('codes.backup.deleteSegmentation', { id: id(m[1]!) });
  if ((m = /^merging duplicates of run (.+)$/.exec(what))) return t('codes.backup.mergeDuplicates', { id: id(m[1]!) });
  return r;
}

/** A code from main/ under one of the groups above, or the code itself when it has no entry. */
export function codeName(t: TFunction, group: 'actions' | 'objects' | 'segKinds' | 'comparators' | 'matchKinds', code: string): string {
  return t(`codes.${group}.${code}`, { defaultValue: code });
}

/** A suppression entry's detail: "<time> <reply> (<kind>:<pattern>)" from the unsubscribe sync; the reply and pattern are the customer's words. */
export function suppressionDetail(t: TFunction, detail: string | null): ReactNode {
  if (!detail) return '';
  const m = /^(.*) \(((?:exact|contains|regex):.*)\)$/.exec(detail);
  if (!m) return <span data-user-data>{detail}</span>;
  return (
    <>
      <span data-user-data>{m[1]}</span>（{ruleText(t, m[2]!)}）
    </>
  );
}

/** The unsubscribe rule that matched a reply ("exact:td", "contains:退订", "footer:reply"); the pattern is the user's. */
export function ruleText(t: TFunction, rule: string): ReactNode {
  if (rule === 'footer:reply') return codeName(t, 'matchKinds', 'footer');
  const m = /^(exact|contains|regex):(.*)$/s.exec(rule);
  if (!m) return <span data-user-data>{rule}</span>;
  return (
    <>
      {codeName(t, 'matchKinds', m[1]!)}：<span data-user-data>{m[2]}</span>
    </>
  );
}
