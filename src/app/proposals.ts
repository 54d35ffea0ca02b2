/**
 * A new proposal (voorstel) in the decision cycle, as the web form (/besluitvorming) and the CLI
 * (`grip decisions add-proposal`) make it: the amount split per municipality by an allocation key, and the
 * year-end forecast of the region and of each municipality frozen as known on the proposal date. Both are
 * computed from the warehouse once and stored with the case, so later imports do not change them.
 *
 * No fastify here: the CLI uses this module too. Validation messages are Dutch (they reach users).
 */
import { z } from 'zod';
import { regionForecast } from './forecast.js';
import { cbsMunicipality } from '../domain/codes/index.js';
import {
  ITEM_KIND_LABELS,
  type DecisionCase,
  type DecisionItemKind,
  type LinkedFigure,
} from '../domain/decisions/index.js';
import { GripError } from '../domain/errors.js';
import { parseEuros, type Cents } from '../domain/money.js';
import { formatDateNl, isIsoDate, type IsoDate } from '../domain/month.js';
import {
  ALLOCATION_KEY_LABELS,
  PURE_ALLOCATION_KEYS,
  allocateByKey,
  type PureAllocationKey,
} from '../domain/steering/allocation.js';
import { allocationInputs } from './allocation.js';
import { DecisionInputError } from '../domain/decisions/rules.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { slugify } from '../domain/text.js';

export const PROPOSAL_KINDS = Object.keys(ITEM_KIND_LABELS) as [DecisionItemKind, ...DecisionItemKind[]];
export const PROPOSAL_KEYS = PURE_ALLOCATION_KEYS as [PureAllocationKey, ...PureAllocationKey[]];

/** Euros as people type them: 6.600.000, 6600000, 1.234,56, € 12. */
export function parseEurosText(text: string, what = 'bedrag'): Cents {
  const s = text.trim().replace(/^€\s*/, '').replace(/\s/g, '');
  if (/^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) return parseEuros(s.replace(/\./g, '').replace(',', '.'), what);
  return parseEuros(s, what);
}

const dateMessage = 'datum als JJJJ-MM-DD (bijvoorbeeld 2026-11-24)';
const optionalDate = (what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? s : undefined))
    .refine((s) => s === undefined || isIsoDate(s), `${what}: ${dateMessage}`);

/** The form (and the CLI options, mapped to the same names). */
export const proposalForm = z
  .object({
    title: z
      .string({ required_error: 'titel is verplicht' })
      .trim()
      .min(1, 'titel is verplicht')
      .max(200, 'titel is te lang (hoogstens 200 tekens)'),
    kind: z.enum(PROPOSAL_KINDS, { errorMap: () => ({ message: 'kies een soort voorstel uit de lijst' }) }),
    amount: z
      .string({ required_error: 'bedrag is verplicht' })
      .trim()
      .min(1, 'bedrag is verplicht')
      .transform((s, ctx) => {
        try {
          const cents = parseEurosText(s);
          if (cents === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'bedrag mag niet 0 zijn' });
          return cents;
        } catch {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `bedrag "${s}" is geen bedrag in euro's (bijvoorbeeld 6.600.000 of 6600000,00)`,
          });
          return z.NEVER;
        }
      }),
    date: z
      .string({ required_error: 'datum van het voorstel is verplicht' })
      .trim()
      .min(1, 'datum van het voorstel is verplicht')
      .refine((s) => isIsoDate(s), `datum van het voorstel: ${dateMessage}`),
    key: z.enum(PROPOSAL_KEYS, { errorMap: () => ({ message: 'kies een verdeelsleutel uit de lijst' }) }),
    sendDate: optionalDate('verzenddatum'),
    abDate: optionalDate('datum AB'),
    budgetYear: z
      .string()
      .trim()
      .optional()
      .transform((s) => (s ? s : undefined))
      .refine(
        (s) => s === undefined || (/^\d{4}$/.test(s) && Number(s) >= 2000 && Number(s) <= 2100),
        'begrotingsjaar als jaartal, bijvoorbeeld 2026',
      )
      .transform((s) => (s === undefined ? undefined : Number(s))),
  })
  .superRefine((f, ctx) => {
    if (f.sendDate && isIsoDate(f.date) && f.sendDate < f.date)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'de verzenddatum ligt vóór de datum van het voorstel' });
    const sent = f.sendDate ?? f.date;
    if (f.abDate && isIsoDate(sent) && f.abDate < sent)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'de datum van het AB ligt vóór de verzending naar de raden',
      });
  });

export type ProposalFormInput = z.input<typeof proposalForm>;

export interface NewProposal {
  title: string;
  kind: DecisionItemKind;
  amountCents: Cents;
  /** The proposal date: the as-of date of the split's basis and of the frozen forecast. */
  date: IsoDate;
  key: PureAllocationKey;
  /** Sent to the councils for their view (starts the zienswijze term); default the proposal date. */
  sendDate?: IsoDate;
  /** The AB meeting that decides, when known. */
  abDate?: IsoDate;
  /** Default: the year of the proposal date. */
  budgetYear?: number;
}

