/**
 * The demo's steering data, derived from a generated region's truth (manifest.json), so budgets, amendments,
 * local provisions, measures, savings targets and KPI figures fit the generated costs. Every value is an
 * example and says so ("VOORBEELD" in its reference, description or source). Deterministic per seed.
 *
 * Budgets follow the cycle the council papers describe: the primitive budget of year Y is set in November of
 * Y−1 from the expected realisation of Y−1 plus indexation (and an assumed growth in volume); during Y the
 * first and second bestuursrapportage (Burap, July and November) bring an amendment (begrotingswijziging)
 * that adds part of the expected overrun — not all of it, to keep pressure on the measures (as the board did
 * with the 2020 amendment: € 11,6 mln expected, € 6,6 mln budgeted). Only what was decided by the cut-off
 * date is written. The local provisions ("voorkant") are the contribution to the youth teams, about 12% of
 * the youth-care budget (as Alblasserdam's council letter on moving care to the front puts it).
 */
import { writeCsv } from '../app/csv.js';
import { cbsMunicipality } from '../domain/codes/index.js';
import { SEED_004_KPI_TABLES } from '../domain/steering/kpi.js';
import { prng, type Manifest } from './index.js';

export interface DemoSteering {
  /** `grip budget import` */
  budgets: string;
  /** `grip budget import-reservations` */
  reservations: string;
  /** `grip budget import-voorkant` */
  localProvisions: string;
  /** `grip measures import` */
  measures: string;
  /** `grip measures targets` */
  targets: string;
  /** `grip kpi import` */
  kpis: string;
}

/** € amounts rounded to whole thousands (budgets are decided in round figures). */
const thousands = (cents: number) => Math.round(cents / 100_000) * 1_000;
const pct = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')}%`;
const euros = (e: number) => `€ ${Math.round(e).toLocaleString('nl-NL')}`;

/** The municipality whose savings target and measures the council papers describe (Alblasserdam). */
const TARGET_MUNICIPALITY = '0482';
const TARGET_EUROS = 200_000;

