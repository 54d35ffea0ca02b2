import { at } from '../indexing.js';
import { describe, expect, it } from 'vitest';
import { calendarEntries, icsEvents, mergeCalendars, undatedItems } from './calendar.js';
import { calendarToIcs, icsAvailable } from './ics.js';
import { SEED002_CASE } from './seed002.js';
import { SEED003_CALENDAR } from './seed003.js';

describe('planning calendar (seed 003)', () => {
  const e2025 = calendarEntries(SEED003_CALENDAR, { year: 2025 });

  it('lists the 2025 moments of seed 003 in date order, with the derived Wgr deadlines', () => {
    const rows = e2025.map((e) => `${e.date} ${e.derived ? '*' : ' '} ${e.label}`);
    expect(rows).toEqual([
      '2025-04-03   Presentatie DG&J aan de raad',
      '2025-04-10   Concept-begroting 2026 in het AB',
      '2025-04-17   Ambtelijke overleggen',
      '2025-04-17 * Uiterste verzending ontwerp naar raden',
      '2025-04-29 * Uitgangspunten (kadernota) begroting 2026 naar raden',
      '2025-05-06   Adviesgroep Eigenaren en Opdrachtgevers',
      '2025-05-19   Bestuursopdracht in het DB',
      '2025-06-05   Bestuursopdracht in het AB',
      '2025-07-10   Definitieve begroting 2026 in het AB',
      '2025-07-24 * Vastgestelde begroting 2026 naar Gedeputeerde Staten',
    ]);
    expect(e2025.find((e) => e.label === 'Ambtelijke overleggen')?.bound).toBe('voor');
    expect(e2025.find((e) => e.derivedKey === 'uiterste-verzending')?.rule).toMatch(
      /12 weken vóór vaststelling door het AB op 10-07-2025/,
    );
  });

  it('keeps Kadernota 2026 in December 2024 and lists the undated Buraps', () => {
    expect(calendarEntries(SEED003_CALENDAR, { year: 2024 }).map((e) => e.date)).toEqual(['2024-09-26', '2024-12-19']);
    expect(undatedItems(SEED003_CALENDAR).map((i) => i.kind)).toEqual(['burap1', 'burap2']);
  });

  it('includes the seed 002 case for 2020 with its term and reaction deadline', () => {
    const cal = mergeCalendars('all', 'alles', [SEED003_CALENDAR], [SEED002_CASE]);
    expect(calendarEntries(cal, { year: 2020 }).map((e) => [e.date, e.label])).toEqual([
      ['2020-07-15', 'Verzonden aan de raden voor zienswijze'],
      ['2020-09-09', 'Einde zienswijzetermijn raden'],
      ['2020-09-17', 'Uiterste verzending ontwerp naar raden'],
      ['2020-11-12', 'Besluit in het AB'],
      ['2020-12-09', 'Reactie DB op zienswijzen uiterlijk'],
    ]);
  });

  it('maps entries to all-day iCalendar events with stable UIDs and a given timestamp', () => {
    const ev = icsEvents(e2025, { calName: 'Grip', stamp: '2025-01-01T00:00:00Z' });
    expect(ev).toHaveLength(e2025.length);
    expect(ev[1]).toMatchObject({
      title: 'Concept-begroting 2026 in het AB (AB DG&J)',
      start: [2025, 4, 10],
      end: [2025, 4, 11],
      uid: 'begroting-2026-concept-begroting-2026-in-het-ab-20250410@grip.jeugdhulp',
      timestamp: Date.UTC(2025, 0, 1),
    });
    expect(new Set(ev.map((e) => e.uid)).size).toBe(ev.length);
    expect(at(ev, 2).title).toBe(
      'Vóór: Ambtelijke overleggen (Ambtelijke overleggen Publieke Gezondheid, Onderwijs, Jeugd, OGGZ en Toezicht)',
    );
  });
});

describe('iCalendar text (npm package ics)', () => {
  it('the ics package is installed', async () => {
    expect(await icsAvailable()).toBe(true);
  });
  it('writes a VCALENDAR with all-day events, the same text twice', async () => {
    const entries = calendarEntries(SEED003_CALENDAR, { year: 2025 });
    const a = await calendarToIcs(entries, { calName: 'DG&J 2025', stamp: '2025-01-01T00:00:00Z' });
    expect(a).toMatch(/^BEGIN:VCALENDAR/);
    expect(a).toContain('DTSTART;VALUE=DATE:20250410');
    expect(a.match(/BEGIN:VEVENT/g)).toHaveLength(entries.length);
    expect(await calendarToIcs(entries, { calName: 'DG&J 2025', stamp: '2025-01-01T00:00:00Z' })).toBe(a);
  });
});
