import { describe, expect, it } from 'vitest';
import {
  WGR_TOT_2022_07,
  WGR_VANAF_2022_07,
  addCalendarMonths,
  addDays,
  addWeeks,
  daysBetween,
  deriveDeadlines,
  viewTimeliness,
  wgrRulesOn,
  withViewTerm,
} from './deadlines.js';
import type { DecisionItem } from './types.js';

describe('date arithmetic', () => {
  it('adds days and weeks across month and year ends', () => {
    expect(addDays('2020-07-15', 17)).toBe('2020-08-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addWeeks('2020-07-15', 8)).toBe('2020-09-09');
    expect(daysBetween('2020-07-15', '2020-09-09')).toBe(56);
  });
  it('adds calendar months, clamping to the month end', () => {
    expect(addCalendarMonths('2020-09-09', 3)).toBe('2020-12-09');
    expect(addCalendarMonths('2020-08-31', 3)).toBe('2020-11-30');
    expect(addCalendarMonths('2023-11-30', 3)).toBe('2024-02-29');
    expect(addCalendarMonths('2020-10-07', 3)).toBe('2021-01-07');
  });
  it('rejects impossible dates', () => {
    expect(() => addDays('2025-06-31', 1)).toThrow(/not a date/);
  });
});

describe('Wgr deadline rules', () => {
  it('8 weeks until 30 June 2022, 12 weeks from 1 July 2022', () => {
    expect(wgrRulesOn('2020-07-15').viewTermWeeks).toBe(8);
    expect(wgrRulesOn('2022-06-30').viewTermWeeks).toBe(8);
    expect(wgrRulesOn('2022-07-01').viewTermWeeks).toBe(12);
    expect(WGR_TOT_2022_07.reactionTermMonths).toBe(3);
    expect(withViewTerm(WGR_TOT_2022_07, 12).viewTermWeeks).toBe(12);
  });

  it('derives the begroting 2026 deadlines of seed 003 (hand-computed)', () => {
    const item: DecisionItem = {
      id: 'b',
      kind: 'begroting',
      title: 'Begroting 2026',
      budgetYear: 2026,
      source: 't',
      moments: [
        { body: { kind: 'AB' }, date: '2025-04-10', label: 'concept', role: 'concept' },
        { body: { kind: 'AB' }, date: '2025-07-10', label: 'definitief', role: 'vaststelling' },
      ],
    };
    const d = Object.fromEntries(deriveDeadlines(item).map((x) => [x.key, x.date]));
    // 10-07-2025 − 84 days: −10 → 30-06, −30 → 31-05, −31 → 30-04, −13 → 17-04.
    expect(d['uiterste-verzending']).toBe('2025-04-17');
    // vóór 30-04 of Y−1 → last day 29-04-2025.
    expect(d['kadernota-naar-raden']).toBe('2025-04-29');
    // within 14 days of 10-07-2025 (24-07) and before 15-09-2025.
    expect(d['begroting-naar-gs']).toBe('2025-07-24');
    // Under the old rules: 8 weeks before → 15-05-2025; GS before 01-08 → min(24-07, 31-07).
    const old = Object.fromEntries(deriveDeadlines(item, WGR_TOT_2022_07).map((x) => [x.key, x.date]));
    expect(old['uiterste-verzending']).toBe('2025-05-15');
    expect(old['kadernota-naar-raden']).toBe('2025-04-14');
  });

  it('derives the zienswijze and reaction deadlines from the date sent', () => {
    const item: DecisionItem = {
      id: 'bw',
      kind: 'begrotingswijziging',
      title: 'x',
      source: 't',
      sentForView: { date: '2025-04-10', basis: 'aanname' },
      moments: [{ body: { kind: 'AB' }, date: '2025-07-10', label: 'besluit', role: 'vaststelling' }],
    };
    const d = deriveDeadlines(item, WGR_VANAF_2022_07);
    // 10-04-2025 + 84 days = 03-07-2025; + 3 months = 03-10-2025.
    expect(d.find((x) => x.key === 'zienswijze-termijn')).toMatchObject({ date: '2025-07-03', assumed: true });
    expect(d.find((x) => x.key === 'reactie')?.date).toBe('2025-10-03');
    // 8 weeks: 10-04-2025 + 56 = 05-06-2025.
    expect(deriveDeadlines(item, WGR_TOT_2022_07).find((x) => x.key === 'zienswijze-termijn')?.date).toBe('2025-06-05');
  });

  it('derives the provisional annual accounts deadline', () => {
    const item: DecisionItem = {
      id: 'j',
      kind: 'jaarrekening',
      title: 'Jaarrekening 2024',
      budgetYear: 2024,
      moments: [],
      source: 't',
    };
    expect(deriveDeadlines(item, WGR_VANAF_2022_07)).toEqual([
      expect.objectContaining({ key: 'voorlopige-jaarrekening', date: '2025-04-29' }),
    ]);
  });

  it('tells on time from late; the last day counts as on time', () => {
    expect(viewTimeliness('2020-09-09', '2020-09-09')).toBe('op tijd');
    expect(viewTimeliness('2020-09-10', '2020-09-09')).toBe('te laat');
    expect(viewTimeliness(null, '2020-09-09')).toBe('onbekend');
  });
});
