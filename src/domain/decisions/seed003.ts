/**
 * The planning calendar from seed 003: the DG&J presentation to the council of Alblasserdam of 3 April 2025 (slides flattened to text).
 *
 * Dates carried over as the slides give them. Stated openly where Grip had to read more into it:
 * - "Kadernota 2026 AB 19 december" has no year; the slide's timeline puts it before the concept
 *   begroting 2026 of April 2025, so 19-12-2024 (a Thursday, like every other AB date here).
 * - Burap I and II appear on the timeline without a readable date; they are listed without moments.
 * - Month-only items ("juni 2025", "vóór zomer 2025") are not moments; see SEED003_UNDATED.
 * - The date the concept begroting goes to the councils is not given; Grip derives only the last day
 *   it may be sent (12 weeks before the AB adopts it).
 */
import type { PlanningCalendar } from './types.js';

/** The source as a person would cite it (shown as "Bron" in the web app). */
export const SEED003_SOURCE = 'Presentatie DG&J aan de raad van Alblasserdam, 3 april 2025';

export const SEED003_CALENDAR: PlanningCalendar = {
  id: 'dgj-2025',
  title: 'Planning DG&J 2024–2025 (presentatie raad Alblasserdam 3-4-2025)',
  source: SEED003_SOURCE,
  items: [
    {
      id: 'verbeterprogramma-jeugdhulp',
      kind: 'overig',
      title: 'Verbeterprogramma jeugdhulp',
      moments: [
        {
          body: { kind: 'overig', name: 'gemeenten en SOJ' },
          date: '2024-09-26',
          label: 'Verbeterprogramma jeugdhulp vastgesteld',
          role: 'vaststelling',
        },
      ],
      notes: ['Uit de evaluatie inkoop jeugdhulp (gereed); besluit over inkoop 2026 vóór de zomer van 2025.'],
      source: SEED003_SOURCE,
    },
    {
      id: 'kadernota-2026',
      kind: 'kadernota',
      title: 'Kadernota 2026',
      budgetYear: 2026,
      moments: [
        {
          body: { kind: 'AB' },
          date: '2024-12-19',
          label: 'Kadernota 2026 in het AB',
          role: 'vaststelling',
          note: 'jaar afgeleid uit de tijdlijn',
        },
      ],
      notes: ['Bij de besluitvorming over de kadernota is de 0-lijn voor GGD, Veilig Thuis en LVS het uitgangspunt.'],
      source: SEED003_SOURCE,
    },
    {
      id: 'presentatie-raad-alblasserdam',
      kind: 'overig',
      title: 'Presentatie DG&J aan de raad van Alblasserdam',
      moments: [
        {
          body: { kind: 'raad', municipality: '0482' },
          date: '2025-04-03',
          label: 'Presentatie DG&J aan de raad',
          role: 'behandeling',
        },
      ],
      source: SEED003_SOURCE,
    },
    {
      id: 'begroting-2026',
      kind: 'begroting',
      title: 'Begroting 2026 DG&J',
      budgetYear: 2026,
      moments: [
        { body: { kind: 'AB' }, date: '2025-04-10', label: 'Concept-begroting 2026 in het AB', role: 'concept' },
        {
          body: { kind: 'AB' },
          date: '2025-07-10',
          label: 'Definitieve begroting 2026 in het AB',
          role: 'vaststelling',
        },
      ],
      source: SEED003_SOURCE,
    },
    {
      id: 'bestuursopdracht-financiele-problematiek',
      kind: 'bestuursopdracht',
      title: 'Bestuursopdracht: verkenning bijdrage GR DG&J aan verminderen financiële problematiek gemeenten',
      moments: [
        {
          body: {
            kind: 'overig',
            name: 'Ambtelijke overleggen Publieke Gezondheid, Onderwijs, Jeugd, OGGZ en Toezicht',
          },
          date: '2025-04-17',
          bound: 'voor',
          label: 'Ambtelijke overleggen',
          role: 'voorbereiding',
        },
        {
          body: { kind: 'overig', name: 'Adviesgroep Eigenaren en Opdrachtgevers DG&J' },
          date: '2025-05-06',
          label: 'Adviesgroep Eigenaren en Opdrachtgevers',
          role: 'voorbereiding',
        },
        { body: { kind: 'DB' }, date: '2025-05-19', label: 'Bestuursopdracht in het DB', role: 'behandeling' },
        { body: { kind: 'AB' }, date: '2025-06-05', label: 'Bestuursopdracht in het AB', role: 'vaststelling' },
      ],
      source: SEED003_SOURCE,
    },
    {
      id: 'burap-1-2025',
      kind: 'burap1',
      title: 'Bestuursrapportage I 2025',
      moments: [],
      notes: ['Op de tijdlijn van de presentatie, zonder leesbare datum.'],
      source: SEED003_SOURCE,
    },
    {
      id: 'burap-2-2025',
      kind: 'burap2',
      title: 'Bestuursrapportage II 2025',
      moments: [],
      notes: ['Op de tijdlijn van de presentatie, zonder leesbare datum.'],
      source: SEED003_SOURCE,
    },
  ],
};

/** Items seed 003 gives with a month or season only, kept as text. */
export const SEED003_UNDATED: readonly { title: string; when: string; owner: string }[] = [
  { title: 'Besluit inkoop jeugdhulp 2026', when: 'vóór zomer 2025', owner: 'gemeenten en SOJ' },
  { title: 'Omvormen DVO’s toezicht en OGGZ', when: 'juni 2025', owner: 'DG&J' },
  {
    title:
      'Onderzoeken samenwerking SDD/DG&J (inkoop en contractmanagement jeugdhulp/Wmo, toezicht Wmo, voortijdig schoolverlaten)',
    when: 'juni 2025',
    owner: 'SDD en DG&J',
  },
];
