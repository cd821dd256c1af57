/** Running, finished and failed jobs, with progress, ETA and cancel. */
import { Button, Drawer, Empty, List, Progress, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import type { JobInfo } from '../../../shared/types';

const COLORS: Record<JobInfo['status'], string> = { queued: 'default', running: 'processing', done: 'success', failed: 'error', cancelled: 'warning' };

export function JobProgress({ job }: { job: JobInfo }) {
  const { t, i18n } = useTranslation();
  const pct = job.total > 0 ? Math.min(100, Math.round((100 * job.done) / job.total)) : job.status === 'done' ? 100 : 0;
  const n = (v: number) => v.toLocaleString(i18n.language);
  // jobs that read rows say how many and how fast (the byte share alone looks stuck on a slow start)
  const what = job.rows !== undefined ? [t('jobs.rows', { rows: n(job.rows) }), ...(job.rowsPerSecond ? [t('jobs.rate', { rate: n(job.rowsPerSecond) })] : [])].join(' · ') : job.phase;
  return (
    <div data-testid="job-progress">
      <Progress percent={pct} size="small" status={job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : 'active'} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="job-progress-text">
        {what}
        {job.etaSeconds != null && job.status === 'running' ? ` · ${t('jobs.eta', { s: job.etaSeconds })}` : ''}
      </Typography.Text>
    </div>
  );
}

export function JobsDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { jobs, fail } = useApp();
  return (
    <Drawer title={t('jobs.title')} open={open} onClose={onClose} size="large" data-testid="jobs-drawer">
      {jobs.length === 0 ? (
        <Empty description={t('jobs.empty')} />
      ) : (
        <List
          dataSource={jobs}
          renderItem={(j) => (
            <List.Item
              data-testid={`job-${j.status}`}
              actions={
                j.status === 'running' || j.status === 'queued'
                  ? [
                      <Button key="c" danger size="small" data-testid="job-cancel" onClick={() => call('jobs/cancel', { jobId: j.id }).catch(fail)}>
                        {t('common.cancel')}
                      </Button>,
                    ]
                  : []
              }
            >
              <div style={{ width: '100%' }}>
                <Space>
                  <Typography.Text strong>{j.label}</Typography.Text>
                  <Tag color={COLORS[j.status]}>{t(`jobs.status.${j.status}`)}</Tag>
                </Space>
                <JobProgress job={j} />
                {j.error && <Typography.Text type="danger">{i18n.language.startsWith('zh') ? j.error.zh : j.error.en}</Typography.Text>}
              </div>
            </List.Item>
          )}
        />
      )}
    </Drawer>
  );
}
