/** Areas not built yet say so plainly — no fake content. */
import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export default function NotYet({ area }: { area: string }) {
  const { t } = useTranslation();
  return (
    <div>
      <Typography.Title level={3} className="seg-page-title">
        {t(`nav.${area}`)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t(`areas.${area}`)}</Typography.Paragraph>
      <Empty style={{ marginTop: 60 }} description={t('common.notBuilt')} data-testid="not-built" />
    </div>
  );
}
