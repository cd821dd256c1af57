/** Pieces shared by the insights tabs: dataset pickers with a preferred default, number formats. */
import { useEffect } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../state/app';
import type { DatasetInfo } from '../../../shared/types';

export const roles = (d: DatasetInfo) => new Set(d.columns.map((c) => c.role));
export const isOrders = (d: DatasetInfo) => {
  const r = roles(d);
  return (r.has('customer_id') || r.has('phone')) && r.has('timestamp') && r.has('amount');
};
export const isCustomerList = (d: DatasetInfo) => {
  const r = roles(d);
  return r.has('customer_id') && r.has('timestamp') && !r.has('amount');
};
export const isPlaceable = (d: DatasetInfo) => {
  const r = roles(d);
  return r.has('region') || r.has('city') || r.has('phone');
};
export const isSends = (d: DatasetInfo) => {
  const r = roles(d);
  return r.has('phone') && r.has('timestamp') && r.has('campaign') && (r.has('variant') || r.has('message_text') || r.has('sms_status'));
};
export const isTouches = (d: DatasetInfo) => {
  const r = roles(d);
  return (r.has('customer_id') || r.has('phone')) && r.has('timestamp') && r.has('channel') && !r.has('amount');
};
export const isSurvey = (d: DatasetInfo) => d.columns.some((c) => /nps|推荐|csat|满意/i.test(c.name) && ['integer', 'decimal'].includes(c.type));

export const pct = (v: number | null | undefined, digits = 1) => (v == null || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`);
export const fmt = (v: number | null | undefined, digits = 0) => (v == null || !Number.isFinite(v) ? '—' : v.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** A dataset picker: defaults to the first dataset `prefer` likes (else the first that fits). */
export function Pick({ value, onChange, filter, prefer, testId, optional, width = 220 }: { value: string | undefined; onChange: (id: string | undefined) => void; filter: (d: DatasetInfo) => boolean; prefer?: (d: DatasetInfo) => boolean; testId: string; optional?: boolean; width?: number }) {
  const { datasets } = useApp();
  const { t } = useTranslation();
  const options = datasets.filter(filter);
  useEffect(() => {
    if (value === '') return; // cleared on purpose
    if (!value || !options.some((d) => d.id === value)) {
      const first = (prefer && options.find(prefer)) ?? options[0];
      if (first && first.id !== value) onChange(first.id);
    }
  }, [value, options, onChange, prefer]);
  return (
    <Select
      style={{ width }}
      allowClear={optional}
      placeholder={t('ins.none')}
      value={value === '' ? undefined : value}
      onChange={(v) => onChange(v ?? '')}
      options={options.map((d) => ({ value: d.id, label: `${d.name} (${d.rowCount.toLocaleString()})` }))}
      data-testid={testId}
    />
  );
}

/** '' (cleared) and undefined → undefined for API calls. */
export const opt = (v: string | undefined) => (v ? v : undefined);
