/**
 * A form per cleaning operation: fields → one recipe step (the JSON of
 * main/analysis/clean/schema.ts RecipeStep; the service checks it and fills the defaults).
 */
import { Checkbox, Form, Input, InputNumber, Select } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';

export const OPS = ['trim', 'case', 'nfkc', 't2s', 'phone', 'email', 'date', 'currency', 'map', 'split', 'merge', 'derive', 'regexExtract', 'regexReplace', 'filter', 'fill', 'cap', 'validate'] as const;
export type Op = (typeof OPS)[number];
export type Step = Record<string, unknown> & { op: Op };

const DERIVATIONS = ['year', 'month', 'day', 'quarter', 'weekday', 'length', 'concat', 'add', 'sub', 'mul', 'div', 'daysBetween'];
const COND_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'contains', 'notContains', 'regex', 'empty', 'notEmpty', 'in', 'notIn'];
const FILL = ['mean', 'median', 'mode', 'constant', 'ffill', 'bfill', 'linear', 'knn'];

/** '12' → 12, 'abc' → 'abc', '' → undefined. */
const scalar = (v: unknown) => {
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v);
  return /^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s;
};
const list = (v: unknown) =>
  String(v ?? '')
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Form values → step JSON. */
export function toStep(op: Op, v: Record<string, any>): Step {
  const label = v.label ? { label: String(v.label) } : {};
  switch (op) {
    case 'trim':
      return { op, columns: v.columns, collapse: v.collapse !== false, ...label };
    case 'case':
      return { op, columns: v.columns, mode: v.mode ?? 'lower', ...label };
    case 'nfkc':
      return { op, columns: v.columns, ...label };
    case 't2s':
      return { op, columns: v.columns, from: v.from ?? 'tw', ...label };
    case 'phone':
      return { op, columns: v.columns, defaultCountry: (v.defaultCountry || 'CN').toUpperCase(), onInvalid: v.onInvalid ?? 'keep', ...label };
    case 'email':
      return { op, columns: v.columns, gmailDots: !!v.gmailDots, plusTags: !!v.plusTags, onInvalid: v.onInvalid ?? 'keep', ...label };
    case 'date':
      return { op, columns: v.columns, order: v.order ?? 'mdy', output: v.output ?? 'auto', onInvalid: v.onInvalid ?? 'keep', ...label };
    case 'currency':
      return { op, columns: v.columns, onInvalid: v.onInvalid ?? 'keep', ...label };
    case 'map': {
      const entries = String(v.entries ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const i = l.search(/[:：]/);
          const to = i < 0 ? l : l.slice(0, i).trim();
          const from = i < 0 ? [l] : list(l.slice(i + 1));
          return { to: to === '' ? null : to, from: from.length ? from : [to] };
        });
      return { op, columns: v.columns, entries, unmatched: v.unmatched ?? 'keep', ...label };
    }
    case 'split':
      return { op, column: v.column, delimiter: v.delimiter || ' ', into: list(v.into), rest: v.rest ?? 'last', ...label };
    case 'merge':
      return { op, columns: v.columns, into: v.into, separator: v.separator ?? ' ', ...label };
    case 'derive':
      return { op, into: v.into, fn: v.fn ?? 'year', args: v.args, ...(v.constant !== undefined && v.constant !== null ? { constant: v.constant } : {}), ...label };
    case 'regexExtract':
      return { op, column: v.column, pattern: v.pattern, group: v.group ?? 1, into: v.into, ...label };
    case 'regexReplace':
      return { op, columns: v.columns, pattern: v.pattern, replacement: v.replacement ?? '', ...label };
    case 'filter': {
      const c: Record<string, unknown> = { column: v.condColumn, op: v.condOp ?? 'eq' };
      if (['in', 'notIn'].includes(String(c.op))) c.values = list(v.value).map(scalar);
      else if (!['empty', 'notEmpty'].includes(String(c.op))) {
        c.value = scalar(v.value) ?? null;
        if (c.op === 'between') c.value2 = scalar(v.value2) ?? null;
      }
      return { op, conditions: [c], mode: v.mode ?? 'keep', ...label };
    }
    case 'fill':
      return { op, columns: v.columns, method: v.method ?? 'median', ...(v.method === 'constant' ? { value: scalar(v.fillValue) ?? null } : {}), ...(v.method === 'knn' && v.k ? { k: v.k } : {}), ...label };
    case 'cap':
      return { op, columns: v.columns, method: v.method ?? 'iqr', ...(v.factor ? { factor: v.factor } : {}), ...label };
    case 'validate': {
      const kind = v.ruleKind ?? 'range';
      const rule: Record<string, unknown> = { kind };
      if (kind === 'range') Object.assign(rule, { column: v.column, ...(v.min !== undefined && v.min !== null ? { min: v.min } : {}), ...(v.max !== undefined && v.max !== null ? { max: v.max } : {}) });
      if (kind === 'regex') Object.assign(rule, { column: v.column, pattern: v.pattern });
      if (kind === 'required' || kind === 'unique') rule.columns = v.columns;
      if (kind === 'compare') Object.assign(rule, { left: v.left, op: v.condOp ?? 'lte', right: v.right });
      return { op, name: v.name || kind, rule, ...label };
    }
  }
}

