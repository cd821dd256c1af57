/**
 * Which dataset fits which analysis input (shared/pickers.ts), on files imported the way an analyst
 * gets them — the demo's eight exports and the messy brand's GBK exports, roles as the importer
 * guessed them — and after a role is changed on purpose. Each SMS input is fitted by exactly its
 * own file, and a file that lacks a needed role or carries another kind's role is refused with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tempDir } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';
import { PICKER_SLOTS, slotFit, type PickerSlot } from '../../../shared/pickers';
import type { DatasetInfo } from '../../../shared/types';

let t: ReturnType<typeof tempDir>;
const cli = segmintIn(() => t.dir);
let demo: DatasetInfo[] = [];
let messy: DatasetInfo[] = [];
let messyWs = '';

const fitting = (infos: DatasetInfo[], slot: PickerSlot) => infos.filter((d) => slotFit(d, slot).fits).map((d) => d.name);

beforeAll(() => {
  t = tempDir('segmint-pickers-');
  const ws = cli.json(['demo', '--customers', '600']).path as string;
  demo = cli.json(['datasets', 'list', '--workspace', ws]).datasets ?? cli.json(['datasets', 'list', '--workspace', ws]);
  messyWs = path.join(t.dir, 'messy.segmint');
  cli.json(['demo', 'messy', '--out', path.join(t.dir, 'messy'), '--people', '300', '--workspace', messyWs]);
  messy = cli.json(['datasets', 'list', '--workspace', messyWs]).datasets ?? cli.json(['datasets', 'list', '--workspace', messyWs]);
});
afterAll(() => t.cleanup());

describe('dataset pickers by role', () => {
  it('on the demo, each SMS input is fitted by exactly its own file', () => {
    expect(fitting(demo, 'sends')).toEqual(['短信发送']);
    expect(fitting(demo, 'replies')).toEqual(['短信回复']);
    expect(fitting(demo, 'receipts')).toEqual(['短信回执']);
    expect(fitting(demo, 'clicks')).toEqual(['短链点击']);
    expect(fitting(demo, 'orders')).toEqual(['订单']);
  });

  it('refuses with the reason: orders are not receipts (no delivery status), replies are not clicks', () => {
    const orders = demo.find((d) => d.name === '订单')!;
    expect(slotFit(orders, 'receipts')).toMatchObject({ fits: false, missing: ['sms_status'] });
    const replies = demo.find((d) => d.name === '短信回复')!;
    expect(slotFit(replies, 'clicks')).toMatchObject({ fits: false, conflicting: ['reply_text'] });
    const sends = demo.find((d) => d.name === '短信发送')!;
    expect(slotFit(sends, 'receipts').fits).toBe(false); // a sends file carries the message: not receipts
  });

  it('on the messy brand export (GBK, guessed roles) the same, and the CRM fits no SMS input', () => {
    expect(fitting(messy, 'sends')).toEqual(['短信发送']);
    expect(fitting(messy, 'replies')).toEqual(['短信回复']);
    expect(fitting(messy, 'orders')).toEqual(['订单']);
    expect(fitting(messy, 'receipts')).toEqual([]);
    for (const slot of Object.keys(PICKER_SLOTS) as PickerSlot[]) if (slot !== 'orders') expect(fitting(messy, slot)).not.toContain('CRM会员');
  });

  it('transactions for RFM, CLV and the dashboard: a customer key, a time and an amount — or quantity and unit price together', () => {
    expect(fitting(demo, 'transactions')).toEqual(['订单']);
    expect(fitting(messy, 'transactions')).toEqual(['订单']);
    const orders = demo.find((d) => d.name === '订单')!;
    // a file with a customer, a time and a quantity alone is not enough; with a unit price beside it, it is
    const base = orders.columns.filter((c) => c.role === 'customer_id' || c.role === 'timestamp');
    const col = (name: string, role: 'quantity' | 'unit_price') => ({ ...orders.columns.find((c) => c.role === 'amount')!, name, role });
    const qtyOnly = { ...orders, columns: [...base, col('数量', 'quantity')] };
    expect(slotFit(qtyOnly, 'transactions')).toMatchObject({ fits: false, missing: ['amount'] });
    const qtyPrice = { ...orders, columns: [...base, col('数量', 'quantity'), col('单价', 'unit_price')] };
    expect(slotFit(qtyPrice, 'transactions')).toMatchObject({ fits: true, missing: [] });
    expect(slotFit(qtyPrice, 'transactions').uses).toEqual(['timestamp', 'customer_id', 'quantity', 'unit_price']);
    // with an amount there, quantity × unit price is not what is read
    expect(slotFit({ ...orders, columns: [...qtyPrice.columns, orders.columns.find((c) => c.role === 'amount')!] }, 'transactions').uses).toEqual(['timestamp', 'customer_id', 'amount']);
    // the sends are not transactions: they have no amount
    expect(slotFit(demo.find((d) => d.name === '短信发送')!, 'transactions')).toMatchObject({ fits: false, missing: ['amount'] });
  });

  it('follows a role changed on the Data screen: a reply column set back to message text stops fitting replies', () => {
    const replies = messy.find((d) => d.name === '短信回复')!;
    const column = replies.columns.find((c) => c.role === 'reply_text')!.name;
    cli.json(['columns', 'set', '--dataset', '短信回复', '--column', column, '--role', 'message_text', '--workspace', messyWs]);
    const after = (cli.json(['datasets', 'list', '--workspace', messyWs]).datasets ?? []) as DatasetInfo[];
    const changed = (after.length ? after : (cli.json(['datasets', 'list', '--workspace', messyWs]) as DatasetInfo[])).find((d) => d.name === '短信回复')!;
    expect(slotFit(changed, 'replies')).toMatchObject({ fits: false, missing: ['reply_text'] });
  });
});
