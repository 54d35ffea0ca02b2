import { at } from '../indexing.js';
import { describe, expect, it } from 'vitest';
import {
  SEED_004_KPI_TABLES,
  formatKpiValue,
  kpiPath,
  seed004KpiSeries,
  seed004Table1Display,
  seed004Table2Display,
  trafficLight,
  validateKpiDefinition,
  type KpiDefinition,
} from './kpi.js';

const lower = { direction: 'lower' as const, target: 40, critical: 60 };
const higher = { direction: 'higher' as const, target: 25, critical: 15 };

describe('traffic light at the boundaries', () => {
  it('lower is better (waiting time: target 40, critical 60 days)', () => {
    expect(trafficLight(lower, 39)).toBe('groen');
    expect(trafficLight(lower, 40)).toBe('groen'); // on the target: met
    expect(trafficLight(lower, 40.0001)).toBe('oranje');
    expect(trafficLight(lower, 59.9999)).toBe('oranje');
    expect(trafficLight(lower, 60)).toBe('rood'); // on the critical value: signal
    expect(trafficLight(lower, 61)).toBe('rood');
  });
  it('higher is better (share at the front: target 25%, critical 15%)', () => {
    expect(trafficLight(higher, 26)).toBe('groen');
    expect(trafficLight(higher, 25)).toBe('groen');
    expect(trafficLight(higher, 24.9999)).toBe('oranje');
    expect(trafficLight(higher, 15.0001)).toBe('oranje');
    expect(trafficLight(higher, 15)).toBe('rood');
    expect(trafficLight(higher, 12)).toBe('rood'); // seed 001: "Dat is nu 12 %"
  });
  it('target equal to the critical value: no oranje band, the boundary is groen', () => {
    expect(trafficLight({ direction: 'lower', target: 50, critical: 50 }, 50)).toBe('groen');
    expect(trafficLight({ direction: 'lower', target: 50, critical: 50 }, 50.1)).toBe('rood');
    expect(trafficLight({ direction: 'higher', target: 50, critical: 50 }, 49.9)).toBe('rood');
  });
  it('only a target, only a critical value, neither, or no value', () => {
    expect(trafficLight({ direction: 'lower', target: 40 }, 41)).toBe('oranje');
    expect(trafficLight({ direction: 'lower', target: 40 }, 40)).toBe('groen');
    expect(trafficLight({ direction: 'lower', critical: 60 }, 59)).toBe('groen');
    expect(trafficLight({ direction: 'lower', critical: 60 }, 60)).toBe('rood');
    expect(trafficLight({ direction: 'higher', critical: 15, target: null }, 15)).toBe('rood');
    expect(trafficLight({ direction: 'lower' }, 100)).toBeNull();
    expect(trafficLight(lower, null)).toBeNull();
    expect(trafficLight(lower, Number.NaN)).toBeNull();
  });
  it('rejects a target and critical value that point the wrong way', () => {
    expect(() => validateKpiDefinition({ id: 'x', direction: 'lower', target: 60, critical: 40 })).toThrow(
      /must not exceed/,
    );
    expect(() => validateKpiDefinition({ id: 'x', direction: 'higher', target: 10, critical: 20 })).toThrow(
      /must not be below/,
    );
    expect(() => validateKpiDefinition({ id: 'x', direction: 'sideways' as 'lower' })).toThrow(/direction/);
    expect(() => validateKpiDefinition({ id: 'x', direction: 'lower', target: Number.POSITIVE_INFINITY })).toThrow(
      /number/,
    );
  });
});

describe('time path', () => {
  const def: KpiDefinition = {
    id: 'w',
    name: 'Wachttijd SJT',
    unit: 'dagen',
    scope: { kind: 'municipality', municipality: '0482' },
    ...lower,
  };
  it('sorts by period, lights each point, and judges the trend by the direction', () => {
    const p = kpiPath(def, [
      { period: '2020-04-30', value: 54 },
      { period: '2019-12-31', value: 28 },
      { period: '2020-08-31', value: 61 },
    ]);
    expect(p.points.map((x) => [x.period, x.light])).toEqual([
      ['2019-12-31', 'groen'],
      ['2020-04-30', 'oranje'],
      ['2020-08-31', 'rood'],
    ]);
    expect(p.latest?.value).toBe(61);
    expect(p.trend).toBe('slechter');
    expect(
      kpiPath({ ...def, direction: 'higher', target: 60, critical: 20 }, [
        { period: '2020', value: 54 },
        { period: '2021', value: 61 },
      ]).trend,
    ).toBe('beter');
    expect(
      kpiPath(def, [
        { period: '2020', value: 5 },
        { period: '2021', value: 5 },
        { period: '2022', value: null },
      ]).trend,
    ).toBe('gelijk');
    expect(kpiPath(def, []).latest).toBeNull();
  });
  it('formats values in Dutch', () => {
    expect(formatKpiValue(63, 'dagen')).toBe('63 dagen');
    expect(formatKpiValue(12.5, '%')).toBe('12,5%');
    expect(formatKpiValue(40, '%')).toBe('40,0%'); // one decimal always: a time path of shares lines up
    expect(formatKpiValue(6.04, '%')).toBe('6,0%');
    expect(formatKpiValue(null, 'dagen')).toBe('–');
    expect(formatKpiValue(10188.8, '€')).toBe('€ 10.188,80');
  });
});

