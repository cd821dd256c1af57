/** Small shared pieces for analysis screens: dataset pickers and job-result hooks. */
import { useEffect, useRef, useState } from 'react';
import { Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApp } from '../state/app';
import type { DatasetInfo, JobInfo } from '../../shared/types';
import type { JobKind, JobResult } from '../../shared/api';
import { slotFit, type PickerSlot, type SlotFit } from '../../shared/pickers';

export const isTransactions = (d: DatasetInfo) => slotFit(d, 'transactions').fits;
export const hasNumeric = (d: DatasetInfo) => d.columns.some((c) => ['integer', 'decimal', 'percent'].includes(c.type));

export function DatasetSelect({ value, onChange, filter, testId, width = 280 }: { value: string | undefined; onChange: (id: string) => void; filter?: (d: DatasetInfo) => boolean; testId?: string; width?: number }) {
  const { datasets } = useApp();
  const options = datasets.filter(filter ?? (() => true));
  useEffect(() => {
    if ((!value || !options.some((d) => d.id === value)) && options.length) onChange(options[options.length - 1]!.id);
  }, [value, options, onChange]);
  return <Select style={{ width }} value={value} onChange={onChange} options={options.map((d) => ({ value: d.id, label: `${d.name} (${d.rowCount.toLocaleString()})` }))} data-testid={testId} />;
}

/**
 * A dataset picker for one input of an analysis (shared/pickers.ts says which roles fit): fitting
 * datasets first and pre-chosen, the others shown disabled with what they lack, a line saying why
 * the chosen one fits, and the analyst's choice remembered per workspace (a remembered choice
 * wins while it still fits). `value` '' = cleared on purpose (optional inputs); undefined = not
 * chosen yet.
 */
export function SlotSelect({ slot, value, onChange, testId, optional = false, width = 220, rank }: { slot: PickerSlot; value: string | undefined; onChange: (id: string) => void; testId: string; optional?: boolean; width?: number; rank?: (d: DatasetInfo) => number }) {
  const { t } = useTranslation();
  const { datasets, workspace } = useApp();
  const key = workspace ? `segmint.pick.${workspace.path}.${testId}` : null;
  const all = datasets.map((d) => ({ d, f: slotFit(d, slot) }));
  const ok = all.filter((x) => x.f.fits);
  if (rank) ok.sort((a, b) => rank(b.d) - rank(a.d));
  const okIds = ok.map((x) => x.d.id).join(',');
  useEffect(() => {
    if (value === '' ? optional : value !== undefined && okIds.split(',').includes(value)) return;
    const remembered = key ? localStorage.getItem(key) : null;
    const still = remembered !== null && (remembered === '' ? optional : okIds.split(',').includes(remembered));
    const choice = still ? remembered! : okIds ? okIds.split(',')[0]! : optional ? '' : undefined;
    if (choice !== undefined && choice !== value) onChange(choice);
  }, [value, okIds, key, optional, onChange]);
  const roles = (rs: string[]) => rs.map((r) => t(`roles.${r}`)).join(t('pickers.sep'));
  const why = (f: SlotFit) => (f.fits ? t('pickers.uses', { roles: roles(f.uses) }) : f.missing.length ? t('pickers.missing', { roles: roles(f.missing) }) : t('pickers.conflicting', { roles: roles(f.conflicting) }));
  const chosen = all.find((x) => x.d.id === value);
  const change = (id: string | undefined) => {
    if (key) localStorage.setItem(key, id ?? '');
    onChange(id ?? '');
  };
  return (
    <Space direction="vertical" size={0}>
      <Select
        allowClear={optional}
        style={{ width }}
        value={value || undefined}
        placeholder={t('sms.none')}
        onChange={change}
        data-testid={testId}
        popupMatchSelectWidth={false}
        labelRender={(p) => datasets.find((d) => d.id === p.value)?.name ?? p.label}
        options={[...ok, ...all.filter((x) => !x.f.fits)].map(({ d, f }) => ({
          value: d.id,
          disabled: !f.fits,
          label: (
            <span data-testid={`${testId}-option`} data-fits={f.fits}>
              {d.name} <Typography.Text type="secondary" style={{ fontSize: 11 }}>· {why(f)}</Typography.Text>
            </span>
          ),
        }))}
      />
      <Typography.Text type="secondary" style={{ fontSize: 11 }} data-testid={`${testId}-why`}>
        {chosen ? why(chosen.f) : ok.length ? '' : t('pickers.noneFits', { roles: roles(all[0]?.f.missing.length ? all[0].f.missing : []) || '—' })}
      </Typography.Text>
    </Space>
  );
}

/**
 * Follows a job of one kind started by this screen; gives its live info and, when done, its
 * result, typed from the contract (`useJob('value/clv')` → ClvResult). `onDone` runs once per job
 * (job lists are refreshed often; results must not re-trigger it).
 */
export function useJob<K extends JobKind>(kind: K, onDone?: (result: JobResult<K>) => void): [JobInfo | undefined, (id: string | null) => void, JobResult<K> | null] {
  const { jobs } = useApp();
  const [id, setId] = useState<string | null>(null);
  const handled = useRef<string | null>(null);
  const job = jobs.find((j) => j.id === id && j.kind === kind);
  const result = job?.status === 'done' ? (job.result as JobResult<K>) : null;
  useEffect(() => {
    if (result && id && handled.current !== id) {
      handled.current = id;
      onDone?.(result);
    }
  }, [result, id, onDone]);
  return [job, setId, result];
}
