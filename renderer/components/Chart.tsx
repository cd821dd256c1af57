/**
 * ECharts wrapper: one place for the product look (palette, fonts), no animation under test
 * automation (stable screenshots), and "export PNG" on every chart.
 */
import { useRef } from 'react';
import ReactECharts from 'echarts-for-react';
import type { EChartsOption } from 'echarts';
import { Button, Card, Tooltip } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export const PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#e16f24', '#6e7781', '#d63384', '#0a9396', '#94a3b8', '#9a6700'];
const AUTOMATED = typeof navigator !== 'undefined' && navigator.webdriver === true;

export function Chart({ option, height = 320, title, extra, testId, filename }: { option: EChartsOption; height?: number; title?: React.ReactNode; extra?: React.ReactNode; testId?: string; filename?: string }) {
  const ref = useRef<ReactECharts>(null);
  const { t } = useTranslation();
  const exportPng = () => {
    const inst = ref.current?.getEchartsInstance();
    if (!inst) return;
    const a = document.createElement('a');
    a.href = inst.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    a.download = `${filename ?? 'chart'}.png`;
    a.click();
  };
  return (
    <Card
      size="small"
      title={title}
      data-testid={testId}
      extra={
        <>
          {extra}
          <Tooltip title={t('charts.exportPng')}>
            <Button size="small" type="text" icon={<DownloadOutlined />} onClick={exportPng} data-testid={testId ? `${testId}-png` : undefined} />
          </Tooltip>
        </>
      }
    >
      <ReactECharts
        ref={ref}
        option={{ color: PALETTE, animation: !AUTOMATED, textStyle: { fontFamily: "'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif" }, ...option }}
        style={{ height }}
        notMerge
        lazyUpdate
      />
    </Card>
  );
}
