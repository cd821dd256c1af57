/** The heading of an area's screen: its name and one line on what it is for (both from i18n). */
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Area } from '../routes';

export function AreaTitle({ area }: { area: Area }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={3} className="seg-page-title">{t(`nav.${area}`)}</Typography.Title>
      <Typography.Paragraph type="secondary">{t(`areas.${area}`)}</Typography.Paragraph>
    </>
  );
}
