/**
 * Transactions → the (x, t_x, T) summary of buy-till-you-die models, following lifetimes'
 * summary_data_from_transaction_data: transactions are first aggregated per customer per
 * calendar day; x = purchase days − 1 (repeat purchases), t_x = days from the first to the last
 * purchase day, T = days from the first purchase day to the end of calibration, zbar = mean
 * amount of the repeat purchase days; all divided by 7 for weeks. Purchases after the
 * calibration end (up to the observation end) are counted as the hold-out.
 */
export interface SummaryInput {
  customer: string[];
  time: ArrayLike<number>;
  amount: ArrayLike<number>;
}

export interface Summary {
  customers: string[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  zbar: Float64Array;
  holdoutX: Float64Array;
  holdoutT: number;
  unitDays: number;
}

const DAY = 86_400_000;

export function rfmSummary(input: SummaryInput, opts: { calibrationEnd: number; observationEnd?: number; unit: 'days' | 'weeks' }): Summary {
  const unitDays = opts.unit === 'weeks' ? 7 : 1;
  const calDay = Math.floor(opts.calibrationEnd / DAY);
  const obsDay = Math.floor((opts.observationEnd ?? opts.calibrationEnd) / DAY);
  const byCust = new Map<string, Map<number, number>>();
  for (let i = 0; i < input.customer.length; i++) {
    const d = Math.floor(input.time[i]! / DAY);
    if (d > obsDay) continue;
    const c = input.customer[i]!;
    let days = byCust.get(c);
    if (!days) byCust.set(c, (days = new Map()));
    days.set(d, (days.get(d) ?? 0) + input.amount[i]!);
  }
  const customers: string[] = [];
  const rows: [number, number, number, number, number][] = [];
  for (const [c, days] of byCust) {
    const cal = [...days.keys()].filter((d) => d <= calDay).sort((a, b) => a - b);
    if (cal.length === 0) continue; // first purchase after calibration: not in the cohort
    const first = cal[0]!;
    const last = cal[cal.length - 1]!;
    const repeat = cal.slice(1);
    const zbar = repeat.length ? repeat.reduce((s, d) => s + days.get(d)!, 0) / repeat.length : 0;
    const hold = [...days.keys()].filter((d) => d > calDay && d <= obsDay).length;
    customers.push(c);
    rows.push([repeat.length, (last - first) / unitDays, (calDay - first) / unitDays, zbar, hold]);
  }
  const order = customers.map((_, i) => i).sort((a, b) => (customers[a]! < customers[b]! ? -1 : 1));
  return {
    customers: order.map((i) => customers[i]!),
    x: Float64Array.from(order, (i) => rows[i]![0]),
    tx: Float64Array.from(order, (i) => rows[i]![1]),
    T: Float64Array.from(order, (i) => rows[i]![2]),
    zbar: Float64Array.from(order, (i) => rows[i]![3]),
    holdoutX: Float64Array.from(order, (i) => rows[i]![4]),
    holdoutT: (obsDay - calDay) / unitDays,
    unitDays,
  };
}
