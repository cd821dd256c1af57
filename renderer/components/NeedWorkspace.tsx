/**
 * The empty state of every screen that needs a workspace with data: it names the missing step and
 * has the button that takes the analyst there (open a workspace; import a file or open the demo).
 */
import { Alert, Button, Empty, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { areaFromHash, navigate } from '../routes';
import { useApp } from '../state/app';

export function NeedWorkspace() {
  const { t } = useTranslation();
  const { workspace } = useApp();
  if (workspace)
    return (
      <Empty style={{ marginTop: 80 }} description={t('workspace.importFirst')} data-testid="need-data" data-area={areaFromHash()}>
        <Space>
          <Button type="primary" onClick={() => navigate('import')} data-testid="need-data-import">{t('nav.import')}</Button>
          <Button onClick={() => navigate('workspace')}>{t('workspace.tryDemo')}</Button>
        </Space>
      </Empty>
    );
  return (
    <Empty style={{ marginTop: 80 }} description={t('workspace.openFirst')} data-testid="need-workspace">
      <Button type="primary" onClick={() => navigate('workspace')}>{t('nav.workspace')}</Button>
    </Empty>
  );
}

/** A screen that needs orders (customer, time and amount roles) when no dataset has them. */
export function NeedTransactions() {
  const { t } = useTranslation();
  return <NeedRoles message={t('seg.noTxn')} testId="need-transactions" />;
}

/** No dataset has the roles this screen needs: set the roles on the Data screen, or import a file. */
export function NeedRoles({ message, testId }: { message: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="info"
      showIcon
      message={message}
      data-testid={testId}
      action={
        <Space direction="vertical">
          <Button size="small" type="primary" onClick={() => navigate('data')}>{t('nav.data')}</Button>
          <Button size="small" onClick={() => navigate('import')}>{t('nav.import')}</Button>
        </Space>
      }
    />
  );
}
