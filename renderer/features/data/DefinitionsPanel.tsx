/**
 * Definitions (口径) of one dataset: the status column in force and the class of each of its
 * values (inferred, or changed here by the analyst), with the attribution window and as-of that
 * every report states. A change is audited and results made before it show as needing a recompute.
 */
import { useEffect, useState } from 'react';
import { Card, Descriptions, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import type { DefinitionsInfo } from '../../../shared/api/definitions';
import { ORDER_STATUS_CLASS_NAMES, SMS_STATUS_CLASS_NAMES } from '../../../shared/api/definitions';

const COLORS: Record<string, string> = { valid: 'green', delivered: 'green', accepted: 'gold', pending: 'gold', unknown: 'default', cancelled: 'red', failed: 'red', refunded: 'purple' };

export function DefinitionsPanel({ datasetId }: { datasetId: string }) {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [defs, setDefs] = useState<DefinitionsInfo | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    let live = true;
    call('definitions/get', { datasetId }).then((d) => live && setDefs(d)).catch(fail);
    return () => {
      live = false;
    };
  }, [datasetId, fail]);
  const s = defs?.statuses[0];
  if (!defs || !s) return null;
  const classes = s.kind === 'order' ? ORDER_STATUS_CLASS_NAMES : SMS_STATUS_CLASS_NAMES;
  const change = (raw: string, cls: string) => {
    setSaving(true);
    call('definitions/set', { datasetId, set: { [raw]: cls } })
      .then(setDefs)
      .catch(fail)
      .finally(() => setSaving(false));
  };
  return (
    <Card size="small" title={t('definitions.title')} data-testid="definitions">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('definitions.purpose')}</Typography.Text>
        <Descriptions size="small" column={4}>
          <Descriptions.Item label={t('definitions.kind')}>{t(`definitions.kinds.${s.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('definitions.column')}>{s.column ?? t('definitions.noColumn', { cls: t(`definitions.classes.${s.noColumnClass}`) })}</Descriptions.Item>
          <Descriptions.Item label={t('definitions.window')}>{t('definitions.days', { n: defs.windowDays })}</Descriptions.Item>
          <Descriptions.Item label={t('definitions.asOf')}>{defs.asOf ?? t('definitions.latest')}</Descriptions.Item>
        </Descriptions>
        {s.values.length > 0 && (
          <Table
            size="small"
            rowKey="raw"
            pagination={false}
            loading={saving}
            dataSource={s.values}
            columns={[
              { title: t('definitions.value'), dataIndex: 'raw', render: (v: string) => (v === '' ? <Typography.Text type="secondary">{t('definitions.blank')}</Typography.Text> : v) },
              { title: t('definitions.rows'), dataIndex: 'rows', align: 'right', render: (n: number) => n.toLocaleString() },
              {
                title: t('definitions.class'),
                dataIndex: 'cls',
                render: (cls: string, v) => (
                  <Select
                    size="small"
                    value={cls}
                    style={{ width: 180 }}
                    data-testid={`definition-${v.raw}`}
                    onChange={(next: string) => change(v.raw, next === v.inferred ? 'auto' : next)}
                    options={classes.map((c) => ({ value: c, label: <Tag color={COLORS[c]}>{t(`definitions.classes.${c}`)}</Tag> }))}
                  />
                ),
              },
              { title: t('definitions.inferred'), dataIndex: 'inferred', render: (c: string, v) => (v.overridden ? <Typography.Text type="warning">{t('definitions.changedFrom', { cls: t(`definitions.classes.${c}`) })}</Typography.Text> : t(`definitions.classes.${c}`)) },
            ]}
          />
        )}
        <Typography.Text type="secondary">{t('definitions.revision', { n: defs.revision })}</Typography.Text>
      </Space>
    </Card>
  );
}
