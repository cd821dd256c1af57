/** Settings: language, backups retention, where data lives, and the privacy statement. */
import { useEffect, useState } from 'react';
import { Alert, Card, Descriptions, InputNumber, Segmented, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import type { ApiResult } from '../../../shared/api';

export default function SettingsPage() {
  const { t } = useTranslation();
  const { lang, setLang, settings, fail } = useApp();
  const [info, setInfo] = useState<ApiResult<'app/info'> | null>(null);
  const [retention, setRetention] = useState(settings?.backupRetention ?? 10);
  useEffect(() => {
    call('app/info', {}).then(setInfo).catch(fail);
  }, [fail]);
  return (
    <div>
      <Typography.Title level={3} className="seg-page-title">{t('nav.settings')}</Typography.Title>
      <Space direction="vertical" size="large" style={{ width: '100%', maxWidth: 860 }}>
        <Card title={t('settings.general')}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('settings.language')}>
              <Segmented value={lang} onChange={(v) => void setLang(v as 'zh-CN' | 'en')} options={[{ label: '简体中文', value: 'zh-CN' }, { label: 'English', value: 'en' }]} />
            </Descriptions.Item>
            <Descriptions.Item label={t('presentation.off')}>
              <Space>
                <Switch checked={!!settings?.presentationMode} onChange={(on) => call('settings/set', { presentationMode: on }).then(() => location.reload()).catch(fail)} data-testid="presentation-switch" />
                <Typography.Text type="secondary">{t('presentation.tip')} (Alt+P)</Typography.Text>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('settings.retention')}>
              <InputNumber min={1} max={100} value={retention} onChange={(v) => v && setRetention(v)} onBlur={() => call('settings/set', { backupRetention: retention }).catch(fail)} />
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={t('settings.about')}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('settings.version')}>{info?.version}</Descriptions.Item>
            <Descriptions.Item label={t('settings.host')}>{info ? t(`settings.hosts.${info.host}`) : ''}</Descriptions.Item>
            <Descriptions.Item label={t('settings.dataDir')}>{info?.dataDir}</Descriptions.Item>
            <Descriptions.Item label={t('settings.platform')}>{info?.platform}</Descriptions.Item>
          </Descriptions>
        </Card>
        <Alert type="success" showIcon message={t('settings.privacyTitle')} description={t('settings.privacy')} />
      </Space>
    </div>
  );
}