export function demoSteering(m: Manifest): DemoSteering {
  const r = prng(m.options.seed * 31_337 + 5);
  const [y0, y1] = m.options.years;
  const cutoff = m.options.cutoff;
  const munis = Object.keys(m.truth).sort();
  const years = Array.from({ length: y1 - y0 + 1 }, (_, i) => y0 + i);
  const truth = (muni: string, y: number) => m.truth[muni]?.years[String(y)] ?? 0;
  // Indexation per year (one for the region, as the joint arrangement sets it) and an assumed volume growth.
  const index = new Map(years.map((y) => [y, 0.022 + Math.round(r() * 20) / 1_000]));
  const volume = 0.04;

  const budgetRows: (string | number)[][] = [];
  // Reservations come from their own stream, so the other example figures stay what they were.
  const rr = prng(m.options.seed * 31_337 + 11);
  const reservationRows: (string | number)[][] = [];
  const provisionRows: (string | number)[][] = [];
  for (const y of years) {
    const idx = index.get(y)!;
    const setOn = `${y - 1}-11-12`;
    const burap1 = `${y}-07-09`;
    const burap2 = `${y}-11-12`;
    for (const muni of munis) {
      const real = truth(muni, y);
      if (real <= 0) continue;
      // The expected realisation of last year (the first year: this year's level without a year of growth).
      const base = y > y0 ? truth(muni, y - 1) : real / 1.11;
      const spread = (r() - 0.5) * 0.12; // −6% … +6%: some municipalities budget tight, some generously
      const withTarget = muni === TARGET_MUNICIPALITY && y >= y1 - 1;
      const primitive = thousands(base * (1 + idx) * (1 + volume + spread)) - (withTarget ? TARGET_EUROS : 0);
      const name = cbsMunicipality(muni)?.name ?? muni;
      budgetRows.push([
        `GM${muni}`,
        y,
        'primitief',
        setOn,
        primitive,
        `VOORBEELD Begroting ${y}`,
        '',
        `VOORBEELD: verwachte realisatie ${y - 1} + indexatie ${pct(idx)} + volumegroei ${pct(volume)}${withTarget ? ` − taakstelling ${euros(TARGET_EUROS)}` : ''} (${name})`,
      ]);
      provisionRows.push([
        `GM${muni}`,
        y,
        'Stichting Jeugdteams',
        setOn,
        thousands((primitive * 100 * 0.12) / 0.88),
        'VOORBEELD: bijdrage aan de jeugdteams (voorkant), ongeveer 12% van het jeugdhulpbudget',
      ]);
      // Amendments at the Buraps: part of the gap between the expected realisation and the budget so far.
      let budget = primitive * 100;
      for (const [date, share, label] of [
        [burap1, 0.55, '1e'],
        [burap2, 0.5, '2e'],
      ] as const) {
        if (date > cutoff) continue;
        const gap = real - budget;
        const amount = Math.abs(gap) < 0.02 * real ? 0 : Math.round((gap * share) / 1_000_000) * 10_000;
        if (amount) {
          budget += amount * 100;
          budgetRows.push([
            `GM${muni}`,
            y,
            'wijziging',
            date,
            amount,
            `VOORBEELD ${label} bestuursrapportage ${y}`,
            '',
            amount > 0
              ? `VOORBEELD: begrotingswijziging, verwachte overschrijding deels bijgeraamd (${Math.round(share * 100)}%; de rest blijft taakstellend)`
              : `VOORBEELD: begrotingswijziging, verwachte onderuitputting deels afgeraamd (${Math.round(share * 100)}%)`,
          ]);
        }
        // At its own first Burap the municipality reserves what it then expects of the rest (85%–105% of it).
        const rest = real - budget;
        if (label === '1e' && rest > 0) {
          const reserved = Math.round((rest * (0.85 + rr() * 0.2)) / 1_000_000) * 10_000;
          if (reserved > 0)
            reservationRows.push([
              `GM${muni}`,
              y,
              date,
              reserved,
              `VOORBEELD 1e Burap ${y} ${name}`,
              'VOORBEELD: reservering voor het aandeel in het tekort van de regio',
            ]);
        }
      }
    }
  }

  // Savings targets: Alblasserdam's € 200.000 in the last two years (as in its 2025 primitive budget).
  const targetRows = [y1 - 1, y1]
    .filter((y) => y >= y0)
    .map((y) => [
      `GM${TARGET_MUNICIPALITY}`,
      y,
      TARGET_EUROS,
      `VOORBEELD: taakstelling ${euros(TARGET_EUROS)} in de primaire begroting ${y}`,
    ]);

  // Measures, shaped like the region's measures list: a trekker (owner) per measure, mostly municipalities.
  const regionCosts = munis.reduce((s, mu) => s + truth(mu, y1), 0) / 100;
  const mRows: (string | number | null)[][] = [];
  const savingsYears = [y1 - 1, y1, y1 + 1, y1 + 2];
  const measure = (
    id: string,
    title: string,
    owner: string,
    status: string,
    what: string,
    start: string,
    risk: number,
    municipalities: string,
    categories: string,
    share: number,
    oneOff: number,
    structural: number,
    source: string,
  ) =>
    mRows.push([
      id,
      title,
      owner,
      status,
      what,
      start,
      '',
      risk,
      municipalities,
      categories,
      '',
      '',
      oneOff,
      structural,
      ...savingsYears.map((y) =>
        y < Number(start.slice(0, 4))
          ? 0
          : thousands(regionCosts * share * 100 * (y === Number(start.slice(0, 4)) ? 0.5 : 1)),
      ),
      `VOORBEELD: ${source}; bedragen zijn een voorbeeld`,
    ]);
  const muniShare = munis.length ? truth(TARGET_MUNICIPALITY, y1) / munis.reduce((s, mu) => s + truth(mu, y1), 0) : 0;
  measure(
    'M01',
    'Specifiek beschikken',
    'GM0482',
    'in uitvoering',
    'Toewijzen op product en omvang in plaats van op categorie (project onder regie van de gemeenten)',
    `${y1 - 1}-01`,
    40,
    '0482',
    '',
    muniShare * 0.02,
    25_000,
    10_000,
    'maatregel uit de presentatie DG&J aan de raad van Alblasserdam (april 2025)',
  );
  measure(
    'M02',
    'Sterke toegang en voorliggende voorzieningen',
    'GM0482',
    'in uitvoering',
    'Beperken instroom door de voorkant en de toegang',
    `${y1 - 1}-01`,
    50,
    '0482',
    '',
    muniShare * 0.025,
    0,
    0,
    'maatregel uit de presentatie DG&J aan de raad van Alblasserdam (april 2025)',
  );
  measure(
    'M03',
    'Casusregie op afschaling',
    'SJT',
    'gepland',
    'Kritisch kijken naar de omvang van de toegekende hulp en afschalen waar het kan',
    `${y1}-04`,
    50,
    '0482',
    '45',
    muniShare * 0.01,
    0,
    0,
    'maatregel uit de presentatie DG&J aan de raad van Alblasserdam (april 2025)',
  );
  measure(
    'M04',
    'Contractmanagement',
    'SOJ',
    'in uitvoering',
    'Naleving van contractvoorwaarden en controle op de rechtmatigheid van declaraties',
    `${y1 - 1}-01`,
    25,
    '',
    '',
    0.004,
    0,
    150_000,
    'regionale maatregel (Serviceorganisatie Jeugd)',
  );
  measure(
    'M05',
    'Analyse kostbare cliënten en verwijzersroutes',
    'SOJ',
    'gepland',
    'Per gemeente de meest complexe en kostbare cliënten en de routes van verwijzers analyseren en lokale sturingsafspraken maken',
    `${y1}-01`,
    60,
    '',
    '43 44',
    0.003,
    40_000,
    0,
    'aanbod van de Serviceorganisatie uit de nota van reactie op de zienswijzen (2020)',
  );
  measure(
    'M06',
    'Jeugdhulp naar de voorkant',
    'GM0482',
    'in uitvoering',
    'Individuele begeleiding en opvoedhulp omzetten naar algemene voorzieningen bij de jeugdteams (met 10% korting)',
    `${y1 - 1}-01`,
    35,
    '0482',
    '45',
    muniShare * 0.015,
    19_000,
    0,
    'maatregel uit de raadsinformatiebrief van Alblasserdam over jeugdhulp naar de voorkant',
  );
  measure(
    'M07',
    'Budgetmaxima bij afschaffing van de Nee-tenzij-regeling',
    'SOJ',
    'gestopt',
    'Budgetplafonds per gemeente; op verzoek van de gemeenten niet doorgevoerd',
    `${y1 - 1}-01`,
    100,
    '',
    '',
    0,
    0,
    0,
    'maatregel uit de begrotingswijziging 2020 die niet is doorgevoerd',
  );

  // KPI figures: the SJT waiting time (Alblasserdam and region) and waiting list, three times a year.
  const kpiRows: (string | number)[][] = [];
  const def =
    'VOORBEELD: waarden na 2021 en streef- en signaalwaarde zijn een voorbeeld; t/m april 2021 uit het Rekenkamer-rapport 2021, tabel 1';
  let wait = 46;
  let waitRegion = 41;
  let list = 16;
  let first = true;
  for (let y = Math.max(y0, 2021); y <= y1; y++) {
    for (const md of ['04-30', '08-31', '12-31']) {
      const period = `${y}-${md}`;
      if (period <= '2021-04-30' || period > cutoff) continue;
      wait = Math.max(20, Math.round(wait + (r() - 0.5) * 14));
      waitRegion = Math.max(20, Math.round(waitRegion + (r() - 0.5) * 8));
      list = Math.max(0, Math.round(list + (r() - 0.5) * 8));
      const d = first ? ['Wachttijd SJT', 'dagen', 'lower', 42, 60, def] : ['', '', '', '', '', ''];
      kpiRows.push(['sjt-wachttijd', 'GM0482', period, wait, ...d]);
      kpiRows.push(['sjt-wachttijd', 'regio', period, waitRegion, ...d]);
      kpiRows.push([
        'sjt-wachtlijst',
        'GM0482',
        period,
        list,
        ...(first ? ['Jeugdigen op de wachtlijst SJT', 'cliënten', 'lower', 15, 25, def] : ['', '', '', '', '', '']),
      ]);
      first = false;
    }
  }

  // Throughput times per trajectory (measured on 30 April each year), after the report's 2021 figures.
  const t2 = SEED_004_KPI_TABLES.table2;
  for (const row of t2.rows) {
    const id = `sjt-doorlooptijd-${row.trajectory
      .toLowerCase()
      .replace(/[^a-z]+/g, '-')
      .replace(/^-|-$/g, '')}`;
    for (const [scope, side] of [
      ['GM0482', 'alblasserdam'],
      ['regio', 'regio'],
    ] as const) {
      let days = row.days[2021][side];
      let firstRow = true;
      for (let y = Math.max(y0, 2022); y <= y1; y++) {
        const period = `${y}-${t2.measuredOn}`;
        if (period > cutoff) continue;
        days = Math.max(1, Math.round(days * (0.85 + r() * 0.3)));
        const d = firstRow
          ? [
              `Doorlooptijd SJT: ${row.trajectory}`,
              'dagen',
              'lower',
              '',
              '',
              'VOORBEELD: waarden na 2021 zijn een voorbeeld; 2019–2021 uit het Rekenkamer-rapport 2021, tabel 2',
            ]
          : ['', '', '', '', '', ''];
        kpiRows.push([id, scope, period, days, ...d]);
        firstRow = false;
      }
    }
  }

  return {
    budgets: writeCsv(
      ['municipality', 'year', 'kind', 'date', 'amountEuros', 'decisionReference', 'categoryGroup', 'description'],
      budgetRows,
    ),
    reservations: writeCsv(
      ['municipality', 'year', 'date', 'amountEuros', 'reference', 'description'],
      reservationRows,
    ),
    localProvisions: writeCsv(
      ['municipality', 'year', 'provision', 'date', 'amountEuros', 'description'],
      provisionRows,
    ),
    measures: writeCsv(
      [
        'id',
        'title',
        'owner',
        'status',
        'what',
        'start',
        'end',
        'riskPercent',
        'municipalities',
        'categories',
        'products',
        'provider',
        'oneOffCostsEuros',
        'structuralCostsEuros',
        ...savingsYears.map((y) => `savings${y}Euros`),
        'description',
      ],
      mRows,
    ),
    targets: writeCsv(['municipality', 'year', 'amountEuros', 'description'], targetRows),
    kpis: writeCsv(
      ['kpi', 'municipality', 'period', 'value', 'name', 'unit', 'direction', 'target', 'critical', 'source'],
      kpiRows,
    ),
  };
}
