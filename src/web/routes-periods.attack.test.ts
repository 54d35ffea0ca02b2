/**
 * The attacker on Cliëntroutes' waiting times (request JW315 → start of care) as a council member sees them.
 * A hand-built region where one child's waiting time must stay hidden:
 * 1. Overlapping periods. Requests of January–June and January–July differ by one request (July's); their
 *    medians differ by it, and the median of January–July is that child's waiting time.
 * 2. A percentile of a small group. Over 11 allocations the 90th percentile (nearest rank 10) is the second
 *    longest wait — one child's exact waiting time — and the median (rank 6) another's.
 * Expected figures are worked out by hand from the fixture below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../domain/month.js';
import { testBsn } from '../app/testing/ledger.js';
import { importInto, jw301Xml, jw315Xml, tempDir, writeFile } from '../ingest/testing/fixtures.js';
import { councilApp, type CouncilApp } from './testing.js';

/*
 * Alblasserdam (0482), one request (JW315, dated as below) per child, each leading to one allocation (JW301,
 * matched on ReferentieAanbieder) that starts the given number of days after the request:
 * - 2024: 11 requests on 04-03-2024, waiting 10, 11, …, 18 (9 children), 47 and 200 days.
 *   Sorted: 10…18, 47, 200. Median = rank ⌈11 × 0,5⌉ = 6 → 15 days; 90th percentile = rank ⌈11 × 0,9⌉ =
 *   10 → 47 days (the second longest wait, one child's). Mean 373 / 11 = 33,9 → 34 whole days.
 * - 2025, January–June: 21 requests (on the 3rd of January … June in turn), waiting 10 … 19 and 100 … 110.
 *   Median = rank ⌈21 × 0,5⌉ = 11 → 100 days.
 * - 2025, July: one request on 07-07-2025, waiting 61 days — the child whose waiting time must stay hidden.
 *   January–July: 22 requests, sorted 10 … 19, 61, 100 … 110; median = rank 11 → 61 days: the July child's.
 * - 2025, August–December: 10 requests (on the 3rd, August … December in turn), waiting 120 … 129.
 *   The whole year 2025: 32 requests; median = rank 16 = position 16 of 10 … 19 (1–10), 61 (11),
 *   100 … 110 (12–22) → 104 days.
 * One declaration line (CSV) makes the page show figures at all.
 */
const M = '0482';
const days = (n: number) => `${n.toLocaleString('nl-NL')} dagen`;
const JULY_CHILD_DAYS = 61;

interface Request {
  date: IsoDate;
  wait: number;
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const REQUESTS: Request[] = [
  ...[...range(10, 18), 47, 200].map((wait) => ({ date: '2024-03-04', wait })),
  ...[...range(10, 19), ...range(100, 110)].map((wait, i) => ({ date: `2025-0${1 + (i % 6)}-03`, wait })),
  { date: '2025-07-07', wait: JULY_CHILD_DAYS },
  ...range(120, 129).map((wait, i) => ({ date: `2025-${String(8 + (i % 5)).padStart(2, '0')}-03`, wait })),
];

/** The waiting-time card (value and the line under it) as the page shows it. */
function waitingCard(body: string): string {
  const m = /Van aanvraag tot start zorg<\/div><div class="v">(.*?)<\/div><div class="s">(.*?)<\/div>/s.exec(body);
  if (!m) throw new Error(`no waiting-time card in: ${body.slice(0, 300)}`);
  return `${m[1] ?? ''} | ${m[2] ?? ''}`;
}

describe('Cliëntroutes: one child’s waiting time (hand case)', () => {
  let c: CouncilApp;
  beforeAll(async () => {
    c = await councilApp([{ municipality: M, month: '2025-01', amountCents: 10_000, client: 900 }]);
    const dir = tempDir();
    REQUESTS.forEach((r, i) => {
      const bsn = testBsn(i + 1);
      const ref = `PR-${i + 1}`;
      writeFile(
        dir,
        `jw315-${i + 1}.xml`,
        jw315Xml({ municipality: M, bsn, providerReference: ref, referrer: '02', start: r.date }),
      );
      writeFile(
        dir,
        `jw301-${i + 1}.xml`,
        jw301Xml({
          municipality: M,
          bsn,
          allocation: String(5000 + i),
          providerReference: ref,
          start: addDays(r.date, r.wait),
          date: r.date,
        }),
      );
    });
    const s = await importInto(
      c.w,
      REQUESTS.flatMap((_, i) => [`${dir}/jw315-${i + 1}.xml`, `${dir}/jw301-${i + 1}.xml`]),
    );
    if (s.rejected) throw new Error(`fixture import failed: ${JSON.stringify(s.outcomes)}`);
  }, 120_000);
  afterAll(async () => {
    await c.close();
  });

  it('January–June against January–July gives back the July child’s waiting time: councils get whole years only', async () => {
    // What is there to find: the analyst's medians, by hand above.
    const juneView = (await c.analyst.settled(`/gemeente/${M}/routes?from=2025-01&to=2025-06`)).body;
    expect(waitingCard(juneView).startsWith(days(100))).toBe(true);
    const julyView = (await c.analyst.settled(`/gemeente/${M}/routes?from=2025-01&to=2025-07`)).body;
    expect(waitingCard(julyView).startsWith(days(JULY_CHILD_DAYS))).toBe(true);
    // The council: a month range is refused, in every spelling; the July child's days are nowhere.
    for (const q of ['from=2025-01&to=2025-06', 'from=2025-01&to=2025-07', 'year=2025&from=2025-01&to=2025-07']) {
      const r = await c.raad.settled(`/gemeente/${M}/routes?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.body, q).toContain('heel kalenderjaar');
      expect(r.body, q).not.toContain(days(JULY_CHILD_DAYS));
    }
    // The whole year is still shown: 32 requests, median 104 days (10 on either side of rank 16).
    const year = await c.raad.settled(`/gemeente/${M}/routes?year=2025`);
    expect(year.statusCode).toBe(200);
    expect(waitingCard(year.body).startsWith(days(104))).toBe(true);
    expect(year.body).not.toContain(days(JULY_CHILD_DAYS));
    const explicitYear = await c.raad.settled(`/gemeente/${M}/routes?from=2025-01&to=2025-12`);
    expect(explicitYear.statusCode).toBe(200);
  }, 120_000);

  it('the median and 90th percentile of 11 allocations are single children’s waiting times: not shown to councils', async () => {
    const analyst = waitingCard((await c.analyst.settled(`/gemeente/${M}/routes?year=2024`)).body);
    expect(analyst.startsWith(days(15))).toBe(true);
    expect(analyst).toContain(`90% binnen ${days(47)}`);
    const raad = waitingCard((await c.raad.settled(`/gemeente/${M}/routes?year=2024`)).body);
    expect(raad).not.toContain(days(15));
    expect(raad).not.toContain(days(47));
    // What a council does see: the mean in whole days (373 / 11 = 33,9 → 34) on 11 → "10" allocations.
    expect(raad).toBe(
      `${days(34)} | gemiddelde van 10 toewijzingen na een aanvraag; mediaan en 90%-grens pas vanaf 21 en 100 toewijzingen`,
    );
  }, 120_000);
});
