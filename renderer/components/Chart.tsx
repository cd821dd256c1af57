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

/** Under automation every series without animation too: a treemap fades its labels in even with the chart's `animation: false`. */
function still(option: EChartsOption): EChartsOption {
  if (!AUTOMATED || !option.series) return option;
  const series = Array.isArray(option.series) ? option.series.map((x) => ({ ...x, animation: false })) : { ...option.series, animation: false };
  return { ...option, series } as EChartsOption;
}

export function Chart({ option, height = 320, title, extra, testId, filename, onEvents }: { option: EChartsOption; height?: number; title?: React.ReactNode; extra?: React.ReactNode; testId?: string; filename?: string; /** ECharts events, e.g. { click: (p) => … }. */ onEvents?: Record<string, (params: any) => void> }) {
  const ref = useRef<ReactECharts>(null);
  const { t, i18n } = useTranslation();
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
        // aria: ECharts writes a description of the chart and its data (in the UI language) for screen readers
        option={{ color: PALETTE, animation: !AUTOMATED, aria: { enabled: true }, textStyle: { fontFamily: "'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif" }, ...still(option) }}
        opts={{ locale: i18n.language === 'zh-CN' ? 'ZH' : 'EN' }}
        key={i18n.language}
        style={{ height }}
        notMerge
        lazyUpdate
        onEvents={onEvents}
      />
    </Card>
  );
}

/**
 * Weekday × hour heatmap option (0 = Monday): used for order times on the dashboard and SMS
 * send times on the campaigns screen. `value` is the colour dimension; `extra` rides along for
 * tooltips; sparse cells are drawn grey.
 */
/**
 * A pie (or ring) whose labels never sit on the legend: the legend is a scrolling column on the
 * right, the pie stays in the left part, outside labels that would overlap are hidden (the
 * tooltip and the legend still name every slice).
 */
export function pieOption(data: { name: string; value: number; itemStyle?: { color: string } }[], opts: { ring?: boolean; legend?: boolean; valueLabel?: boolean } = {}): EChartsOption {
  const legend = opts.legend ?? true;
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    ...(legend && { legend: { type: 'scroll', orient: 'vertical', right: 8, top: 'middle', width: '28%', textStyle: { overflow: 'truncate', width: 120 } } }),
    series: [
      {
        type: 'pie',
        // the pie's own box leaves the legend's column free; labels line up on the box's edges, inside it
        left: 0,
        right: legend ? '30%' : 0,
        radius: opts.ring === false ? '55%' : ['32%', '55%'],
        avoidLabelOverlap: true,
        labelLayout: { hideOverlap: true },
        label: { formatter: opts.valueLabel ? '{b}\n{c}' : '{b}\n{d}%', alignTo: 'edge', edgeDistance: 4, width: 90, overflow: 'truncate' },
        data,
      },
    ],
  };
}

export function weekHourHeatmap(cells: { weekday: number; hour: number; value: number; extra?: number; sparse?: boolean }[], weekdays: string[], opts: { tooltip?: (c: { weekday: string; hour: number; value: number; extra?: number }) => string } = {}) {
  return {
    tooltip: {
      position: 'top' as const,
      formatter: (p: unknown) => {
        const d = (p as { data: { value: number[] } | number[] }).data;
        const v = Array.isArray(d) ? d : d.value;
        const c = { weekday: weekdays[v[1]!]!, hour: v[0]!, value: v[2]!, extra: v[3] };
        return opts.tooltip ? opts.tooltip(c) : `${c.weekday} ${c.hour}:00 — ${c.value}`;
      },
    },
    grid: { left: 60, right: 20, top: 10, bottom: 90 },
    xAxis: { type: 'category' as const, data: Array.from({ length: 24 }, (_, h) => `${h}`), splitArea: { show: true } },
    yAxis: { type: 'category' as const, data: weekdays, splitArea: { show: true } },
    visualMap: { min: 0, max: Math.max(1, ...cells.filter((c) => !c.sparse).map((c) => c.value)), dimension: 2, calculable: true, orient: 'horizontal' as const, left: 'center', bottom: 0, inRange: { color: ['#f6f8fa', '#9ecbff', '#1f6feb'] } },
    series: [{ type: 'heatmap' as const, data: cells.map((c) => ({ value: [c.hour, c.weekday, c.value, c.extra ?? 0], itemStyle: c.sparse ? { color: '#e5e7eb' } : undefined })) }],
  };
}