describe('seed 004 tables 1 and 2', () => {
  it("hold the report's figures", () => {
    // Tabel 1. Wachttijd en wachtlijsten STJ Alblasserdam — e.g. "31 augustus 113 dagen 54 dagen 4 cliënten" (2019)
    expect(
      SEED_004_KPI_TABLES.table1.rows.map((r) => [
        r.date,
        r.waitingDaysAlblasserdam,
        r.waitingDaysRegion,
        r.waitingList,
      ]),
    ).toEqual([
      ['2019-04-30', 63, 48, 28],
      ['2019-08-31', 113, 54, 4],
      ['2019-12-31', 28, 54, 5],
      ['2020-04-30', 54, 73, 25],
      ['2020-08-31', 61, 58, 19],
      ['2020-12-31', 44, 42, 24],
      ['2021-04-30', 50, 39, 18],
    ]);
    // Tabel 2. Doorlooptijd van jeugdhulp door SJT — 2019, 2020, 2021 × Alblasserdam, Regio
    expect(
      SEED_004_KPI_TABLES.table2.rows.map((r) => [
        r.trajectory,
        ...[2019, 2020, 2021].flatMap((y) => [r.days[y as 2019].alblasserdam, r.days[y as 2019].regio]),
      ]),
    ).toEqual([
      ['Toeleiding', 41, 72, 225, 95, 76, 76],
      ['Toegang', 41, 35, 5, 32, 64, 64],
      ['Jeugd- en gezinshulp', 605, 354, 490, 394, 341, 309],
      ['Gezinsregisseur', 444, 420, 455, 428, 536, 669],
    ]);
  });

  it('display as in the report', () => {
    const t1 = seed004Table1Display();
    expect(t1.headers).toEqual([
      'Datum',
      'Wachttijd (Alblasserdam)',
      'Wachttijd (Regionaal)',
      'Jeugdigen op de wachtlijst',
    ]);
    expect(t1.rows[0]).toEqual(['30 april 2019', '63 dagen', '48 dagen', '28 cliënten']);
    expect(t1.rows[6]).toEqual(['30 april 2021', '50 dagen', '39 dagen', '18 cliënten']);
    const t2 = seed004Table2Display();
    expect(t2.rows[2]).toEqual(['Jeugd- en gezinshulp', '605', '354', '490', '394', '341', '309']);
  });

  /**
   * The two tables as printed in the Rekenkamer-rapport Alblasserdam 2021 (preventie in het jeugdbeleid, aan de
   * raad aangeboden 25 november 2021; seed 004), section on quantitative indicators: tabel 1 "Wachttijd en
   * wachtlijsten STJ Alblasserdam" and tabel 2 "Doorlooptijd van jeugdhulp door SJT". Typed over from the
   * report, row by row, independently of the domain constants they check.
   */
  const REPORT_TABLE_1 = {
    header: 'Datum | Wachttijd (Alblasserdam) | Wachttijd (Regionaal) | Jeugdigen op de wachtlijst',
    rows: {
      '2019': [
        '30 april | 63 dagen | 48 dagen | 28 cliënten',
        '31 augustus | 113 dagen | 54 dagen | 4 cliënten',
        '31 december | 28 dagen | 54 dagen | 5 cliënten',
      ],
      '2020': [
        '30 april | 54 dagen | 73 dagen | 25 cliënten',
        '31 augustus | 61 dagen | 58 dagen | 19 cliënten',
        '31 december | 44 dagen | 42 dagen | 24 cliënten',
      ],
      '2021': ['30 april | 50 dagen | 39 dagen | 18 cliënten'],
    },
  };
  const REPORT_TABLE_2 = {
    // Gemiddelde doorlooptijd in dagen, gemeten op 30 april; columns 2019, 2020, 2021 × Alblasserdam, Regio.
    rows: [
      'Toeleiding | 41 | 72 | 225 | 95 | 76 | 76',
      'Toegang | 41 | 35 | 5 | 32 | 64 | 64',
      'Jeugd- en gezinshulp | 605 | 354 | 490 | 394 | 341 | 309',
      'Gezinsregisseur | 444 | 420 | 455 | 428 | 536 | 669',
    ],
  };
  it('match the report (Rekenkamer-rapport Alblasserdam 2021, tabel 1 en tabel 2) row by row', () => {
    const t1 = seed004Table1Display();
    expect(t1.headers.join(' | ')).toBe(REPORT_TABLE_1.header);
    for (const [year, rows] of Object.entries(REPORT_TABLE_1.rows)) {
      const group = t1.rows
        .filter((r) => at(r, 0).endsWith(year))
        .map((r) => [at(r, 0).replace(/ \d{4}$/, ''), ...r.slice(1)].join(' | '));
      expect(group).toEqual(rows);
    }
    expect(t1.rows).toHaveLength(7);
    expect(seed004Table2Display().rows.map((r) => r.join(' | '))).toEqual(REPORT_TABLE_2.rows);
    expect(SEED_004_KPI_TABLES.source).toMatch(/^Rekenkamer-rapport Alblasserdam 2021\b.*tabel 1 en tabel 2/);
  });

  it('become KPI series without targets (none were agreed), hence without lights', () => {
    const s = seed004KpiSeries();
    expect(s).toHaveLength(3 + 4 * 2);
    const wait = s.find((x) => x.definition.id === 'sjt-wachttijd' && x.definition.scope.kind === 'region')!;
    expect(wait.values.map((v) => v.value)).toEqual([48, 54, 54, 73, 58, 42, 39]);
    const jgh = s.find(
      (x) => x.definition.id === 'sjt-doorlooptijd-jeugd-en-gezinshulp' && x.definition.scope.kind === 'municipality',
    )!;
    expect(jgh.values).toEqual([
      { period: '2019-04-30', value: 605 },
      { period: '2020-04-30', value: 490 },
      { period: '2021-04-30', value: 341 },
    ]);
    const path = kpiPath(jgh.definition, jgh.values);
    expect(path.points.every((p) => p.light === null)).toBe(true);
    expect(path.trend).toBe('beter');
  });
});
