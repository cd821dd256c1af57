/**
 * Import wizard: files → encoding & dialect (live preview re-rendered on every override) →
 * columns (type, role, rename, include, examples of bad values) → import job with progress
 * and cancel → summary (rows in = imported + quarantined, invalid cells per column).
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Descriptions, Empty, Input, Progress, Result, Row, Select, Space, Statistic, Steps, Switch, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import { InboxOutlined, FileAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { AreaTitle } from '../../components/AreaTitle';
import { call, isDesktop, uploadFile } from '../../api/client';
import { useApp } from '../../state/app';
import { navigate } from '../../routes';
import { NeedWorkspace } from '../../components/NeedWorkspace';
import { JobProgress } from '../jobs/JobsDrawer';
import { DUCKDB_SUGGESTED_BYTES, type DialectSettings, type EncodingName, type FileRef, type ImportSettings, type ImportSummary, type InspectResult } from '../../../shared/api/import';
import { COLUMN_TYPES, ROLES } from '../../../shared/types';

const ENCODINGS: EncodingName[] = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'gb18030', 'big5', 'latin1'];
const DELIMS = [',', '\t', ';', '|', ' +'];

export default function ImportWizard() {
  const { t } = useTranslation();
  const { workspace, fail, jobs } = useApp();
  const [step, setStep] = useState(0);
  const [files, setFiles] = useState<{ ref: FileRef; name: string; size: number }[]>([]);
  const [uploading, setUploading] = useState<number | null>(null);
  const [encoding, setEncoding] = useState<EncodingName | 'auto'>('auto');
  const [dialect, setDialect] = useState<Partial<DialectSettings>>({});
  const [inspect, setInspect] = useState<InspectResult | null>(null);
  const [settings, setSettings] = useState<ImportSettings | null>(null);
  const [name, setName] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Replaying an earlier import's settings (next month's export): encoding, dialect, column types/roles/names.
  const [replay, setReplay] = useState<ImportSettings | null>(null);
  const { datasets } = useApp();
  const replayable = datasets.filter((d) => d.kind === 'import' && d.settings);
  // Append target: an earlier import with exactly these columns (next batch of SMS result files).
  const [appendTo, setAppendTo] = useState<string | undefined>();
  // rows in the DuckDB file beside the workspace: suggested (pre-ticked) for a large file
  const [duck, setDuck] = useState<boolean | null>(null);
  const chosen = settings?.columns.filter((c) => c.include !== false).map((c) => `${c.name}:${c.type}`).join('\u0001');
  const appendable = datasets.filter((d) => d.kind === 'import' && d.columns.map((c) => `${c.name}:${c.type}`).join('\u0001') === chosen);
  const job = jobs.find((j) => j.id === jobId);
  const summary = job?.status === 'done' ? (job.result as ImportSummary) : null;

  // Re-inspect whenever files or overrides change: the preview follows the user's choices.
  useEffect(() => {
    if (files.length === 0) return;
    let live = true;
    setBusy(true);
    call('import/inspect', { files: files.map((f) => f.ref), encoding, dialect, previewRows: 30 })
      .then((r) => {
        if (!live) return;
        setInspect(r);
        setSettings(
          replay
            ? { ...r.settings, columns: r.settings.columns.map((c) => replay.columns.find((x) => x.source === c.source) ?? c) }
            : r.settings,
        );
      })
      .catch((e) => {
        if (!live) return;
        fail(e);
        setInspect(null);
      })
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [files, encoding, dialect, fail, replay]);

  useEffect(() => {
    if (job?.status === 'done' || job?.status === 'failed' || job?.status === 'cancelled') setStep(4);
  }, [job?.status]);

  const previewColumns = useMemo(
    () => (inspect?.header ?? []).map((h, i) => ({ title: h, dataIndex: i, key: i, width: 140, ellipsis: true })),
    [inspect],
  );

  if (!workspace) {
    return <NeedWorkspace />;
  }

  const reset = () => {
    setStep(0);
    setFiles([]);
    setInspect(null);
    setSettings(null);
    setEncoding('auto');
    setDialect({});
    setJobId(null);
    setName('');
  };

  const addFiles = async (list: File[]) => {
    const added: typeof files = [];
    for (const f of list) {
      setUploading(0);
      try {
        const r = await uploadFile(f, (d, tot) => setUploading(Math.round((100 * d) / Math.max(1, tot))));
        added.push({ ref: { uploadId: r.uploadId }, name: r.name, size: r.size });
      } catch (e) {
        fail(e);
      }
    }
    setUploading(null);
    if (added.length) {
      setFiles((prev) => [...prev, ...added]);
      if (!name) setName(added[0]!.name.replace(/\.[^.]+$/, ''));
      setStep(1);
    }
  };

  const chooseNative = async () => {
    try {
      const r = await call('host/choose-files', { multiple: true, filters: [{ name: 'Data', extensions: ['csv', 'tsv', 'txt', 'xlsx'] }] });
      if (r.paths.length) {
        setFiles(r.paths.map((p) => ({ ref: { path: p }, name: p.split(/[\\/]/).pop()!, size: 0 })));
        setName(r.paths[0]!.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, ''));
        setStep(1);
      }
    } catch (e) {
      fail(e);
    }
  };

  const updateCol = (i: number, patch: Partial<ImportSettings['columns'][number]>) => {
    if (!settings) return;
    setSettings({ ...settings, columns: settings.columns.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  };

  const large = files.reduce((s, f) => s + f.size, 0) >= DUCKDB_SUGGESTED_BYTES;
  const useDuck = duck ?? large;

  const start = async () => {
    if (!settings) return;
    try {
      const target = appendable.some((d) => d.id === appendTo) ? appendTo : undefined;
      const r = await call('import/start', { files: files.map((f) => f.ref), name: name || 'dataset', settings, appendTo: target, ...(!target && useDuck ? { engine: 'duckdb' as const } : {}) });
      setJobId(r.jobId);
      setStep(3);
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div>
      <AreaTitle area="import" />
      <Steps
        current={step}
        style={{ marginBottom: 20 }}
        items={[{ title: t('import.stepFiles') }, { title: t('import.stepFormat') }, { title: t('import.stepColumns') }, { title: t('import.stepImport') }, { title: t('import.stepSummary') }]}
      />
      {step === 0 && (
        <Card>
          <Upload.Dragger multiple showUploadList={false} beforeUpload={(_f, list) => { if (_f === list[0]) void addFiles(list); return false; }} accept=".csv,.tsv,.txt,.xlsx" data-testid="upload">
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{t('import.drop')}</p>
            <p className="ant-upload-hint">{t('import.dropHint')}</p>
          </Upload.Dragger>
          {uploading !== null && <Progress percent={uploading} style={{ marginTop: 12 }} />}
          {isDesktop() && (
            <Button icon={<FileAddOutlined />} style={{ marginTop: 12 }} onClick={() => void chooseNative()}>
              {t('import.choose')}
            </Button>
          )}
        </Card>
      )}
      {step === 1 && (
        <Card loading={busy && !inspect}>
          {inspect && (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Descriptions size="small" column={3} bordered>
                <Descriptions.Item label={t('import.files')}>{inspect.files.map((f) => f.name).join(', ')}</Descriptions.Item>
                <Descriptions.Item label={t('import.detected')}>
                  <Tag color="blue" data-testid="detected-encoding">{inspect.encodingDetected.encoding}</Tag>
                  <Typography.Text type="secondary">{Math.round(inspect.encodingDetected.confidence * 100)}% · {inspect.encodingDetected.reason}</Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label={t('import.rowsSampled')}>{inspect.preview.length}</Descriptions.Item>
              </Descriptions>
              <Space wrap>
                <span>{t('import.encoding')}</span>
                <Select style={{ width: 150 }} value={encoding} onChange={setEncoding} options={[{ value: 'auto', label: t('import.auto') }, ...ENCODINGS.map((e) => ({ value: e, label: e }))]} data-testid="encoding-select" />
                <span>{t('import.delimiter')}</span>
                <Select style={{ width: 150 }} value={inspect.dialect.delimiter} onChange={(v) => setDialect({ ...dialect, delimiter: v })} options={DELIMS.map((d) => ({ value: d, label: t(`import.delims.${JSON.stringify(d)}`, { defaultValue: d }) }))} />
                <span>{t('import.quote')}</span>
                <Select style={{ width: 120 }} value={inspect.dialect.quote ?? 'none'} onChange={(v) => setDialect({ ...dialect, quote: v === 'none' ? null : (v as '"') })} options={[{ value: '"', label: '"' }, { value: "'", label: "'" }, { value: 'none', label: t('import.noQuote') }]} />
                <span>{t('import.header')}</span>
                <Switch checked={inspect.dialect.header} onChange={(v) => setDialect({ ...dialect, header: v })} />
                <span>{t('import.replay')}</span>
                <Select
                  allowClear
                  style={{ width: 200 }}
                  placeholder="—"
                  onChange={(id?: string) => {
                    const src = replayable.find((d) => d.id === id)?.settings as ImportSettings | undefined;
                    setReplay(src ?? null);
                    if (src) {
                      setEncoding(src.encoding);
                      setDialect(src.dialect);
                    }
                  }}
                  options={replayable.map((d) => ({ value: d.id, label: d.name }))}
                  data-testid="replay-select"
                />
                <span>{t('import.skipLines')}</span>
                <Input type="number" min={0} style={{ width: 80 }} value={inspect.dialect.skipLines} onChange={(e) => setDialect({ ...dialect, skipLines: Math.max(0, Number(e.target.value) || 0) })} />
              </Space>
              {inspect.warnings.map((w) => <Alert key={w.code} type="warning" showIcon message={t('lang') === 'zh' ? w.zh : w.en} />)}
              <Table size="small" bordered data-testid="preview-grid" loading={busy} columns={previewColumns} dataSource={inspect.preview.map((r, i) => Object.assign({ key: i }, r))} scroll={{ x: Math.max(800, previewColumns.length * 140), y: 360 }} pagination={false} />
              <Space>
                <Button onClick={reset}>{t('common.back')}</Button>
                <Button type="primary" onClick={() => setStep(2)} data-testid="to-columns">{t('common.next')}</Button>
              </Space>
            </Space>
          )}
        </Card>
      )}
      {step === 2 && settings && inspect && (
        <Card>
          <Space style={{ marginBottom: 12 }}>
            <span>{t('import.datasetName')}</span>
            <Input value={name} onChange={(e) => setName(e.target.value)} style={{ width: 280 }} data-testid="dataset-name" disabled={!!appendTo && appendable.some((d) => d.id === appendTo)} />
            {appendable.length > 0 && (
              <>
                <span>{t('import.appendTo')}</span>
                <Select allowClear style={{ width: 240 }} value={appendable.some((d) => d.id === appendTo) ? appendTo : undefined} onChange={setAppendTo} placeholder={t('import.appendNone')} options={appendable.map((d) => ({ value: d.id, label: `${d.name} (${d.rowCount.toLocaleString()})` }))} data-testid="append-to" />
              </>
            )}
            {!(appendTo && appendable.some((d) => d.id === appendTo)) && (
              <Tooltip title={t('import.engineHelp')}>
                <span data-testid="engine-duckdb">
                  <Checkbox checked={useDuck} onChange={(e) => setDuck(e.target.checked)}>
                    {t('import.engineDuckdb')}
                    {large && <Tag color="blue" style={{ marginLeft: 6 }}>{t('import.engineSuggested')}</Tag>}
                  </Checkbox>
                </span>
              </Tooltip>
            )}
          </Space>
          <Table
            size="small"
            rowKey="source"
            data-testid="columns-table"
            pagination={false}
            scroll={{ y: 460 }}
            dataSource={settings.columns.map((c, i) => ({ ...c, i, info: inspect.columns[i] }))}
            columns={[
              { title: t('import.include'), width: 70, render: (_v, r) => <Checkbox checked={r.include !== false} onChange={(e) => updateCol(r.i, { include: e.target.checked })} /> },
              { title: t('import.column'), width: 200, render: (_v, r) => <Input size="small" value={r.name} onChange={(e) => updateCol(r.i, { name: e.target.value })} /> },
              { title: t('import.type'), width: 130, render: (_v, r) => <Select size="small" style={{ width: 120 }} value={r.type} onChange={(v) => updateCol(r.i, { type: v })} options={COLUMN_TYPES.map((x) => ({ value: x, label: t(`types.${x}`) }))} /> },
              { title: t('import.role'), width: 150, render: (_v, r) => <Select size="small" allowClear style={{ width: 140 }} value={r.role ?? undefined} placeholder="—" onChange={(v) => updateCol(r.i, { role: v ?? null })} options={ROLES.map((x) => ({ value: x, label: t(`roles.${x}`) }))} /> },
              { title: t('import.fit'), width: 90, render: (_v, r) => <Tooltip title={t('import.fitHelp')}><Progress percent={Math.round((r.info?.fitShare ?? 0) * 100)} size="small" status={(r.info?.fitShare ?? 1) < 0.98 ? 'exception' : 'normal'} /></Tooltip> },
              { title: t('import.examples'), render: (_v, r) => <Typography.Text type="secondary" ellipsis>{r.info?.examples.slice(0, 3).join(' · ')}</Typography.Text> },
              { title: t('import.bad'), render: (_v, r) => r.info?.badExamples.length ? <Space size={2} wrap>{r.info.badExamples.slice(0, 3).map((b, k) => <Tag color="red" key={k}>{b}</Tag>)}</Space> : null },
              { title: '', width: 40, render: (_v, r) => (r.info?.note ? <Tooltip title={r.info.note}><Tag color="gold">!</Tag></Tooltip> : null) },
            ]}
          />
          <Space style={{ marginTop: 16 }}>
            <Button onClick={() => setStep(1)}>{t('common.back')}</Button>
            <Button type="primary" onClick={() => void start()} data-testid="start-import">{t('import.start')}</Button>
          </Space>
        </Card>
      )}
      {step === 3 && job && (
        <Card>
          <JobProgress job={job} />
          <Button danger style={{ marginTop: 12 }} onClick={() => call('jobs/cancel', { jobId: job.id }).catch(fail)}>{t('common.cancel')}</Button>
        </Card>
      )}
      {step === 4 && job && (
        <Card data-testid="import-summary">
          {summary ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Result status="success" title={t('import.done', { name: summary.name })} subTitle={t('import.balance', { in: summary.rowsIn, ok: summary.rowsImported, q: summary.rowsQuarantined })} style={{ padding: 12 }} />
              {summary.renamedFrom && <Alert type="info" showIcon data-testid="import-renamed" message={t('import.renamed', { from: summary.renamedFrom, name: summary.name })} />}
              <Row gutter={16}>
                <Col span={6}><Statistic title={t('import.rowsIn')} value={summary.rowsIn} /></Col>
                <Col span={6}><Statistic title={t('import.rowsImported')} value={summary.rowsImported} /></Col>
                <Col span={6}><Statistic title={t('import.rowsQuarantined')} value={summary.rowsQuarantined} valueStyle={summary.rowsQuarantined ? { color: '#cf1322' } : undefined} /></Col>
                <Col span={6}><Statistic title={t('import.seconds')} value={summary.seconds} precision={1} /></Col>
              </Row>
              <Table size="small" rowKey="name" pagination={false} dataSource={summary.columns} columns={[
                { title: t('import.column'), dataIndex: 'name' },
                { title: t('import.type'), dataIndex: 'type', render: (v: string) => t(`types.${v}`) },
                { title: t('import.role'), dataIndex: 'role', render: (v: string | null) => (v ? t(`roles.${v}`) : '') },
                { title: t('import.invalid'), dataIndex: 'invalid', align: 'right', render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0) },
              ]} />
              <Space>
                <Button type="primary" onClick={() => navigate('data', `ds=${summary.datasetId}`)} data-testid="go-data">{t('import.goData')}</Button>
                {summary.rowsQuarantined > 0 && <Button onClick={() => navigate('data', `ds=${summary.datasetId}&table=quarantine`)}>{t('import.viewQuarantine')}</Button>}
                <Button onClick={() => navigate('quality', `ds=${summary.datasetId}`)}>{t('import.goQuality')}</Button>
                <Button onClick={reset} data-testid="import-another">{t('import.another')}</Button>
              </Space>
            </Space>
          ) : (
            <Result status={job.status === 'cancelled' ? 'warning' : 'error'} title={job.status === 'cancelled' ? t('import.cancelled') : t('import.failed')} subTitle={job.error ? (t('lang') === 'zh' ? job.error.zh : job.error.en) : t('import.nothingChanged')} extra={<Button onClick={reset}>{t('import.another')}</Button>} />
          )}
        </Card>
      )}
    </div>
  );
}
