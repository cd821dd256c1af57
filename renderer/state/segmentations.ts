/**
 * The workspace's saved segmentations, fetched in one place for every screen that lists them
 * (explorer, export, reports, dashboard, geography): again when the workspace or its datasets
 * change and when a segments job finishes (it may have saved one).
 */
import { useCallback, useEffect, useState } from 'react';
import { call, onEvent } from '../api/client';
import type { SegmentationInfo } from '../../shared/api/segments';
import { useApp } from './app';

export function useSegmentations(): { segmentations: SegmentationInfo[] | null; reload: () => Promise<void> } {
  const { workspace, fail } = useApp();
  const [list, setList] = useState<SegmentationInfo[] | null>(null);
  const path = workspace?.path ?? null;
  const reload = useCallback(async () => {
    try {
      setList(await call('segments/list', {}));
    } catch (e) {
      fail(e);
    }
  }, [fail]);
  useEffect(() => {
    if (path) void reload();
    else setList(null);
  }, [path, reload]);
  useEffect(() => onEvent('job/finished', (j) => void (j.kind.startsWith('segments/') && j.status === 'done' && reload())), [reload]);
  // deleting a dataset deletes the segmentations made from it
  useEffect(() => onEvent('datasets/changed', () => void reload()), [reload]);
  return { segmentations: list, reload };
}
