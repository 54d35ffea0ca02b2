/** Forecast + back-test for every municipality × past years, on a warehouse, timed. */
import { regionBacktest, regionForecast } from '../src/app/forecast.js';
import { openWarehouse } from '../src/warehouse/open.js';

export async function benchForecast(db: string): Promise<[string, string, string][]> {
  const w = await openWarehouse(db);
  try {
    const st = await w.status();
    const lastYear = Number(st.lastMonth!.slice(0, 4));
    const firstYear = Number(st.firstMonth!.slice(0, 4));
    const t0 = process.hrtime.bigint();
    const f = await regionForecast(w, lastYear);
    const t1 = process.hrtime.bigint();
    const years = Array.from({ length: lastYear - firstYear }, (_, i) => firstYear + 1 + i).filter((y) => y < lastYear);
    const bt = await regionBacktest(w, years);
    const t2 = process.hrtime.bigint();
    const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
    const cases = bt.reduce((s, m) => s + m.report.cases.length, 0);
    const agg = (month: number, k: 'gripMape' | 'naiveMape' | 'coverage') => {
      const rows = bt.map((m) => m.report.byAsOfMonth.find((r) => r.asOfMonth === month)!).filter(Boolean);
      return rows.reduce((s, r) => s + r[k], 0) / Math.max(1, rows.length);
    };
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    return [
      ['forecast, all municipalities', `${ms(t0, t1).toFixed(0)} ms`, `${f.municipalities.length} municipalities, year ${lastYear}`],
      ['forecast + back-test', `${(ms(t0, t2) / 1000).toFixed(2)} s`, `${cases} cases over ${years.join(', ')} (target < 5 s)`],
      ['back-test MAPE at month 3', `${pct(agg(3, 'gripMape'))}`, `naive ${pct(agg(3, 'naiveMape'))}, ratio ${(agg(3, 'gripMape') / agg(3, 'naiveMape')).toFixed(2)} (target ≤ 0.5)`],
      ['back-test MAPE at month 6', `${pct(agg(6, 'gripMape'))}`, `naive ${pct(agg(6, 'naiveMape'))}, ratio ${(agg(6, 'gripMape') / agg(6, 'naiveMape')).toFixed(2)} (target ≤ 0.33)`],
      ['80% interval coverage', `${pct(bt.reduce((s, m) => s + m.report.coverage, 0) / Math.max(1, bt.length))}`, '(target 75–85%)'],
    ];
  } finally {
    await w.close();
  }
}
