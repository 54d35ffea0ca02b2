/**
 * The decision cycle of the joint arrangement (GR DG&J): P&C products and other proposals with their
 * dates per body, the councils' views (zienswijzen), the DB's reaction per point (nota van reactie),
 * the AB vote and what was promised. Plain data; no I/O, no clock.
 */
import type { Cents } from '../money.js';
import type { IsoDate } from '../month.js';

/** The products of the planning-and-control (P&C) cycle. */
export type PcProductKind = 'kadernota' | 'begroting' | 'burap1' | 'burap2' | 'jaarrekening' | 'begrotingswijziging';
/** P&C products plus other items that go through the same bodies (e.g. a bestuursopdracht). */
export type DecisionItemKind = PcProductKind | 'bestuursopdracht' | 'overig';

export const ITEM_KIND_LABELS: Readonly<Record<DecisionItemKind, string>> = {
  kadernota: 'Kadernota',
  begroting: 'Begroting',
  burap1: 'Bestuursrapportage 1',
  burap2: 'Bestuursrapportage 2',
  jaarrekening: 'Jaarrekening',
  begrotingswijziging: 'Begrotingswijziging',
  bestuursopdracht: 'Bestuursopdracht',
  overig: 'Overig',
};

/** A body that meets or decides: the executive board, the general board, a council, or another group. */
export type BodyRef =
  { kind: 'DB' } | { kind: 'AB' } | { kind: 'raad'; municipality: string } | { kind: 'overig'; name: string };

/** One date of an item at one body. `bound: 'voor'` means "vóór" (before that date), as in the seeds. */
export interface DecisionMoment {
  body: BodyRef;
  date: IsoDate;
  label: string;
  /** `vaststelling`: the body adopts the item (the AB date the Wgr deadlines count back from). */
  role?: 'vaststelling' | 'concept' | 'behandeling' | 'verzending' | 'voorbereiding';
  bound?: 'op' | 'voor';
  note?: string;
}

/** Where a date or fact comes from: the seed text itself, or an assumption Grip states openly. */
export type Basis = 'bron' | 'aanname';

export interface DecisionItem {
  id: string;
  kind: DecisionItemKind;
  title: string;
  /** The budget year the product is about (begroting 2026 → 2026). */
  budgetYear?: number;
  moments: DecisionMoment[];
  /** The date the (draft) item was sent to the councils for their view; starts the zienswijze term. */
  sentForView?: { date: IsoDate; basis: Basis; note?: string };
  notes?: string[];
  source: string;
}

export interface PlanningCalendar {
  id: string;
  title: string;
  items: DecisionItem[];
  source: string;
}

/** A figure linked to a proposal, frozen as it was known on `asOf`. */
export interface LinkedFigure {
  label: string;
  value: { kind: 'cents'; cents: Cents } | { kind: 'percent'; percent: number };
  asOf: IsoDate | null;
  source: string;
}

export interface ProposalDocument {
  title: string;
  date: IsoDate | null;
}

export interface Proposal {
  id: string;
  title: string;
  kind: DecisionItemKind;
  budgetYear: number;
  amountCents: Cents;
  /** Split per municipality (CBS code); empty when the source does not give it. */
  split: { municipality: string; amountCents: Cents }[];
  splitNote?: string;
  /**
   * The allocation key Grip split the amount by (a proposal entered in Grip); absent for a split taken from a
   * source document. A key resting on the ledger (usage, clients) makes the split and the frozen forecasts per
   * municipality cell figures: aggregate roles do not see them per municipality.
   */
  splitKey?: string;
  linkedFigures: readonly LinkedFigure[];
  documents: ProposalDocument[];
  sentForViewOn: IsoDate;
  decidedByAbOn: IsoDate | null;
  source: string;
}

