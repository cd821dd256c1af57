/** The empty state every workspace-bound screen shows when no workspace is open. */
import { Button, Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import { navigate } from '../Shell';

export function NeedWorkspace() {
  const { t } = useTranslation();
  return (
    <Empty style={{ marginTop: 80 }} description={t('workspace.openFirst')}>
      <Button type="primary" onClick={() => navigate('workspace')}>{t('nav.workspace')}</Button>
    </Empty>
  );
}
