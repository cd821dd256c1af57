/**
 * The suppression list exports honour (filled from unsubscribe replies or by hand) and the
 * workspace's unsubscribe rules that decide what counts as an unsubscribe.
 */
import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Col, Input, message, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { suppressionDetail } from '../../i18n/codes';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import type { SuppressionEntry, UnsubscribeRuleInput } from '../../../shared/api/sms';
import { smsDatasets } from './datasets';

export default function SuppressionTab() {
  const { t } = useTranslation();
  const { datasets, fail } = useApp();
  const { replyOpts } = smsDatasets(datasets);
  const [replies, setReplies] = useState<string | undefined>(replyOpts[0]?.id);
  const [list, setList] = useState<{ total: number; rows: SuppressionEntry[] }>({ total: 0, rows: [] });
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [phones, setPhones] = useState('');
  const load = useCallback(() => call('sms/suppression/list', { search: search || undefined, limit: 20, offset: (page - 1) * 20 }).then(setList).catch(fail), [search, page, fail]);
  useEffect(() => void load(), [load]);
  const sync = async () => {
    if (!replies) return;
    try {
      const r = await call('sms/suppression/sync', { replies });
      message.success(t('sms.synced', r));
      await load();
    } catch (e) {
      fail(e);
    }
  };
  const add = async () => {
    const list = phones.split(/[\s,;，；]+/).filter(Boolean);
    if (!list.length) return;
    try {
      const r = await call('sms/suppression/add', { phones: list, reason: 'manual' });
      message.success(t('sms.added', r));
      setPhones('');
      await load();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Row gutter={16}>
      <Col xs={24} xl={14}>
        <Card size="small" title={`${t('sms.suppression')} (${list.total})`} extra={<Input.Search allowClear placeholder={t('sms.searchPhone')} onSearch={(v) => { setSearch(v); setPage(1); }} style={{ width: 200 }} />}>
          <Space wrap style={{ marginBottom: 8 }}>
            <Select style={{ width: 180 }} value={replies} onChange={setReplies} options={replyOpts.map((d) => ({ value: d.id, label: d.name }))} placeholder={t('sms.replies')} />
            <Button type="primary" onClick={() => void sync()} disabled={!replies} data-testid="suppression-sync">{t('sms.sync')}</Button>
            <Input style={{ width: 220 }} value={phones} onChange={(e) => setPhones(e.target.value)} placeholder={t('sms.phonesToAdd')} onPressEnter={() => void add()} data-testid="suppression-phones" />
            <Button onClick={() => void add()}>{t('sms.add')}</Button>
          </Space>
          <Table
            size="small"
            rowKey="phone"
            data-testid="suppression-table"
            dataSource={list.rows}
            pagination={{ current: page, pageSize: 20, total: list.total, onChange: setPage, showSizeChanger: false }}
            columns={[
              { title: t('sms.phone'), dataIndex: 'phone' },
              { title: t('sms.reason'), dataIndex: 'reason', render: (r: string) => <Tag color={r === 'unsubscribe' ? 'orange' : r === 'complaint' ? 'red' : 'default'}>{t(`sms.reasons.${r}`)}</Tag> },
              { title: t('sms.detail'), dataIndex: 'detail', ellipsis: true, render: (d: string | null) => suppressionDetail(t, d) },
              { title: t('sms.addedAt'), dataIndex: 'addedAt', render: (v: string) => v.slice(0, 16).replace('T', ' ') },
              { title: '', render: (_, r) => <Popconfirm title={t('sms.removeQ')} onConfirm={() => call('sms/suppression/remove', { phones: [r.phone] }).then(load).catch(fail)}><Button size="small" type="link">{t('sms.remove')}</Button></Popconfirm> },
            ]}
          />
          <Typography.Text type="secondary">{t('sms.suppressionHelp')}</Typography.Text>
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <RulesCard />
      </Col>
    </Row>
  );
}

function RulesCard() {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [rules, setRules] = useState<(UnsubscribeRuleInput & { key: number })[]>([]);
  const [isDefault, setIsDefault] = useState(true);
  const [dirty, setDirty] = useState(false);
  const apply = (r: { rules: UnsubscribeRuleInput[]; isDefault: boolean }) => {
    setRules(r.rules.map((x, i) => ({ ...x, key: i })));
    setIsDefault(r.isDefault);
    setDirty(false);
  };
  useEffect(() => void call('sms/rules/get', {}).then(apply).catch(fail), [fail]);
  const edit = (key: number, patch: Partial<UnsubscribeRuleInput>) => {
    setRules((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setDirty(true);
  };
  const save = (next: UnsubscribeRuleInput[] | null) =>
    call('sms/rules/set', { rules: next })
      .then((r) => {
        apply(r);
        message.success(t('sms.rulesSaved'));
      })
      .catch(fail);
  return (
    <Card
      size="small"
      title={<Space>{t('sms.rules')}{isDefault && <Tag>{t('sms.builtIn')}</Tag>}</Space>}
      extra={
        <Space>
          <Button size="small" onClick={() => { setRules((rs) => [...rs, { kind: 'exact', pattern: '', key: Math.max(0, ...rs.map((r) => r.key)) + 1 }]); setDirty(true); }} data-testid="rules-add">{t('sms.addRule')}</Button>
          <Button size="small" onClick={() => void save(null)} disabled={isDefault}>{t('sms.resetRules')}</Button>
          <Button size="small" type="primary" disabled={!dirty} onClick={() => void save(rules.filter((r) => r.pattern.trim()).map(({ kind, pattern }) => ({ kind, pattern: pattern.trim() })))} data-testid="rules-save">{t('sms.saveRules')}</Button>
        </Space>
      }
    >
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        scroll={{ y: 420 }}
        dataSource={rules}
        data-testid="rules-table"
        columns={[
          { title: t('sms.ruleKind'), dataIndex: 'kind', width: 130, render: (v: string, r) => <Select size="small" value={v} style={{ width: 110 }} onChange={(k) => edit(r.key, { kind: k as UnsubscribeRuleInput['kind'] })} options={['exact', 'contains', 'regex'].map((k) => ({ value: k, label: t(`sms.kinds.${k}`) }))} /> },
          { title: t('sms.pattern'), dataIndex: 'pattern', render: (v: string, r) => <Input size="small" value={v} onChange={(e) => edit(r.key, { pattern: e.target.value })} /> },
          { title: '', width: 50, render: (_, r) => <Button size="small" type="link" danger onClick={() => { setRules((rs) => rs.filter((x) => x.key !== r.key)); setDirty(true); }}>×</Button> },
        ]}
      />
      <Typography.Text type="secondary">{t('sms.rulesHelp')}</Typography.Text>
    </Card>
  );
}
