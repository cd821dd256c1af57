/** Small shared pieces for analysis screens: dataset pickers and job-result hooks. */
import { useEffect, useRef, useState } from 'react';
import { Select } from 'antd';
import { useApp } from '../state/app';
import type { DatasetInfo, JobInfo } from '../../shared/types';

export const isTransactions = (d: DatasetInfo) => {
  const roles = new Set(d.columns.map((c) => c.role));
  return (roles.has('customer_id') || roles.has('phone')) && roles.has('timestamp') && (roles.has('amount') || (roles.has('quantity') && roles.has('unit_price')));
};
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
 * Follows a job started by this screen; gives its live info and, when done, its result.
 * `onDone` runs once per job (job lists are refreshed often; results must not re-trigger it).
 */
export function useJob<R>(onDone?: (result: R) => void): [JobInfo | undefined, (id: string | null) => void, R | null] {
  const { jobs } = useApp();
  const [id, setId] = useState<string | null>(null);
  const handled = useRef<string | null>(null);
  const job = jobs.find((j) => j.id === id);
  const result = job?.status === 'done' ? (job.result as R) : null;
  useEffect(() => {
    if (result && id && handled.current !== id) {
      handled.current = id;
      onDone?.(result);
    }
  }, [result, id, onDone]);
  return [job, setId, result];
}
