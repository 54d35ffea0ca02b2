/**
 * API latency under load: the dashboard's pages (every menu page and the municipality's sub-pages) and JSON
 * API on a warehouse, 20 concurrent clients (autocannon), p50/p95/p99 per endpoint, with /api/health (no
 * warehouse work) as the baseline of the same run. First the background warm-up that `grip serve` runs after
 * an import is timed; then the first request of each URL (what a visitor meets after the warm-up); the
 * measured runs are warm.
 * `db` is a DuckDB file or a postgres:// URL (openWarehouse picks the engine).
 */
import autocannon from 'autocannon';
import { at } from '../src/domain/indexing.js';
import { openWarehouse } from '../src/warehouse/open.js';
import { buildApp } from '../src/web/server.js';
import { addTestUser, login } from '../src/web/testing.js';

export async function benchApi(
  db: string,
  opts: { seconds?: number; connections?: number } = {},
): Promise<[string, string, string][]> {
  const w = await openWarehouse(db);
  const rows: [string, string, string][] = [];
  try {
    const name = `bench-${process.pid}`;
    if (!(await w.getUser(name))) await addTestUser(w, name, 'regio');
    const app = buildApp({ warehouse: w, warmUp: true });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const tw = Date.now();
    await app.gripData.warm();
    rows.push([
      'background warm-up after an import',
      `${((Date.now() - tw) / 1000).toFixed(2)} s`,
      'overview, kostendrijvers, routes, casussen, datakwaliteit (region and each municipality), before any visitor',
    ]);
    const addr = app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const s = await login(app, name);
    const st = await w.status();
    const year = Number((st.lastMonth ?? '2025').slice(0, 4));
    const urls: [string, string][] = [
      ['/api/health', 'baseline (no warehouse work)'],
      [`/api/costs?by=municipality,month&year=${year}`, 'API: costs'],
      [`/api/forecast?year=${year}`, 'API: forecast'],
      [`/?year=${year}`, 'page: overview'],
      [`/gemeente/0482?year=${year}`, 'page: municipality'],
      [`/gemeente/0482/uitsplitsing?year=${year}&category=45`, 'page: drill-down'],
      [`/vergelijken?year=${year}`, 'page: vergelijken'],
      ['/kostendrijvers', 'page: kostendrijvers'],
      ['/datakwaliteit', 'page: datakwaliteit'],
      ['/datakwaliteit?municipality=0482', 'page: datakwaliteit (gemeente)'],
      [`/gemeente/0482/routes?year=${year}`, 'page: routes'],
      [`/gemeente/0482/casussen?year=${year}`, 'page: casussen'],
      [`/begroting?year=${year}`, 'page: begroting'],
      ['/maatregelen', 'page: maatregelen'],
      ['/kpi', "page: KPI's"],
      ['/verdeling', 'page: verdeling'],
      ['/scenario', 'page: scenario'],
      ['/besluitvorming', 'page: besluitvorming'],
      ['/corona', 'page: corona'],
      ['/gemeente/0482/a4', 'page: A4 on screen'],
    ];
    const t0 = Date.now();
    const cold: string[] = [];
    for (const [u, label] of urls) {
      // warm the caches (forecast, back-test; the warehouse's per-data-version aggregates)
      const t = Date.now();
      const res = await s.get(u);
      cold.push(
        `${label.replace(/^(API|page): /, '')} ${Date.now() - t}${res.statusCode === 200 ? '' : ` (HTTP ${res.statusCode})`}`,
      );
    }
    rows.push([
      'first view of every URL after the warm-up',
      `${((Date.now() - t0) / 1000).toFixed(2)} s`,
      `first request per URL, ms: ${cold.slice(1).join(', ')}`,
    ]);
    // One visitor at a time (what "a page answers within 1 s" means): 10 views of each URL in a row.
    let baseSingle = 0;
    for (const [u, label] of urls) {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        await s.get(u);
        times.push(performance.now() - t);
      }
      times.sort((x, y) => x - y);
      const p95 = at(times, Math.min(times.length - 1, Math.floor(0.95 * times.length)));
      if (u === '/api/health') baseSingle = p95;
      rows.push([
        `${label} one visitor p95/max`,
        `${p95.toFixed(0)} / ${at(times, times.length - 1).toFixed(0)} ms`,
        u === '/api/health'
          ? '10 views in a row'
          : `ratio to baseline ${(p95 / Math.max(1, baseSingle)).toFixed(1)}${p95 > 1000 ? ' — over 1 s!' : ''}`,
      ]);
    }
    let baseP95 = 0;
    for (const [u, label] of urls) {
      const times: number[] = [];
      let non2xx = 0;
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const inst = autocannon(
          {
            url: base + u,
            connections: opts.connections ?? 20,
            duration: opts.seconds ?? 5,
            headers: { cookie: s.cookie },
          },
          (err: unknown, res) =>
            err ? reject(err instanceof Error ? err : new Error('autocannon failed', { cause: err })) : resolve(res),
        );
        inst.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
          times.push(ms);
          if (status < 200 || status > 299) non2xx++;
        });
      });
      times.sort((x, y) => x - y);
      const q = (f: number) => times[Math.min(times.length - 1, Math.floor(f * times.length))] ?? NaN;
      const [p50, p95, p99] = [q(0.5), q(0.95), q(0.99)];
      if (u === '/api/health') baseP95 = p95;
      rows.push([
        `${label} p50/p95/p99`,
        `${p50.toFixed(0)} / ${p95.toFixed(0)} / ${p99.toFixed(0)} ms`,
        `${Math.round(result.requests.average)} req/s, ${times.length} requests${non2xx ? `, ${non2xx} non-2xx!` : ''}${u !== '/api/health' ? `, p95 ratio to baseline ${(p95 / Math.max(1, baseP95)).toFixed(1)} (20 visitors at once)` : ''}`,
      ]);
    }
    await app.close();
  } finally {
    await w.close();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const db = process.argv[2];
  if (!db) throw new Error('usage: tsx bench/api.ts WAREHOUSE.duckdb | postgres://…');
  for (const [a, b, c] of await benchApi(db)) process.stdout.write(`${a.padEnd(48)} ${b.padStart(24)}  ${c}\n`);
}
