/** Dataset browser: the catalog beside a server-paged grid of typed, raw or quarantined rows. */
import { useEffect, useState } from 'react';
import { Badge, Button, Card, Col, Descriptions, Empty, List, Row, Segmented, Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { AreaTitle } from '../../components/AreaTitle';
import { useApp } from '../../state/app';
import { hashParams, navigate } from '../../routes';
import { NeedWorkspace } from '../../components/NeedWorkspace';
import { DataGrid } from '../../components/DataGrid';
import { DefinitionsPanel } from './DefinitionsPanel';
import { ColumnEditor } from './ColumnEditor';

export default function DataPage() {
  const { t } = useTranslation();
  const { workspace, datasets } = useApp();
  const fromHash = hashParams();
  const [selected, setSelected] = useState<string | null>(fromHash.get('ds'));
  const [table, setTable] = useState<'typed' | 'raw' | 'quarantine'>((fromHash.get('table') as 'quarantine') ?? 'typed');
  useEffect(() => {
    if ((!selected || !datasets.some((d) => d.id === selected)) && datasets.length) setSelected(datasets[0]!.id);
  }, [datasets, selected]);
  if (!workspace) {
    return <NeedWorkspace />;
  }
  const ds = datasets.find((d) => d.id === selected);
  return (
    <div>
      <AreaTitle area="data" />
      {datasets.length === 0 ? (
        <Empty description={t('data.empty')}><Button type="primary" onClick={() => navigate('import')}>{t('nav.import')}</Button></Empty>
      ) : (
        <Row gutter={16}>
          <Col xs={24} xl={5}>
            <Card size="small" title={t('data.catalog')}>
              <List
                size="small"
                dataSource={datasets}
                renderItem={(d) => (
                  <List.Item onClick={() => setSelected(d.id)} style={{ cursor: 'pointer', background: d.id === selected ? '#eef4ff' : undefined, paddingLeft: 8 }} data-testid={`dataset-${d.name}`}>
                    <List.Item.Meta title={<>{d.name}{d.engine === 'duckdb' && <Tag color="blue" style={{ marginLeft: 6 }} data-testid="engine-tag">DuckDB</Tag>}</>} description={`${d.rowCount.toLocaleString()} ${t('data.rows')} · ${d.columns.length} ${t('data.cols')}`} />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
          <Col xs={24} xl={19}>
            {ds && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Card size="small">
                  <Descriptions size="small" column={4}>
                    <Descriptions.Item label={t('data.source')}><span data-user-data>{ds.sourceName}</span></Descriptions.Item>
                    <Descriptions.Item label={t('data.encoding')}>{ds.encoding}</Descriptions.Item>
                    <Descriptions.Item label={t('data.rowsIn')}>{ds.rowsIn.toLocaleString()}</Descriptions.Item>
                    <Descriptions.Item label={t('data.quarantined')}>{ds.quarantined.toLocaleString()}</Descriptions.Item>
                  </Descriptions>
                  <Space wrap size={[4, 4]}>
                    {ds.columns.map((c) => (
                      <ColumnEditor key={`${ds.id}:${c.name}`} datasetId={ds.id} column={c}>
                        <Tooltip title={`${t(`types.${c.type}`)}${c.role ? ' · ' + t(`roles.${c.role}`) : ''}${c.invalid ? ' · ' + t('data.invalidCells', { n: c.invalid }) : ''}`}>
                          <Tag color={c.role ? 'geekblue' : undefined}>
                            {c.name} <span className="seg-muted">{t(`types.${c.type}`)}</span>
                            {c.invalid > 0 && <Badge count={c.invalid} size="small" style={{ marginLeft: 4 }} overflowCount={9999} />}
                          </Tag>
                        </Tooltip>
                      </ColumnEditor>
                    ))}
                  </Space>
                </Card>
                <DefinitionsPanel datasetId={ds.id} />
                <Segmented
                  value={table}
                  onChange={(v) => setTable(v as typeof table)}
                  options={[
                    { value: 'typed', label: t('data.typed') },
                    { value: 'raw', label: t('data.raw') },
                    { value: 'quarantine', label: `${t('data.quarantine')} (${ds.quarantined})` },
                  ]}
                  data-testid="table-switch"
                />
                <DataGrid datasetId={ds.id} table={table} columns={table === 'quarantine' ? ['line', 'reason', 'detail', 'raw'] : ds.columns.map((c) => c.name)} />
              </Space>
            )}
          </Col>
        </Row>
      )}
    </div>
  );
}
