/**
 * The recipe builder: an ordered list of steps with undo/redo (client-side history of the list),
 * a form per operation with a before/after preview and counts (on the first 5,000 rows, after
 * the earlier steps) before a step is added, save / open / export / import, apply as a job
 * (links to the cleaned dataset and the removed rows) and replay on another dataset with its
 * misfits.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Empty, Form, Input, List, Popconfirm, Row, Select, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined, RedoOutlined, UndoOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { navigate } from '../../routes';
import { DatasetSelect, useJob } from '../../components/pickers';
import { JobProgress } from '../jobs/JobsDrawer';
import { OPS, StepForm, describeStep, toStep, type Op, type Step } from './StepForm';
import type { ApplyResult, PreviewResult, RecipeInfo } from '../../../shared/api/quality';

interface Entry {
  step: Step;
  counts?: { cellsChanged: number; rowsRemoved: number; rowsFlagged: number; rowsRead: number };
}
type Source = { columns: { name: string; type?: string }[] };

// White space a trim or a cleaning step is about, made visible: at the ends, doubled, or not a plain space.
const WS_GLYPH: Record<string, string> = { ' ': '·', '\t': '⇥', '\u00a0': '⍽', '\u3000': '□', '\n': '↵', '\r': '↵' };
function visible(s: string) {
  if (!/^\s|\s$|\s\s|[\t\u00a0\u3000\n\r]/.test(s)) return s;
  return s.split(/(\s+)/).map((part, i, all) =>
    /^\s+$/.test(part) && (i === 0 || i === all.length - 1 || part.length > 1 || part !== ' ') ? (
      <span key={i} style={{ color: '#bf8700', background: '#fff8c5' }} data-testid="q-ws">{[...part].map((c) => WS_GLYPH[c] ?? '·').join('')}</span>
    ) : (
      part
    ),
  );
}
const cell = (v: unknown) => (v === null || v === undefined ? <span style={{ color: '#bbb' }}>∅</span> : visible(String(v)));

function PreviewView({ p, noChangeWhy }: { p: PreviewResult; noChangeWhy: string | null }) {
  const { t } = useTranslation();
  const changed = p.columnsAfter.filter((c) => {
    const jb = p.columnsBefore.indexOf(c);
    const ja = p.columnsAfter.indexOf(c);
    return p.sample.some((s) => s.after && String(s.after[ja] ?? '') !== String(jb < 0 ? '' : (s.before[jb] ?? '')));
  });
  const show = changed.length ? changed : p.columnsBefore.slice(0, 6);
  const hasFlags = p.sample.some((s) => s.flags.length);
  return (
    <div data-testid="q-preview">
      <Typography.Text type="secondary">{p.capped ? t('qual.previewOn', { read: p.rowsRead.toLocaleString(), total: p.totalRows.toLocaleString() }) : t('qual.previewAll', { read: p.rowsRead.toLocaleString() })}</Typography.Text>
      <Row gutter={8} style={{ margin: '8px 0' }}>
        <Col span={6}><Statistic title={t('qual.cellsChanged')} value={p.report.cellsChanged} data-testid="q-pv-cells" /></Col>
        <Col span={6}><Statistic title={t('qual.rowsChanged')} value={p.report.rowsChanged} /></Col>
        <Col span={6}><Statistic title={t('qual.rowsRemoved')} value={p.removedCount} data-testid="q-pv-removed" /></Col>
        <Col span={6}><Statistic title={t('qual.rowsFlagged')} value={p.flaggedCount} data-testid="q-pv-flagged" /></Col>
      </Row>
      {p.earlierMisfits.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('qual.earlier')} description={p.earlierMisfits.map((m) => m.message).join('; ')} />}
      {p.issues.length > 0 && <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t('qual.issues')} description={p.issues.map((m) => m.message).join('; ')} />}
      {p.report.cellsChanged === 0 && p.removedCount === 0 && p.flaggedCount === 0 && <Alert type="info" message={noChangeWhy ?? t('qual.noChange')} style={{ marginBottom: 8 }} data-testid="q-no-change" />}
      <Table
        size="small"
        rowKey="row"
        pagination={{ pageSize: 8, size: 'small' }}
        scroll={{ x: 'max-content' }}
        dataSource={p.sample}
        columns={[
          { title: t('qual.row'), dataIndex: 'row', width: 70 },
          ...show.map((c) => ({
            title: c,
            key: c,
            render: (_: unknown, s: PreviewResult['sample'][number]) => {
              const jb = p.columnsBefore.indexOf(c);
              const ja = p.columnsAfter.indexOf(c);
              const b = jb < 0 ? null : s.before[jb];
              if (!s.after) return <span style={{ textDecoration: 'line-through', color: '#cf222e' }}>{cell(b)}</span>;
              const a = s.after[ja];
              if (String(a ?? '') === String(b ?? '')) return cell(a);
              return (
                <span>
                  <span style={{ color: '#cf222e', textDecoration: 'line-through' }}>{cell(b)}</span> → <span style={{ color: '#2da44e' }}>{cell(a)}</span>
                </span>
              );
            },
          })),
          { title: '', key: 'removed', render: (_: unknown, s: PreviewResult['sample'][number]) => (s.after ? null : <Tag color="red">{t('qual.removedTag')}</Tag>) },
          ...(hasFlags ? [{ title: t('qual.flags'), key: 'flags', render: (_: unknown, s: PreviewResult['sample'][number]) => s.flags.map((f, i) => <Tag key={i} color="orange">{f}</Tag>) }] : []),
        ]}
      />
    </div>
  );
}

function ApplyView({ r }: { r: ApplyResult }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const n = (v: number) => v.toLocaleString();
  return (
    <Card size="small" title={t('qual.result')} data-testid="q-apply-result">
      <Row gutter={12}>
        <Col span={6}><Statistic title={t('qual.rows')} value={t('qual.rowsInOut', { in: r.rowsIn.toLocaleString(), out: r.rowsOut.toLocaleString() })} valueStyle={{ fontSize: 18 }} /></Col>
        <Col span={6}><Statistic title={t('qual.rowsRemoved')} value={r.rowsRemoved} /></Col>
        <Col span={6}><Statistic title={t('qual.rowsFlagged')} value={r.rowsFlagged} /></Col>
        <Col span={6}>
          <Space direction="vertical">
            <Button type="primary" data-testid="q-open-cleaned" onClick={() => navigate('data', `ds=${r.datasetId}`)}>{t('qual.openCleaned')}</Button>
            {r.removedDatasetId && <Button data-testid="q-open-removed" onClick={() => navigate('data', `ds=${r.removedDatasetId}`)}>{t('qual.openRemoved', { n: r.rowsRemoved.toLocaleString() })}</Button>}
          </Space>
        </Col>
      </Row>
      {r.fits ? (
        <Alert style={{ marginTop: 12 }} type="success" showIcon message={t('qual.fits')} data-testid="q-fits" />
      ) : (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          data-testid="q-misfits"
          message={t('qual.misfits', { n: r.misfits.length })}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {r.misfits.map((m, i) => (
                <li key={i}>
                  <Tag color="orange">{t(`qual.misfit.${m.kind}`)}</Tag>
                  {m.step >= 0 ? `${t('qual.step')} ${m.step + 1} (${t(`qual.ops.${m.op}`, m.op)}): ` : ''}
                  {zh ? [m.column, m.count !== undefined ? `× ${m.count.toLocaleString()}` : null, m.examples?.length ? m.examples.slice(0, 5).join('、') : null].filter(Boolean).join(' ') : m.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Table
        style={{ marginTop: 12 }}
        size="small"
        rowKey="index"
        pagination={false}
        data-testid="q-apply-steps"
        dataSource={r.steps}
        columns={[
          { title: '#', render: (_: unknown, s) => s.index + 1, width: 40 },
          { title: t('qual.op'), render: (_: unknown, s) => <>{t(`qual.ops.${s.op}`)} {s.label && <Typography.Text type="secondary">{s.label}</Typography.Text>} {s.skipped && <Tag color="orange">{t('qual.skipped')}</Tag>}</> },
          { title: t('qual.cellsChanged'), dataIndex: 'cellsChanged', align: 'right', render: n },
          { title: t('qual.rowsRemoved'), dataIndex: 'rowsRemoved', align: 'right', render: n },
          { title: t('qual.rowsFlagged'), dataIndex: 'rowsFlagged', align: 'right', render: n },
        ]}
      />
      {r.flagsByRule.length > 0 && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text strong>{t('qual.flagsByRule')}: </Typography.Text>
          {r.flagsByRule.map((f) => <Tag key={f.rule}>{f.rule} × {f.count.toLocaleString()}</Tag>)}
        </div>
      )}
    </Card>
  );
}

export default function RecipeTab({ ds, setDs }: { ds: string | undefined; setDs: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const { fail, datasets } = useApp();
  const info = datasets.find((d) => d.id === ds);
  const [history, setHistory] = useState<Entry[][]>([[]]);
  const [pos, setPos] = useState(0);
  const entries = history[pos]!;
  const push = (next: Entry[]) => {
    setHistory([...history.slice(0, pos + 1), next]);
    setPos(pos + 1);
  };
  const [op, setOp] = useState<Op>('trim');
  const [form] = Form.useForm();
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [noChangeWhy, setNoChangeWhy] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [meta, setMeta] = useState<{ id?: number; name: string; source?: Source }>({ name: '' });
  const [saved, setSaved] = useState<RecipeInfo[]>([]);
  const [outName, setOutName] = useState('');
  const [replayDs, setReplayDs] = useState<string>();
  const [lastRun, setLastRun] = useState<ApplyResult | null>(null);
  const onDone = useCallback((r: ApplyResult) => setLastRun(r), []);
  const [job, setJob] = useJob('quality/apply', onDone);
  const fileRef = useRef<HTMLInputElement>(null);

  const loadSaved = useCallback(() => call('quality/recipe/list', {}).then(setSaved, fail), [fail]);
  useEffect(() => void loadSaved(), [loadSaved]);
  useEffect(() => setPreview(null), [op, ds, pos]);

  // Columns the next step can use: the dataset's, plus those the earlier steps create.
  const columns = useMemo(() => {
    const cols = (info?.columns ?? []).map((c) => c.name).filter((c) => c !== '_source_row' && c !== '_flags');
    for (const { step: s } of entries) {
      const into = s.into;
      for (const c of Array.isArray(into) ? (into as string[]) : typeof into === 'string' ? [into] : []) if (!cols.includes(c)) cols.push(c);
    }
    return cols;
  }, [info, entries]);

  const recipe = () => ({ version: 1, steps: entries.map((e) => e.step), source: meta.source ?? { columns: (info?.columns ?? []).map((c) => ({ name: c.name, type: c.type })) } });

  const runPreview = async () => {
    if (!ds) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    // why a step may change nothing: the importer already typed these columns in that form
    const cols = ((v.columns as string[] | undefined) ?? []).map((n) => info?.columns.find((c) => c.name === n)).filter((c) => !!c);
    const typedAs: Partial<Record<Op, string[]>> = { phone: ['phone'], email: ['email'], date: ['date', 'datetime'] };
    setNoChangeWhy(typedAs[op] && cols.length && cols.every((c) => typedAs[op]!.includes(c!.type)) ? t('qual.noChangeTyped', { columns: cols.map((c) => c!.name).join(t('pickers.sep')), type: t(`types.${cols[0]!.type}`) }) : op === 'trim' ? t('qual.noChangeTrim') : null);
    setPreviewing(true);
    try {
      setPreview(await call('quality/preview', { datasetId: ds, steps: entries.map((e) => e.step), step: toStep(op, v) }));
    } catch (e) {
      fail(e);
    } finally {
      setPreviewing(false);
    }
  };
  const addStep = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const step = toStep(op, v);
    push([...entries, { step, ...(preview ? { counts: { cellsChanged: preview.report.cellsChanged, rowsRemoved: preview.removedCount, rowsFlagged: preview.flaggedCount, rowsRead: preview.rowsRead } } : {}) }]);
    form.resetFields();
    setPreview(null);
  };
  const save = async () => {
    if (!meta.name.trim()) return fail(new Error(t('qual.recipeName') + ': ' + t('qual.needValue')));
    try {
      const r = await call('quality/recipe/save', { ...(meta.id ? { id: meta.id } : {}), name: meta.name.trim(), ...(ds ? { datasetId: ds } : {}), recipe: recipe() });
      setMeta({ ...meta, id: r.id });
      void message.success(t('qual.saved'));
      void loadSaved();
    } catch (e) {
      fail(e);
    }
  };
  const open = async (id: number) => {
    try {
      const r = await call('quality/recipe/get', { id });
      setMeta({ id: r.id, name: r.name, ...(r.recipe.source ? { source: r.recipe.source as Source } : {}) });
      push(r.recipe.steps.map((s) => ({ step: s as unknown as Step })));
    } catch (e) {
      fail(e);
    }
  };
  const exportJson = async () => {
    if (!meta.id) return;
    try {
      const r = await call('quality/recipe/export', { id: meta.id });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([r.json], { type: 'application/json' }));
      a.download = r.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      fail(e);
    }
  };
  const importJson = async (f: File) => {
    try {
      const r = await call('quality/recipe/import', { json: await f.text(), name: f.name.replace(/(\.recipe)?\.json$/i, '') || undefined });
      void message.success(t('qual.imported', { name: r.name }));
      await loadSaved();
      await open(r.id);
    } catch (e) {
      fail(e);
    }
  };
  const apply = (datasetId: string | undefined, name?: string) => {
    if (!datasetId || !entries.length) return;
    setLastRun(null);
    call('quality/apply', { datasetId, recipe: recipe(), ...(name?.trim() ? { name: name.trim() } : {}) }).then((x) => setJob(x.jobId), fail);
  };
  const running = job && (job.status === 'running' || job.status === 'queued');

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap>
          <span>{t('qual.dataset')}</span>
          <DatasetSelect value={ds} onChange={setDs} testId="q-recipe-dataset" width={300} />
          <Select
            style={{ width: 240 }}
            placeholder={t('qual.load')}
            data-testid="q-load"
            value={meta.id}
            onChange={(id: number) => void open(id)}
            options={saved.map((r) => ({ value: r.id, label: `${r.name} (${r.steps})` }))}
          />
          <Button icon={<UploadOutlined />} onClick={() => fileRef.current?.click()} data-testid="q-import">{t('qual.importJson')}</Button>
          <input ref={fileRef} type="file" accept=".json,application/json" style={{ display: 'none' }} data-testid="q-import-file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importJson(f); e.target.value = ''; }} />
        </Space>
      </Card>
      <Row gutter={12}>
        <Col xs={24} lg={10}>
          <Card
            size="small"
            title={t('qual.steps')}
            extra={
              <Space>
                <Tooltip title={t('qual.undo')}><Button size="small" icon={<UndoOutlined />} disabled={pos === 0} onClick={() => setPos(pos - 1)} data-testid="q-undo" /></Tooltip>
                <Tooltip title={t('qual.redo')}><Button size="small" icon={<RedoOutlined />} disabled={pos >= history.length - 1} onClick={() => setPos(pos + 1)} data-testid="q-redo" /></Tooltip>
              </Space>
            }
          >
            {entries.length === 0 ? (
              <Empty description={t('qual.noSteps')} />
            ) : (
              <List
                size="small"
                data-testid="q-steps"
                dataSource={entries}
                renderItem={(e, i) => (
                  <List.Item
                    data-testid={`q-step-${i}`}
                    actions={[<Button key="rm" size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => push(entries.filter((_, k) => k !== i))} aria-label={t('qual.remove')} />]}
                  >
                    <List.Item.Meta
                      title={
                        <span>
                          {i + 1}. {t(`qual.ops.${e.step.op}`)} {e.step.label ? <Typography.Text type="secondary">· {String(e.step.label)}</Typography.Text> : null}
                        </span>
                      }
                      description={
                        <>
                          <code style={{ fontSize: 12 }}>{describeStep(e.step)}</code>
                          {e.counts && (
                            <div style={{ marginTop: 2 }}>
                              <Tag>{t('qual.cellsChanged')} {e.counts.cellsChanged.toLocaleString()}</Tag>
                              {e.counts.rowsRemoved > 0 && <Tag color="red">{t('qual.rowsRemoved')} {e.counts.rowsRemoved.toLocaleString()}</Tag>}
                              {e.counts.rowsFlagged > 0 && <Tag color="orange">{t('qual.rowsFlagged')} {e.counts.rowsFlagged.toLocaleString()}</Tag>}
                            </div>
                          )}
                        </>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
            <Space wrap style={{ marginTop: 12 }}>
              <Input style={{ width: 180 }} placeholder={t('qual.recipeName')} value={meta.name} onChange={(e) => setMeta({ ...meta, name: e.target.value })} data-testid="q-recipe-name" />
              <Button onClick={() => void save()} disabled={!entries.length} data-testid="q-save">{t('qual.save')}</Button>
              <Button icon={<DownloadOutlined />} onClick={() => void exportJson()} disabled={!meta.id} data-testid="q-export">{t('qual.exportJson')}</Button>
              {meta.id && (
                <Popconfirm title={t('qual.deleteRecipe') + '?'} onConfirm={() => call('quality/recipe/delete', { id: meta.id! }).then(() => (setMeta({ name: '' }), loadSaved()), fail)}>
                  <Button danger type="text">{t('qual.deleteRecipe')}</Button>
                </Popconfirm>
              )}
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('qual.addStep')}>
            <Form form={form} layout="vertical" key={`${op}-${pos}`} data-testid="q-step-form">
              <Form.Item label={t('qual.op')}>
                <Select value={op} onChange={(v: Op) => setOp(v)} options={OPS.map((o) => ({ value: o, label: t(`qual.ops.${o}`) }))} data-testid="q-op" showSearch optionFilterProp="label" virtual={false} listHeight={400} />
              </Form.Item>
              <StepForm op={op} form={form} columns={columns} />
              <Space>
                <Button onClick={() => void runPreview()} loading={previewing} disabled={!ds} data-testid="q-preview-run">{t('qual.preview')}</Button>
                <Button type="primary" onClick={() => void addStep()} data-testid="q-add-step">{t('qual.add')}</Button>
              </Space>
            </Form>
            {preview && <div style={{ marginTop: 12 }}><PreviewView p={preview} noChangeWhy={noChangeWhy} /></div>}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('qual.apply')}>
        <Typography.Paragraph type="secondary">{t('qual.applyHelp')}</Typography.Paragraph>
        <Space wrap>
          <Input style={{ width: 240 }} placeholder={info ? `${info.name} (cleaned)` : t('qual.applyName')} value={outName} onChange={(e) => setOutName(e.target.value)} data-testid="q-apply-name" />
          <Button type="primary" disabled={!entries.length || !ds} loading={!!running} onClick={() => apply(ds, outName)} data-testid="q-apply">{t('qual.apply')}</Button>
          <span style={{ marginLeft: 16 }}>{t('qual.replayOn')}</span>
          <DatasetSelect value={replayDs} onChange={setReplayDs} testId="q-replay-dataset" width={260} />
          <Button disabled={!entries.length || !replayDs} loading={!!running} onClick={() => apply(replayDs)} data-testid="q-replay">{t('qual.replay')}</Button>
        </Space>
        {running && <div style={{ marginTop: 8 }}><JobProgress job={job} /></div>}
        {job?.status === 'failed' && job.error && <Alert style={{ marginTop: 8 }} type="error" message={i18n.language.startsWith('zh') ? job.error.zh : job.error.en} />}
      </Card>
      {lastRun && <ApplyView r={lastRun} />}
    </Space>
  );
}
