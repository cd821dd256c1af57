/**
 * Server-paged grid: paging, sorting and filtering happen in SQL (datasets/rows), the browser
 * only ever holds one page; the antd virtual table keeps long pages smooth.
 */
import { useEffect, useMemo, useState } from 'react';
import { Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { FilterOutlined, CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { useApp } from '../state/app';
import { quarantineDetail } from '../i18n/codes';
import type { FilterOp, FilterSpec, RowsPage, SortSpec } from '../../shared/types';

/** Column width from the header and the widest of the first page's values (CJK counts double). */
function colWidth(name: string, values: unknown[]): number {
  if (name === '_row') return 80;
  const w = (s: string) => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const widest = Math.max(w(name) + 3, ...values.map((v) => (v === null || v === undefined ? 4 : w(String(v)))));
  return Math.min(360, Math.max(90, widest * 7.5 + 28));
}

const OPS: FilterOp[] = ['contains', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'];

export function DataGrid({ datasetId, table, columns, initialFilters }: { datasetId: string; table: 'typed' | 'raw' | 'quarantine'; columns: string[]; initialFilters?: FilterSpec[] }) {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(200);
  const [sort, setSort] = useState<SortSpec[]>([]);
  const [filters, setFilters] = useState<FilterSpec[]>(initialFilters ?? []);
  const [search, setSearch] = useState('');
  const [draft, setDraft] = useState<FilterSpec>({ column: columns[0] ?? '', op: 'contains', value: '' });
  const [data, setData] = useState<RowsPage | null>(null);
  const [loading, setLoading] = useState(false);

  // Reset paging/sort/filters when another table is shown (keyed by content, not array identity).
  const columnsKey = columns.join('\u0001');
  const filtersKey = JSON.stringify(initialFilters ?? []);
  useEffect(() => {
    setPage(1);
    setSort([]);
    setFilters(JSON.parse(filtersKey) as FilterSpec[]);
    setSearch('');
    setDraft({ column: columnsKey.split('\u0001')[0] ?? '', op: 'contains', value: '' });
  }, [datasetId, table, columnsKey, filtersKey]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    call('datasets/rows', { id: datasetId, table, offset: (page - 1) * pageSize, limit: pageSize, sort, filters, search: search || undefined })
      .then((r) => live && setData(r))
      .catch(fail)
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [datasetId, table, page, pageSize, sort, filters, search, fail]);

  const tableColumns = useMemo(
    () =>
      (data?.columns ?? []).map((c, i) => ({
        key: c,
        // the quarantine table's own columns are UI words; a dataset's columns are the user's names
        title: c === '_row' ? '#' : table === 'quarantine' ? t(`codes.quarantineColumns.${c}`, { defaultValue: c }) : c,
        dataIndex: i,
        width: colWidth(c, (data?.rows ?? []).slice(0, 60).map((r) => r[i])),
        sorter: c !== '_row',
        sortOrder: sort[0]?.column === c ? (sort[0].dir === 'asc' ? ('ascend' as const) : ('descend' as const)) : null,
        render: (v: unknown, row: Record<number, unknown>) =>
          v === null || v === undefined ? (
            <span className="seg-null">null</span>
          ) : table === 'quarantine' && c === 'reason' ? (
            <span title={String(v)} data-ui-text>{t(`quarantine.${String(v)}`, { defaultValue: String(v) })}</span>
          ) : table === 'quarantine' && c === 'detail' ? (
            <span data-ui-text>{quarantineDetail(t, String(row[data!.columns.indexOf('reason')] ?? ''), String(v))}</span>
          ) : (
            String(v)
          ),
      })),
    [data?.columns, data?.rows, sort, table, t],
  );

  const rows = useMemo(() => (data?.rows ?? []).map((r, i) => Object.assign({ key: `${page}-${i}` }, r)), [data, page]);

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('data.search')} style={{ width: 240 }} onSearch={(v) => { setSearch(v); setPage(1); }} data-testid="grid-search" />
        <Select style={{ width: 180 }} value={draft.column} onChange={(v) => setDraft({ ...draft, column: v })} options={columns.map((c) => ({ value: c, label: table === 'quarantine' ? t(`codes.quarantineColumns.${c}`, { defaultValue: c }) : c }))} showSearch data-testid="filter-column" />
        <Select style={{ width: 130 }} value={draft.op} onChange={(v) => setDraft({ ...draft, op: v })} options={OPS.map((o) => ({ value: o, label: t(`data.ops.${o}`) }))} data-testid="filter-op" />
        {draft.op !== 'empty' && draft.op !== 'notEmpty' && (
          <Input style={{ width: 160 }} value={String(draft.value ?? '')} onChange={(e) => setDraft({ ...draft, value: e.target.value })} placeholder={t('data.value')} data-testid="filter-value" />
        )}
        <Button
          icon={<FilterOutlined />}
          data-testid="filter-add"
          onClick={() => {
            const v = draft.value;
            const num = typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) && ['gt', 'gte', 'lt', 'lte'].includes(draft.op) ? Number(v) : v;
            setFilters([...filters, { ...draft, value: num }]);
            setPage(1);
          }}
        >
          {t('data.addFilter')}
        </Button>
        {filters.map((f, i) => (
          <Tag key={i} closable closeIcon={<CloseOutlined />} onClose={() => { setFilters(filters.filter((_, j) => j !== i)); setPage(1); }} color="blue">
            {f.column} {t(`data.ops.${f.op}`)} {f.value === undefined ? '' : String(f.value)}
          </Tag>
        ))}
        <Typography.Text type="secondary" data-testid="grid-total">
          {t('data.rowsTotal', { n: (data?.total ?? 0).toLocaleString() })}
        </Typography.Text>
      </Space>
      <Table
        className="seg-grid"
        data-testid="data-grid"
        size="small"
        bordered
        virtual
        loading={loading}
        scroll={{ x: Math.max(800, tableColumns.reduce((s, c) => s + c.width, 0)), y: 560 }}
        columns={tableColumns}
        dataSource={rows}
        onChange={(p, _f, s) => {
          const one = Array.isArray(s) ? s[0] : s;
          const next: SortSpec[] = one && one.order && one.columnKey ? [{ column: String(one.columnKey), dir: one.order === 'ascend' ? 'asc' : 'desc' }] : [];
          if (JSON.stringify(next) !== JSON.stringify(sort)) {
            setSort(next);
            setPage(1);
          } else {
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 200);
          }
        }}
        pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [100, 200, 500, 1000], showQuickJumper: true, size: 'small' }}
      />
    </div>
  );
}
