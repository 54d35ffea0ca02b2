/**
 * iCalendar (.ics) text for calendar entries, written by the `ics` npm package (never by hand).
 *
 * The package is loaded on first use so the rest of Grip runs without it; `icsAvailable()` tells
 * whether it is installed. Once `ics` is a dependency this can become a static
 * `import { createEvents } from 'ics'` (it ships its own types).
 */
import { at } from '../indexing.js';
import { GripError } from '../errors.js';
import { icsEvents, type CalendarEntry } from './calendar.js';

interface IcsModule {
  createEvents(
    events: object[],
    header?: { productId?: string; method?: string; calName?: string },
  ): { error?: Error | null; value?: string };
}

const ICS_PACKAGE = 'ics';

async function loadIcs(): Promise<IcsModule | null> {
  try {
    const spec: string = ICS_PACKAGE;
    const mod = (await import(spec)) as Partial<IcsModule> & { default?: Partial<IcsModule> };
    const createEvents = mod.createEvents ?? mod.default?.createEvents;
    return createEvents ? { createEvents } : null;
  } catch {
    return null;
  }
}

export async function icsAvailable(): Promise<boolean> {
  return (await loadIcs()) !== null;
}

/** The .ics text of the entries (all-day events). Same entries and stamp → same text. */
export async function calendarToIcs(
  entries: CalendarEntry[],
  opts: { calName: string; stamp: string },
): Promise<string> {
  const ics = await loadIcs();
  if (!ics)
    throw new GripError('ICS_UNAVAILABLE', 'iCalendar export needs the npm package "ics" (npm install ics@3.12.0)');
  if (entries.length === 0) throw new GripError('ICS_EMPTY', 'no calendar entries to export');
  const events = icsEvents(entries, opts);
  const { error, value } = ics.createEvents(events, {
    productId: at(events, 0).productId,
    method: 'PUBLISH',
    calName: opts.calName,
  });
  if (error || !value) throw new GripError('ICS_FAILED', `iCalendar export failed: ${error?.message ?? 'no output'}`);
  return value;
}
