/**
 * Export a segment with protection: columns and per-column keep/mask/pseudonym/drop (personal
 * columns masked by default), an SMS template rendered from the protected values, the
 * suppression list, CSV/xlsx and encoding; a preview (counts, protected sample rows, rendered
 * messages with SMS parts and spill-over) before anything is written. `ExportForm` is the
 * Reports screen's Export tab; `ExportDialog` wraps it in a modal for the segments screen.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Descriptions, Empty, Input, Modal, Radio, Row, Select, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client';
import { useApp } from '../../state/app';
import { useJob } from '../../components/pickers';
import { EXPORT_PURPOSES, type ExportPreview, type ExportPurpose, type ExportResult, type ProtectMode } from '../../../shared/api/privacy';
import { chooseDestination, finishDestination } from './save';
import { navigate } from '../../routes';
import { useSegmentations } from '../../state/segmentations';

const MODES: ProtectMode[] = ['keep', 'mask', 'pseudonym', 'drop'];

interface ColState {
  include: boolean;
  protect: ProtectMode;
}

export function ExportForm({ segmentId: fixedSegment, datasetId: fixedDataset }: { segmentId?: string; datasetId?: string }) {
  const { t, i18n } = useTranslation();
  const { fail } = useApp();
  const zh = i18n.language.startsWith('zh');
  const { segmentations: segs } = useSegmentations();
  const [segmentId, setSegmentId] = useState<string | undefined>(fixedSegment);
  const [datasetId, setDatasetId] = useState<string | undefined>(fixedDataset);
  const [cols, setCols] = useState<Record<string, ColState>>({});
  const [template, setTemplate] = useState('{姓名|顾客}您好，会员日全场8折，回T退订');
  const [useTemplate, setUseTemplate] = useState(true);
  const [messageColumn, setMessageColumn] = useState('短信内容');
  const [suppression, setSuppression] = useState(true);
  const [purpose, setPurpose] = useState<ExportPurpose>('custom');
  const [phoneFormat, setPhoneFormat] = useState<'national' | 'e164'>('national');
  const [format, setFormat] = useState<'csv' | 'xlsx'>('csv');
  const [encoding, setEncoding] = useState<'utf-8' | 'gbk' | 'gb18030'>('utf-8');
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ExportResult | null>(null);
  const onDone = useCallback((r: ExportResult) => {
    setDone(r);
    void finishDestination(r).catch(fail);
  }, [fail]);
  const [job, follow] = useJob('privacy/export', onDone);

  // no segment given: the largest segment of the newest segmentation
  const newest = segs?.[0];
  useEffect(() => {
    if (!fixedSegment && newest) setSegmentId((cur) => cur ?? [...newest.segments].sort((a, b) => b.size - a.size)[0]?.id);
  }, [newest, fixedSegment]);

  const segOptions = useMemo(
    () => (segs ?? []).map((g) => ({ label: g.name, options: g.segments.map((s) => ({ value: s.id, label: `${zh ? s.name : s.nameEn ?? s.name} (${s.size.toLocaleString()})` })) })),
    [segs, zh],
  );

  const spec = useCallback(() => {
    const names = Object.keys(cols);
    const columns = names.length ? names.filter((n) => cols[n]!.include) : undefined;
    const protect = names.filter((n) => cols[n]!.protect !== 'keep' && (cols[n]!.include || useTemplate)).map((n) => ({ column: n, protect: cols[n]!.protect }));
    const message = useTemplate && template.trim() && purpose !== 'agency' ? { text: template, column: messageColumn || '短信内容' } : undefined;
    // a send list is the phone and the message: the server picks the phone column, nothing is masked
    if (purpose === 'gateway') return { segmentId, datasetId, columns: undefined, protect: [], template: message, suppression: true, purpose, phoneFormat };
    return { segmentId, datasetId, columns, protect, template: message, suppression, purpose, phoneFormat };
  }, [cols, segmentId, datasetId, template, useTemplate, messageColumn, suppression, purpose, phoneFormat]);

  const choosePurpose = (p: ExportPurpose) => {
    setPurpose(p);
    if (p === 'excel') setFormat('xlsx');
    if (p === 'gateway') setFormat('csv');
    // an agency list keeps no personal column as it is (the server refuses it): mask them, drop a birthday
    if (p === 'agency' && preview)
      setCols((s) => Object.fromEntries(Object.entries(s).map(([n, c]) => {
        const info = preview.columns.find((x) => x.name === n);
        const personal = !!info?.pii || info?.role === 'birthday';
        return [n, personal && c.protect === 'keep' ? { ...c, protect: info?.pii ? 'mask' : 'drop' } : c];
      })));
  };
  // a new purpose: preview what it will write
  useEffect(() => {
    if (Object.keys(cols).length) void runPreview();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [purpose, phoneFormat]);

  const runPreview = useCallback(async (s = spec()) => {
    if (!s.segmentId && !s.datasetId) return;
    setBusy(true);
    setError(null);
    try {
      const p = await call('privacy/export/preview', s);
      setPreview(p);
      if (!s.datasetId) setDatasetId(p.datasetId);
      setCols((prev) => (Object.keys(prev).length ? prev : Object.fromEntries(p.columns.map((c) => [c.name, { include: true, protect: c.suggested }]))));
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      else fail(e);
    } finally {
      setBusy(false);
    }
  }, [spec, fail]);

  // A new segment or dataset: start over with the suggested protection.
  useEffect(() => {
    if (!segmentId && !datasetId) return;
    setCols({});
    setDone(null);
    void runPreview({ segmentId, datasetId, columns: undefined, protect: [], template: undefined, suppression, purpose: purpose === 'gateway' ? 'custom' : purpose, phoneFormat });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [segmentId, datasetId]);

  // Once the suggested protection is in place, preview with it (and the template).
  const colsReady = Object.keys(cols).length > 0;
  useEffect(() => {
    if (colsReady) void runPreview();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [colsReady]);

  const doExport = async () => {
    setDone(null);
    setError(null);
    const name = `${preview?.segment?.name ?? preview?.datasetName ?? 'export'}.${format}`.replace(/[\\/:*?"<>|]/g, '_');
    try {
      const dest = await chooseDestination(name, format);
      if (!dest) return;
      const r = await call('privacy/export', { ...spec(), format: purpose === 'excel' ? 'xlsx' : format, encoding: format === 'csv' ? encoding : 'utf-8', ...dest });
      follow(r.jobId);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      else fail(e);
    }
  };

  if (segs && !segs.length && !fixedDataset)
    return (
      <Empty description={t('priv.noSegments')}>
        <Button type="primary" onClick={() => navigate('segments')}>{t('nav.segments')}</Button>
      </Empty>
    );
  const running = job && (job.status === 'running' || job.status === 'queued');
  const tpl = preview?.template;
  return (
    <Row gutter={16}>
      <Col xs={24} xl={11}>
        <Card size="small" title={t('priv.exportTitle')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <span>{t('priv.segment')}</span>
              <Select style={{ width: 280 }} value={segmentId} onChange={(v) => { setDatasetId(undefined); setSegmentId(v); }} options={segOptions} placeholder={t('priv.pickSegment')} data-testid="export-segment" disabled={!!fixedSegment} showSearch optionFilterProp="label" />
            </Space>
            <Space direction="vertical" size={2}>
              <Space wrap>
                <span>{t('priv.purpose')}</span>
                <Radio.Group size="small" optionType="button" value={purpose} onChange={(e) => choosePurpose(e.target.value as ExportPurpose)} data-testid="export-purpose" options={EXPORT_PURPOSES.map((p) => ({ value: p, label: t(`priv.purposes.${p}`) }))} />
                {purpose === 'gateway' && (
                  <Select size="small" style={{ width: 150 }} value={phoneFormat} onChange={setPhoneFormat} data-testid="export-phone-format" options={(['national', 'e164'] as const).map((f) => ({ value: f, label: t(`priv.phoneFormats.${f}`) }))} />
                )}
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`priv.purposeHelp.${purpose}`)}</Typography.Text>
            </Space>
            {preview && (
              <Space wrap>
                <span>{t('priv.dataset')}</span>
                <Select
                  style={{ width: 280 }}
                  value={datasetId ?? preview.datasetId}
                  onChange={setDatasetId}
                  data-testid="export-dataset"
                  options={(preview.candidates.length ? preview.candidates : [{ id: preview.datasetId, name: preview.datasetName, matched: preview.total, rows: 0, hasPhone: !!preview.phoneColumn }]).map((c) => ({ value: c.id, label: `${c.name} · ${t('priv.matched', { n: c.matched.toLocaleString() })}` }))}
                />
                {preview.keyColumn && <Typography.Text type="secondary">{t('priv.keyColumn')}: {preview.keyColumn}</Typography.Text>}
              </Space>
            )}
            {purpose !== 'gateway' && <Table
              size="small"
              rowKey="name"
              pagination={false}
              scroll={{ y: 260 }}
              data-testid="export-columns"
              dataSource={preview?.columns ?? []}
              columns={[
                { title: t('priv.include'), width: 60, render: (_, c) => <Checkbox checked={cols[c.name]?.include ?? true} onChange={(e) => setCols((s) => ({ ...s, [c.name]: { ...s[c.name]!, include: e.target.checked } }))} /> },
                { title: t('priv.column'), dataIndex: 'name' },
                { title: t('priv.pii'), dataIndex: 'pii', width: 90, render: (k: string | null) => (k ? <Tag color="orange">{t(`priv.kinds.${k}`)}</Tag> : null) },
                {
                  title: t('priv.protect'),
                  width: 130,
                  render: (_, c) => (
                    <Select size="small" style={{ width: 110 }} value={cols[c.name]?.protect ?? c.suggested} onChange={(v: ProtectMode) => setCols((s) => ({ ...s, [c.name]: { ...(s[c.name] ?? { include: true }), protect: v } }))} options={MODES.map((m) => ({ value: m, label: t(`priv.protects.${m}`), disabled: purpose === 'agency' && (!!c.pii || c.role === 'birthday') && m === 'keep' }))} data-testid={`protect-${c.name}`} />
                  ),
                },
              ]}
            />}
            <Space align="center">
              <Switch checked={useTemplate && purpose !== 'agency'} onChange={setUseTemplate} size="small" data-testid="template-on" disabled={purpose === 'agency'} />
              <span>{t('priv.template')}</span>
              <Input size="small" style={{ width: 120 }} value={messageColumn} onChange={(e) => setMessageColumn(e.target.value)} addonBefore={null} placeholder={t('priv.messageColumn')} disabled={!useTemplate} />
            </Space>
            <Input.TextArea rows={2} value={template} onChange={(e) => setTemplate(e.target.value)} disabled={!useTemplate || purpose === 'agency'} data-testid="export-template" />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('priv.templateHelp')}</Typography.Text>
            <Space wrap>
              <Switch checked={suppression || purpose === 'gateway'} onChange={setSuppression} size="small" data-testid="export-suppression" disabled={purpose === 'gateway'} />
              <span>{t('priv.suppression')}</span>
              <span>{t('priv.format')}</span>
              <Select size="small" value={format} onChange={setFormat} options={[{ value: 'csv', label: 'CSV' }, { value: 'xlsx', label: 'Excel (.xlsx)' }]} style={{ width: 120 }} disabled={purpose === 'gateway' || purpose === 'excel'} data-testid="export-format" />
              {format === 'csv' && <Select size="small" value={encoding} onChange={setEncoding} options={[{ value: 'utf-8', label: purpose === 'gateway' ? 'UTF-8' : 'UTF-8 (BOM)' }, { value: 'gbk', label: 'GBK' }, { value: 'gb18030', label: 'GB18030' }]} style={{ width: 130 }} />}
            </Space>
            <Space>
              <Button onClick={() => void runPreview()} loading={busy} data-testid="export-preview">{t('priv.preview')}</Button>
              <Button type="primary" onClick={() => void doExport()} disabled={!preview || !!error} loading={!!running} data-testid="export-run">{running ? t('priv.exporting') : t('priv.export')}</Button>
            </Space>
            {error && <Alert type="error" showIcon message={zh ? error.zh : error.en} data-testid="export-error" />}
            {job?.status === 'failed' && job.error && <Alert type="error" showIcon message={zh ? job.error.zh : job.error.en} />}
            {done && (
              <Alert
                type="success"
                showIcon
                data-testid="export-done"
                message={t('priv.done', { rows: done.rows.toLocaleString(), suppressed: done.suppressed.toLocaleString() })}
                description={
                  <Descriptions size="small" column={1}>
                    <Descriptions.Item label={done.downloadId ? t('priv.downloaded') : t('priv.savedTo')}>{done.downloadId ? done.fileName : done.path}</Descriptions.Item>
                    <Descriptions.Item label={t('priv.sha')}><Typography.Text code style={{ fontSize: 11 }}>{done.sha256}</Typography.Text></Descriptions.Item>
                  </Descriptions>
                }
              />
            )}
          </Space>
        </Card>
      </Col>
      <Col xs={24} xl={13}>
        {preview && (
          <Space direction="vertical" style={{ width: '100%' }} data-testid="export-preview-panel">
            <Card size="small">
              <Row gutter={12}>
                <Col span={8}><Statistic title={t('priv.total')} value={preview.total} /></Col>
                <Col span={8}><Statistic title={t('priv.suppressed')} value={preview.suppressed} valueStyle={{ color: preview.suppressed ? '#bc4c00' : undefined }} /></Col>
                <Col span={8}><Statistic title={t('priv.rows')} value={preview.rows} /></Col>
              </Row>
              {preview.purpose === 'gateway' && (
                <Row gutter={12} style={{ marginTop: 8 }}>
                  <Col span={12}><Statistic title={t('priv.invalidPhones')} value={preview.invalidPhones} /></Col>
                  <Col span={12}><Statistic title={t('priv.duplicatePhones')} value={preview.duplicatePhones} /></Col>
                </Row>
              )}
              {preview.suppression !== 'applied' && <Typography.Text type="warning">{preview.suppression === 'off' ? t('priv.suppressionOff') : t('priv.noPhone')}</Typography.Text>}
            </Card>
            {tpl && (
              <Card size="small" title={t('priv.messages')} extra={tpl.baseline && <Typography.Text type="secondary">{t('priv.baseline', { n: tpl.baseline.segments, enc: tpl.baseline.encoding })}</Typography.Text>}>
                {tpl.spillover > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('priv.spilloverCount', { n: tpl.spillover })} />}
                <div data-testid="export-messages">
                  {preview.messages.map((m, i) => (
                    <div key={i} style={{ padding: '4px 0', borderBottom: '1px solid #f0f0f0' }}>
                      <Typography.Text>{m.text}</Typography.Text>{' '}
                      <Tag>{t('priv.segments', { n: m.segments })}</Tag>
                      <Tag>{t('priv.chars', { n: m.chars })}</Tag>
                      <Tag>{m.encoding}</Tag>
                      {m.spillover && <Tag color="red">{t('priv.spillover')} +{m.extraSegments}</Tag>}
                      {m.usedFallback.length > 0 && <Tag color="blue">{t('priv.fallbackUsed', { f: m.usedFallback.join(', ') })}</Tag>}
                    </div>
                  ))}
                </div>
              </Card>
            )}
            <Card size="small" title={preview.purpose === 'gateway' ? t('priv.sampleAsWritten') : t('priv.sampleRows')}>
              <Table
                size="small"
                pagination={false}
                scroll={{ x: true }}
                data-testid="export-sample"
                rowKey={(_, i) => String(i)}
                dataSource={preview.sample.map((r) => Object.fromEntries(preview.header.map((h, i) => [h, r[i] === null || r[i] === undefined ? '' : String(r[i])])))}
                columns={preview.header.map((h) => ({ title: h, dataIndex: h, ellipsis: true }))}
              />
            </Card>
          </Space>
        )}
      </Col>
    </Row>
  );
}

export default function ExportDialog({ open, onClose, segmentId, datasetId }: { open: boolean; onClose: () => void; segmentId?: string; datasetId?: string }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} onCancel={onClose} footer={null} width={1280} title={t('priv.exportTitle')} destroyOnHidden>
      {open && <ExportForm segmentId={segmentId} datasetId={datasetId} />}
    </Modal>
  );
}
