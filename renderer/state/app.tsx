/** App-wide state: settings, the open workspace, its datasets and the jobs, kept fresh by events. */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { App as AntApp } from 'antd';
import { useTranslation } from 'react-i18next';
import { call, onEvent, ApiError } from '../api/client';
import type { DatasetInfo, JobInfo, WorkspaceInfo } from '../../shared/types';
import type { AppSettings } from '../../shared/api/app';
import i18n, { systemLang, type UiLang } from '../i18n';

interface AppState {
  ready: boolean;
  lang: UiLang;
  setLang(l: UiLang): Promise<void>;
  settings: AppSettings | null;
  workspace: WorkspaceInfo | null;
  datasets: DatasetInfo[];
  jobs: JobInfo[];
  refresh(): Promise<void>;
  /** Show an error toast with the server's message in the UI language. */
  fail(e: unknown): void;
}

const Ctx = createContext<AppState | null>(null);

const unchanged = <T,>(prev: T, next: T): T => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next);

export function useApp(): AppState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useApp outside AppProvider');
  return v;
}

export function AppProvider({ children }: { children: ReactNode }) {
  const { message } = AntApp.useApp();
  const { t } = useTranslation();
  const [ready, setReady] = useState(false);
  const [lang, setLangState] = useState<UiLang>(systemLang());
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [workspace, setWorkspace] = useState<WorkspaceInfo | null>(null);
  const [datasets, setDatasets] = useState<DatasetInfo[]>([]);
  const [jobs, setJobs] = useState<JobInfo[]>([]);

  const fail = useCallback(
    (e: unknown) => {
      // A screen still loading when its workspace closed: the empty state already says so.
      if (e instanceof ApiError && e.code === 'no_workspace') return;
      const text = e instanceof ApiError ? e.localized(i18n.language) : e instanceof Error ? e.message : String(e);
      void message.error({ content: text, duration: 6 });
    },
    [message],
  );

  const refresh = useCallback(async () => {
    try {
      const ws = await call('workspace/current', {});
      // Keep the old object when nothing changed: screens key effects on these, and a refresh
      // (after any job or event) must not look like new data and reload them.
      setWorkspace((prev) => unchanged(prev, ws));
      const ds = ws ? await call('datasets/list', {}) : [];
      setDatasets((prev) => unchanged(prev, ds));
      setJobs(await call('jobs/list', {}));
    } catch (e) {
      fail(e);
    }
  }, [fail]);

  const applyLang = useCallback((l: UiLang) => {
    setLangState(l);
    void i18n.changeLanguage(l);
    document.documentElement.lang = l;
  }, []);

  const setLang = useCallback(
    async (l: UiLang) => {
      applyLang(l);
      try {
        setSettings(await call('settings/set', { language: l }));
      } catch (e) {
        fail(e);
      }
    },
    [applyLang, fail],
  );

  // The latest callbacks, read by the mount-once effect below. That effect must not depend on them:
  // applyLang changes the language, which gives a new `t`, which would re-run it — a loop that kept
  // re-fetching settings, datasets and jobs without end, and let a stale jobs list overwrite newer
  // progress events (the import bar jumped back and forth).
  const latest = useRef({ applyLang, fail, refresh, message, t });
  latest.current = { applyLang, fail, refresh, message, t };
  useEffect(() => {
    const l = () => latest.current;
    void (async () => {
      try {
        const s = await call('settings/get', {});
        setSettings(s);
        l().applyLang(s.language ?? systemLang());
      } catch (e) {
        l().fail(e);
      }
      await l().refresh();
      setReady(true);
    })();
    const offs = [
      onEvent('workspace/changed', () => void l().refresh()),
      onEvent('datasets/changed', () => void l().refresh()),
      onEvent('job/progress', (j) => setJobs((js) => [j, ...js.filter((x) => x.id !== j.id)])),
      onEvent('job/finished', (j) => {
        setJobs((js) => [j, ...js.filter((x) => x.id !== j.id)]);
        if (j.status === 'failed' && j.error) void l().message.error({ content: `${l().t('jobs.failed')}: ${i18n.language.startsWith('zh') ? j.error.zh : j.error.en}`, duration: 8 });
      }),
    ];
    return () => offs.forEach((o) => o());
  }, []);

  const value = useMemo(() => ({ ready, lang, setLang, settings, workspace, datasets, jobs, refresh, fail }), [ready, lang, setLang, settings, workspace, datasets, jobs, refresh, fail]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
