/** Self-contained reports (HTML with SVG charts, or PDF) of the dashboard or a segmentation. */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Radio, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { isTransactions } from '../../components/pickers';
import type { ReportResult } from '../../../shared/api/reports';
import { chooseDestination, finishDestination } from '../export/save';
import { useSegmentations } from '../../state/segmentations';

export default function ReportTab() {
  const { t, i18n } = useTranslation();
  const { datasets, fail } = useApp();
  const [kind, setKind] = useState<'dashboard' | 'segment'>('dashboard');
  const segs = useSegmentations().segmentations ?? [];
  const [id, setId] = useState<string | undefined>();
  const [lang, setLang] = useState<'zh-CN' | 'en'>(i18n.language.startsWith('zh') ? 'zh-CN' : 'en');
  const [masked, setMasked] = useState(true);
  const [format, setFormat] = useState<'html' | 'pdf'>('html');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ReportResult | null>(null);
  const tx = datasets.filter(isTransactions);
  const options = kind === 'dashboard' ? tx.map((d) => ({ value: d.id, label: d.name })) : segs.map((s) => ({ value: s.id, label: s.name }));
  useEffect(() => setId(undefined), [kind]);
  const generate = async () => {
    setBusy(true);
    setDone(null);
    try {
      const dest = await chooseDestination(`segmint-${kind}.${format}`, format);
      if (!dest) return;
      const r = await call('reports/write', { kind, id: id ?? options[0]?.value, lang, format, masked, ...dest });
      await finishDestination(r);
      setDone(r);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('priv.tabReports')} style={{ maxWidth: 760 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('priv.reportHelp')}</Typography.Text>
        <Space wrap>
          <span>{t('priv.kind')}</span>
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)} optionType="button" options={[{ value: 'dashboard', label: t('priv.kindDashboard') }, { value: 'segment', label: t('priv.kindSegment') }]} data-testid="report-kind" />
        </Space>
        <Space wrap>
          <span>{t('priv.source')}</span>
          <Select style={{ width: 300 }} value={id ?? options[0]?.value} onChange={setId} options={options} data-testid="report-source" />
        </Space>
        <Space wrap>
          <span>{t('priv.lang')}</span>
          <Radio.Group value={lang} onChange={(e) => setLang(e.target.value)} optionType="button" options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} />
          <span>{t('priv.format')}</span>
          <Radio.Group value={format} onChange={(e) => setFormat(e.target.value)} optionType="button" options={[{ value: 'html', label: 'HTML' }, { value: 'pdf', label: 'PDF' }]} data-testid="report-format" />
          <Switch checked={masked} onChange={setMasked} size="small" />
          <span>{t('priv.masked')}</span>
        </Space>
        <Button type="primary" loading={busy} disabled={!options.length} onClick={() => void generate()} data-testid="report-generate">{t('priv.generate')}</Button>
        {done && <Alert type="success" showIcon data-testid="report-done" message={t('priv.reportDone', { charts: done.charts })} description={<><div>{done.downloadId ? done.fileName : done.path}</div><Typography.Text code style={{ fontSize: 11 }}>{done.sha256}</Typography.Text></>} />}
      </Space>
    </Card>
  );
}