/** Themes of the points councils raise; the first three are the ones the issue names. */
export const THEMES = [
  'realistische begroting',
  'kostenbeheersing',
  'informatievoorziening',
  'sturing op maatregelen',
  'corona',
  'meerjarenraming',
  'lobby rijksmiddelen',
  'transformatie',
  'procedure',
] as const;
export type Theme = (typeof THEMES)[number];

export interface ViewPoint {
  /** Unique within a case: `<municipality>-<number>`, e.g. `0482-4a`; the Werkgroep Jeugd points are `-wg1`… */
  id: string;
  /** The number as in the source: `4a`, `wg3`. */
  number: string;
  theme: Theme;
  /** One-sentence summary in Dutch. */
  text: string;
}

/** How a council stands on the proposal, in its own words as summarised. */
export type Stance =
  'instemmend' | 'instemmend-met-tegenzin' | 'instemmend-hoger-bedrag' | 'niet-instemmend' | 'geen-expliciet-standpunt';

export const STANCE_LABELS: Readonly<Record<Stance, string>> = {
  instemmend: 'instemmend',
  'instemmend-met-tegenzin': 'instemmend, met tegenzin',
  'instemmend-hoger-bedrag': 'instemmend, wil hoger (realistisch) bedrag',
  'niet-instemmend': 'niet instemmend',
  'geen-expliciet-standpunt': 'geen expliciet standpunt',
};

export interface Zienswijze {
  municipality: string;
  proposalId: string;
  /** Date the view was received; null when the source does not give it. */
  received: IsoDate | null;
  stance: Stance;
  points: ViewPoint[];
  /** Earlier views of this council the text refers to (the frequency councils complain about). */
  earlierViews?: { date: IsoDate; subject: string }[];
  notes?: string[];
}

/** The DB's reaction to a point. `kennisgenomen`: the point asked nothing, the DB acknowledged it. */
export type ReactionStatus = 'overgenomen' | 'deels' | 'niet' | 'kennisgenomen';

export interface Reaction {
  pointId: string;
  status: ReactionStatus;
  /** One-sentence summary in Dutch. */
  text: string;
}

export interface NotaVanReactie {
  proposalId: string;
  /** Date the AB treated the nota (it is sent to the councils afterwards). */
  treatedByAbOn: IsoDate | null;
  sentOn: IsoDate | null;
  reactions: Reaction[];
  /** Whether the statuses are in the source or Grip's reading of the reaction text. */
  statusBasis: Basis;
}

export type VoteChoice = 'voor' | 'tegen' | 'onthouding' | 'afwezig';

export interface Vote {
  municipality: string;
  choice: VoteChoice;
  /** `bron`: recorded in the source; `aanname`: inferred (e.g. "only Alblasserdam voted against"). */
  basis: Basis;
}

export interface VoteRecord {
  proposalId: string;
  body: 'AB';
  date: IsoDate;
  votes: Vote[];
  /** The result as the source states it, to check the tally against. */
  recordedResult?: VoteResult;
}

export type VoteResult = 'aangenomen' | 'verworpen' | 'staken' | 'geen quorum';

/** Something promised (`toegezegd`) or asked for but not promised (`gevraagd`), tracked as an open item. */
export interface Commitment {
  id: string;
  text: string;
  owner: string;
  /** Last day it is due; null when the source gives no date. */
  due: IsoDate | null;
  dueNote?: string;
  recurrence?: 'maandelijks' | 'per kwartaal' | 'halfjaarlijks' | 'jaarlijks';
  origin: 'toegezegd' | 'gevraagd';
  /** Points of the views it answers. */
  fromPoints: string[];
  status: 'open' | 'lopend' | 'gedaan';
  source: string;
}

/** One proposal through the whole cycle. */
export interface DecisionCase {
  proposal: Proposal;
  zienswijzen: Zienswijze[];
  nota: NotaVanReactie;
  vote: VoteRecord;
  commitments: Commitment[];
  /** AB members: one per municipality (CBS codes). */
  members: string[];
  source: string;
}