export function toNewProposal(f: z.output<typeof proposalForm>): NewProposal {
  return {
    title: f.title,
    kind: f.kind,
    amountCents: f.amount,
    date: f.date,
    key: f.key,
    sendDate: f.sendDate,
    abDate: f.abDate,
    budgetYear: f.budgetYear,
  };
}

const slug = (s: string) => slugify(s, 40).replace(/-$/, '') || 'voorstel';

const muniName = (code: string) => cbsMunicipality(code)?.name ?? code;

/**
 * The case of a new proposal, computed from the warehouse as known on the proposal date (not stored).
 * - Split: allocateByKey over the region's municipalities; the key's basis is the production year of the
 *   proposal date (usage, clients t-1, 3-year clients, inhabitants, youths, equal), counting only lines
 *   declared on or before that date. Exact to the cent.
 * - Frozen figures: regionForecast(year of the date, asOf = the date): the region's year-end forecast and
 *   each municipality's with data.
 * - Deadlines need no storing: they follow from the send date (and the AB date) by the Wgr rules.
 */
export async function buildProposalCase(
  w: Warehouse,
  p: NewProposal,
  by: string,
  now: IsoDate = new Date().toISOString().slice(0, 10),
): Promise<DecisionCase> {
  const year = Number(p.date.slice(0, 4));
  const { municipalities: munis, rows } = await allocationInputs(w, year, { asOf: p.date });
  if (!munis.length)
    throw new DecisionInputError(
      'Er staan geen gemeenten van de regio in het warehouse; de verdeling kan niet worden berekend.',
    );
  let shares;
  try {
    shares = allocateByKey(p.amountCents, p.key, rows, { year });
  } catch (e) {
    if (e instanceof GripError && e.code === 'ALLOCATION_KEY_ZERO')
      throw new DecisionInputError(
        `De verdeelsleutel ${ALLOCATION_KEY_LABELS[p.key]} is voor elke gemeente 0 met de gegevens van ${year} tot en met ${formatDateNl(p.date)}; kies een andere sleutel.`,
      );
    if (e instanceof GripError)
      throw new DecisionInputError(
        `De verdeelsleutel ${ALLOCATION_KEY_LABELS[p.key]} is niet te berekenen: ${e.message}`,
      );
    throw e;
  }
  const forecast = await regionForecast(w, year, p.date);
  const source = `Grip-prognose jaareinde ${year}, peildatum ${formatDateNl(p.date)} (bevroren bij het invoeren)`;
  const linkedFigures: LinkedFigure[] = forecast.municipalities.length
    ? [
        {
          label: `Prognose jaareinde ${year} regio`,
          value: { kind: 'cents', cents: forecast.total.forecastCents },
          asOf: p.date,
          source,
        },
        ...forecast.municipalities.map((m): LinkedFigure => ({
          label: `Prognose jaareinde ${year} ${muniName(m.municipality)}`,
          value: { kind: 'cents', cents: m.forecastCents },
          asOf: p.date,
          source,
        })),
      ]
    : [];
  const existing = new Set((await w.decisionCases()).map((c) => c.id));
  const base = `${p.date}-${slug(p.title)}`;
  let id = base;
  for (let i = 2; existing.has(id); i++) id = `${base}-${i}`;
  const sourceText = `invoer ${by} ${now}; voorstel van ${formatDateNl(p.date)}`;
  return {
    proposal: {
      id,
      title: p.title,
      kind: p.kind,
      budgetYear: p.budgetYear ?? year,
      amountCents: p.amountCents,
      split: shares.map((s) => ({ municipality: s.code, amountCents: s.shareCents })),
      splitKey: p.key,
      splitNote: `Verdeeld naar ${ALLOCATION_KEY_LABELS[p.key]} (${year}, gegevens tot en met ${formatDateNl(p.date)}), op de cent (grootste-restmethode).${
        linkedFigures.length
          ? ''
          : ` Geen declaraties tot en met ${formatDateNl(p.date)}: geen prognose om vast te leggen.`
      }`,
      linkedFigures,
      documents: [],
      sentForViewOn: p.sendDate ?? p.date,
      decidedByAbOn: p.abDate ?? null,
      source: sourceText,
    },
    zienswijzen: [],
    nota: { proposalId: id, treatedByAbOn: null, sentOn: null, reactions: [], statusBasis: 'bron' },
    vote: { proposalId: id, body: 'AB', date: p.abDate ?? '', votes: [] },
    commitments: [],
    members: munis.map((m) => m.code),
    source: sourceText,
  };
}

/** Builds and stores a new proposal; returns the stored case. */
export async function createProposal(w: Warehouse, p: NewProposal, by: string): Promise<DecisionCase> {
  const c = await buildProposalCase(w, p, by);
  await w.createDecisionCase(c, by);
  return c;
}