/** A short line describing a step. */
export function describeStep(s: Step): string {
  const cols = (s.columns as string[] | undefined)?.join(', ') ?? (s.column as string | undefined) ?? '';
  switch (s.op) {
    case 'filter': {
      const c = (s.conditions as { column: string; op: string; value?: unknown; values?: unknown[] }[])[0]!;
      return `${s.mode === 'remove' ? '−' : '+'} ${c.column} ${c.op} ${c.values ? c.values.join('|') : (c.value ?? '')}`;
    }
    case 'derive':
      return `${s.into} = ${s.fn}(${(s.args as string[]).join(', ')}${s.constant !== undefined ? `, ${s.constant}` : ''})`;
    case 'validate':
      return `${s.name}`;
    case 'split':
    case 'merge':
    case 'regexExtract':
      return `${cols} → ${Array.isArray(s.into) ? (s.into as string[]).join(', ') : s.into}`;
    case 'case':
      return `${cols} · ${s.mode}`;
    case 'fill':
    case 'cap':
      return `${cols} · ${s.method}`;
    default:
      return cols;
  }
}

export function StepForm({ op, form, columns }: { op: Op; form: FormInstance; columns: string[] }) {
  const { t } = useTranslation();
  const colOpts = columns.map((c) => ({ value: c, label: c }));
  const need = [{ required: true, message: t('qual.needValue') }];
  const needCols = [{ required: true, message: t('qual.needColumns') }];
  const opt = (xs: string[], key?: (x: string) => string) => xs.map((x) => ({ value: x, label: key ? t(key(x)) : x }));
  const multi = (name = 'columns', label = t('qual.f.columns')) => (
    <Form.Item name={name} label={label} rules={needCols}>
      <Select mode="multiple" options={colOpts} data-testid={`qf-${name}`} />
    </Form.Item>
  );
  const single = (name = 'column', label = t('qual.f.column')) => (
    <Form.Item name={name} label={label} rules={need}>
      <Select options={colOpts} showSearch data-testid={`qf-${name}`} />
    </Form.Item>
  );
  const text = (name: string, label: string, required = true) => (
    <Form.Item name={name} label={label} rules={required ? need : []}>
      <Input data-testid={`qf-${name}`} />
    </Form.Item>
  );
  const onInvalid = (
    <Form.Item name="onInvalid" label={t('qual.f.onInvalid')} initialValue="keep">
      <Select virtual={false} options={opt(['keep', 'null'], (x) => `qual.opt.${x}`)} />
    </Form.Item>
  );
  const ruleKind = Form.useWatch('ruleKind', form) ?? 'range';
  const condOp = Form.useWatch('condOp', form) ?? 'eq';
  const fillMethod = Form.useWatch('method', form);
  let fields: React.ReactNode;
  switch (op) {
    case 'trim':
      fields = (
        <>
          {multi()}
          <Form.Item name="collapse" valuePropName="checked" initialValue={true}>
            <Checkbox>{t('qual.f.collapse')}</Checkbox>
          </Form.Item>
        </>
      );
      break;
    case 'case':
      fields = (
        <>
          {multi()}
          <Form.Item name="mode" label={t('qual.f.mode')} initialValue="lower">
            <Select virtual={false} options={opt(['upper', 'lower', 'title'], (x) => `qual.opt.${x}`)} data-testid="qf-mode" />
          </Form.Item>
        </>
      );
      break;
    case 'nfkc':
      fields = multi();
      break;
    case 't2s':
      fields = (
        <>
          {multi()}
          <Form.Item name="from" label={t('qual.f.from')} initialValue="tw">
            <Select virtual={false} options={opt(['tw', 'twp', 'hk', 't'])} />
          </Form.Item>
        </>
      );
      break;
    case 'phone':
      fields = (
        <>
          {multi()}
          <Form.Item name="defaultCountry" label={t('qual.f.defaultCountry')} initialValue="CN">
            <Input maxLength={2} style={{ width: 80 }} />
          </Form.Item>
          {onInvalid}
        </>
      );
      break;
    case 'email':
      fields = (
        <>
          {multi()}
          <Form.Item name="gmailDots" valuePropName="checked"><Checkbox>{t('qual.f.gmailDots')}</Checkbox></Form.Item>
          <Form.Item name="plusTags" valuePropName="checked"><Checkbox>{t('qual.f.plusTags')}</Checkbox></Form.Item>
          {onInvalid}
        </>
      );
      break;
    case 'date':
      fields = (
        <>
          {multi()}
          <Form.Item name="order" label={t('qual.f.order')} initialValue="mdy">
            <Select virtual={false} options={opt(['ymd', 'dmy', 'mdy'])} />
          </Form.Item>
          <Form.Item name="output" label={t('qual.f.output')} initialValue="auto">
            <Select virtual={false} options={opt(['auto', 'date', 'datetime'], (x) => `qual.opt.${x}`)} />
          </Form.Item>
          {onInvalid}
        </>
      );
      break;
    case 'currency':
      fields = (
        <>
          {multi()}
          {onInvalid}
        </>
      );
      break;
    case 'map':
      fields = (
        <>
          {multi()}
          <Form.Item name="entries" label={t('qual.f.entries')} rules={need}>
            <Input.TextArea rows={4} placeholder={'男: M, male, 先生\n女: F, female, 女士'} data-testid="qf-entries" />
          </Form.Item>
          <Form.Item name="unmatched" label={t('qual.f.unmatched')} initialValue="keep">
            <Select virtual={false} options={opt(['keep', 'null'], (x) => `qual.opt.${x}`)} />
          </Form.Item>
        </>
      );
      break;
    case 'split':
      fields = (
        <>
          {single()}
          {text('delimiter', t('qual.f.delimiter'))}
          {text('into', t('qual.f.intoList'))}
          <Form.Item name="rest" label={t('qual.f.rest')} initialValue="last">
            <Select virtual={false} options={opt(['last', 'drop'], (x) => `qual.opt.${x}`)} />
          </Form.Item>
        </>
      );
      break;
    case 'merge':
      fields = (
        <>
          {multi()}
          {text('into', t('qual.f.into'))}
          <Form.Item name="separator" label={t('qual.f.separator')} initialValue=" ">
            <Input style={{ width: 80 }} />
          </Form.Item>
        </>
      );
      break;
    case 'derive':
      fields = (
        <>
          {text('into', t('qual.f.into'))}
          <Form.Item name="fn" label={t('qual.f.fn')} initialValue="year">
            <Select virtual={false} options={opt(DERIVATIONS)} data-testid="qf-fn" />
          </Form.Item>
          {multi('args', t('qual.f.args'))}
          <Form.Item name="constant" label={t('qual.f.constant')}>
            <InputNumber />
          </Form.Item>
        </>
      );
      break;
    case 'regexExtract':
      fields = (
        <>
          {single()}
          {text('pattern', t('qual.f.pattern'))}
          <Form.Item name="group" label={t('qual.f.group')} initialValue={1}>
            <InputNumber min={0} max={99} />
          </Form.Item>
          {text('into', t('qual.f.into'))}
        </>
      );
      break;
    case 'regexReplace':
      fields = (
        <>
          {multi()}
          {text('pattern', t('qual.f.pattern'))}
          {text('replacement', t('qual.f.replacement'), false)}
        </>
      );
      break;
    case 'filter':
      fields = (
        <>
          {single('condColumn', t('qual.f.condColumn'))}
          <Form.Item name="condOp" label={t('qual.f.condOp')} initialValue="eq">
            <Select virtual={false} options={opt(COND_OPS)} data-testid="qf-condOp" />
          </Form.Item>
          {!['empty', 'notEmpty'].includes(condOp) && text('value', t('qual.f.value'))}
          {condOp === 'between' && text('value2', t('qual.f.value2'))}
          <Form.Item name="mode" label={t('qual.f.filterMode')} initialValue="keep">
            <Select virtual={false} options={[{ value: 'keep', label: t('qual.opt.keepRows') }, { value: 'remove', label: t('qual.opt.removeRows') }]} data-testid="qf-filterMode" />
          </Form.Item>
        </>
      );
      break;
    case 'fill':
      fields = (
        <>
          {multi()}
          <Form.Item name="method" label={t('qual.f.method')} initialValue="median">
            <Select virtual={false} options={opt(FILL)} data-testid="qf-method" />
          </Form.Item>
          {fillMethod === 'constant' && text('fillValue', t('qual.f.fillValue'))}
          {fillMethod === 'knn' && (
            <Form.Item name="k" label={t('qual.f.k')} initialValue={5}>
              <InputNumber min={1} max={100} />
            </Form.Item>
          )}
        </>
      );
      break;
    case 'cap':
      fields = (
        <>
          {multi()}
          <Form.Item name="method" label={t('qual.f.method')} initialValue="iqr">
            <Select virtual={false} options={opt(['iqr', 'percentile'], (x) => `qual.opt.${x}`)} />
          </Form.Item>
          <Form.Item name="factor" label={t('qual.f.factor')} initialValue={1.5}>
            <InputNumber min={0.1} max={100} step={0.5} />
          </Form.Item>
        </>
      );
      break;
    case 'validate':
      fields = (
        <>
          {text('name', t('qual.f.name'))}
          <Form.Item name="ruleKind" label={t('qual.f.ruleKind')} initialValue="range">
            <Select virtual={false} options={opt(['range', 'regex', 'required', 'unique', 'compare'], (x) => `qual.opt.${x}`)} data-testid="qf-ruleKind" />
          </Form.Item>
          {(ruleKind === 'range' || ruleKind === 'regex') && single()}
          {ruleKind === 'range' && (
            <>
              <Form.Item name="min" label={t('qual.f.min')}><InputNumber data-testid="qf-min" /></Form.Item>
              <Form.Item name="max" label={t('qual.f.max')}><InputNumber data-testid="qf-max" /></Form.Item>
            </>
          )}
          {ruleKind === 'regex' && text('pattern', t('qual.f.pattern'))}
          {(ruleKind === 'required' || ruleKind === 'unique') && multi()}
          {ruleKind === 'compare' && (
            <>
              {single('left', t('qual.f.left'))}
              <Form.Item name="condOp" label={t('qual.f.condOp')} initialValue="lte">
                <Select virtual={false} options={opt(['eq', 'ne', 'gt', 'gte', 'lt', 'lte'])} />
              </Form.Item>
              {single('right', t('qual.f.right'))}
            </>
          )}
        </>
      );
      break;
  }
  return (
    <>
      {fields}
      <Form.Item name="label" label={t('qual.f.label')}>
        <Input data-testid="qf-label" />
      </Form.Item>
    </>
  );
}
