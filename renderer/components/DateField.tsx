/**
 * A calendar date picked from a calendar (or typed), held as 'YYYY-MM-DD' text like every date the
 * API takes. Empty means "not set" (the analysis picks its default, e.g. the last date in the data).
 */
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useApp } from '../state/app';

const ISO = 'YYYY-MM-DD';

export function DateField({ value, onChange, testId, title, width = 140, allowClear = true }: { value: string; onChange: (v: string) => void; testId?: string; title?: string; width?: number; allowClear?: boolean }) {
  const { lang } = useApp();
  // the calendar's month and weekday names follow the UI language (antd's locale brings the rest)
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  const parsed = value ? dayjs(value, ISO) : null;
  return (
    <span title={title} data-testid={testId} data-value={value}>
      <DatePicker
        style={{ width }}
        format={ISO}
        value={parsed && parsed.isValid() ? parsed : null}
        allowClear={allowClear}
        onChange={(d) => onChange(d ? d.format(ISO) : '')}
      />
    </span>
  );
}
