/**
 * The registry of iJw 3.2 message types Grip reads: per type its namespace, who sends it, and the elements
 * that each become one ledger row (and how). The streaming reader (messages.ts) is generic: it tracks the
 * header, the client, the declaration and the item being read, and hands each closed item element to its
 * type's builder. A new message type is one entry here (plus its row table if it needs a new one).
 */
import { ACCEPTING_RETURN_CODES, isKnownReferrer } from '../../domain/codes/index.js';
import { signed } from '../../domain/money.js';
import type { MessageType, RowSink } from '../../warehouse/warehouse.js';
import {
  category,
  cents,
  date,
  debitCredit,
  err,
  fieldKey,
  req,
  unit,
  type Ctx,
  type FieldKey,
  type Fields,
} from './fields.js';

/** What a builder sees when an item element closes. */
export interface ItemContext {
  readonly ctx: Ctx;
  /** The item element that closed (e.g. `Prestatie`). */
  readonly element: string;
  /** The item's leaves, by local name and `Parent/Name`, and its line. */
  readonly fields: Fields;
  readonly line: number;
  /** The item's RetourCode values (answers). */
  readonly codes: readonly string[];
  /** The enclosing declaration's leaves and line (JW323/JW325). */
  readonly declaration: Fields;
  readonly declarationLine: number;
  /** The enclosing client's leaves and line. */
  readonly clientFields: Fields;
  readonly clientLine: number;
  readonly municipality: string;
  readonly provider: string;
  readonly messageDate: string | null;
  readonly sink: RowSink;
  /** The current client's pseudonym (the BSN checked and hashed; never kept). */
  client(): string;
  /** The family key from the client's relations (JW301), or null. */
  family(): string | null;
  /** The next row number within the file. */
  nextSeq(): number;
  /** Adds a line's amount to the declaration's sum (checked against its header total) and the file total. */
  addAmount(amountCents: number): void;
}

export interface MessageSpec {
  readonly type: MessageType;
  readonly namespace: string;
  /** Sent by the municipality (its code is the sender), else by the provider (the municipality receives). */
  readonly sentByMunicipality: boolean;
  /** Elements that each give one row when they close, and the builder that writes it. */
  readonly items: Readonly<Record<string, (it: ItemContext) => void>>;
  /** Whether each Declaratie's TotaalIngediendBedrag must equal the sum of its lines. */
  readonly declarationTotals?: boolean;
}

/** Keys by name, made when this module loads (see fieldKey). */
function keys<N extends string>(names: readonly N[]): Readonly<Record<N, FieldKey>> {
  return Object.fromEntries(names.map((n) => [n, fieldKey(n)])) as Record<N, FieldKey>;
}

/** The leaves the builders read: local names, and `Parent/Name` where a local name alone is ambiguous. */
const K = keys([
  'Bedrag',
  'Begindatum',
  'Budget',
  'DebetCredit',
  'DeclaratieDagtekening',
  'DeclaratieNummer',
  'DeclaratiePeriode/Begindatum',
  'Eenheid',
  'Einddatum',
  'Geboortedatum/Datum',
  'GeleverdVolume',
  'Ingangsdatum',
  'Omvang/Eenheid',
  'Omvang/Frequentie',
  'Omvang/Volume',
  'Product/Categorie',
  'Product/Code',
  'ProductCategorie',
  'ProductCode',
  'ProductPeriode/Begindatum',
  'ProductPeriode/Einddatum',
  'ProductTarief',
  'RedenBeeindiging',
  'ReferentieAanbieder',
  'ReferentieNummer',
  'StatusAanlevering',
  'ToewijzingEinddatum',
  'ToewijzingIngangsdatum',
  'ToewijzingNummer',
  'Toewijzingsdatum',
  'Verwijzer/Type',
  'VorigReferentieNummer',
] as const);

const NS = (t: string) => `http://www.istandaarden.nl/ijw/3_2/${t}/schema`;

function declarationLine(it: ItemContext): void {
  const { ctx, fields: f, line, declaration: d } = it;
  const dc = debitCredit(ctx, f, K.DebetCredit, line);
  const amount = signed(cents(ctx, f, K.Bedrag, line), dc);
  const periodStart = date(ctx, f, K['ProductPeriode/Begindatum'], line);
  const periodEnd = date(ctx, f, K['ProductPeriode/Einddatum'], line, true) ?? periodStart;
  const tariff = f.get(K.ProductTarief) ? cents(ctx, f, K.ProductTarief, line) : null;
  const volume = Number(req(ctx, f, K.GeleverdVolume, line));
  if (!Number.isInteger(volume))
    throw err(
      ctx,
      line,
      'GeleverdVolume',
      'VOLUME_INVALID',
      `GeleverdVolume "${f.get(K.GeleverdVolume)}" is not a whole number`,
    );
  it.addAmount(amount);
  const row = {
    seq: it.nextSeq(),
    sourceLine: line,
    municipality: it.municipality,
    provider: it.provider,
    client: it.client(),
    declarationNumber: req(ctx, d, K.DeclaratieNummer, it.declarationLine),
    declarationDate: date(ctx, d, K.DeclaratieDagtekening, it.declarationLine),
    declarationPeriodStart: date(ctx, d, K['DeclaratiePeriode/Begindatum'], it.declarationLine, true),
    referenceNumber: req(ctx, f, K.ReferentieNummer, line),
    previousReferenceNumber: f.get(K.VorigReferentieNummer) ?? null,
    allocationNumber: f.get(K.ToewijzingNummer) ?? null,
    category: category(ctx, f.get(K.ProductCategorie), line, 'ProductCategorie'),
    productCode: f.get(K.ProductCode) ?? null,
    periodStart,
    periodEnd,
    volume,
    unit: unit(ctx, f.get(K.Eenheid), line, 'Eenheid'),
    tariffCents: tariff,
    amountCents: amount,
    debitCredit: dc,
    referrer: null,
    family: null,
  };
  if (periodEnd < periodStart)
    throw err(
      ctx,
      line,
      'ProductPeriode',
      'PERIOD_INVALID',
      `ProductPeriode ends (${periodEnd}) before it begins (${periodStart})`,
    );
  it.sink.row('declaration_lines', row);
}

function declarationAnswer(it: ItemContext): void {
  const { ctx, fields: f, line } = it;
  const dc = f.get(K.DebetCredit) === 'C' ? 'C' : 'D';
  it.sink.row('declaration_answers', {
    seq: it.nextSeq(),
    sourceLine: line,
    municipality: it.municipality,
    provider: it.provider,
    client: it.client(),
    declarationNumber: req(ctx, it.declaration, K.DeclaratieNummer, it.declarationLine),
    referenceNumber: req(ctx, f, K.ReferentieNummer, line),
    amountCents: f.get(K.Bedrag) ? signed(cents(ctx, f, K.Bedrag, line), dc) : 0,
    returnCodes: it.codes.slice(),
    accepted: it.codes.every((c) => ACCEPTING_RETURN_CODES.has(c)),
    answerDate: it.messageDate,
  });
}

function allocation(it: ItemContext): void {
  const { ctx, fields: f, line } = it;
  const born = it.clientFields.get(K['Geboortedatum/Datum']);
  it.sink.row('allocations', {
    seq: it.nextSeq(),
    sourceLine: line,
    municipality: it.municipality,
    provider: it.provider,
    client: it.client(),
    birthYear: born ? Number(born.slice(0, 4)) : null,
    allocationNumber: req(ctx, f, K.ToewijzingNummer, line),
    providerReference: f.get(K.ReferentieAanbieder) ?? null,
    category: category(ctx, f.get(K['Product/Categorie']), line, 'Categorie'),
    productCode: f.get(K['Product/Code']) ?? null,
    allocationDate: date(ctx, f, K.Toewijzingsdatum, line),
    startDate: date(ctx, f, K.Ingangsdatum, line),
    endDate: date(ctx, f, K.Einddatum, line, true),
    volume: f.get(K['Omvang/Volume']) ? Number(f.get(K['Omvang/Volume'])) : null,
    unit: f.get(K['Omvang/Eenheid']) ? unit(ctx, f.get(K['Omvang/Eenheid']), line, 'Eenheid') : null,
    frequency: f.get(K['Omvang/Frequentie']) ?? null,
    budgetCents: f.get(K.Budget) ? cents(ctx, f, K.Budget, line) : null,
    family: it.family(),
  });
}

function careEvent(kind: 'start' | 'stop') {
  return (it: ItemContext): void => {
    const { ctx, fields: f, line } = it;
    it.sink.row('care_events', {
      seq: it.nextSeq(),
      sourceLine: line,
      kind,
      municipality: it.municipality,
      provider: it.provider,
      client: it.client(),
      allocationNumber: req(ctx, f, K.ToewijzingNummer, line),
      category: category(ctx, f.get(K['Product/Categorie']), line, 'Categorie', true),
      productCode: f.get(K['Product/Code']) ?? null,
      date: kind === 'stop' ? date(ctx, f, K.Einddatum, line) : date(ctx, f, K.Begindatum, line),
      reason: f.get(K.RedenBeeindiging) ?? null,
      status: f.get(K.StatusAanlevering) ?? null,
    });
  };
}

function request(it: ItemContext): void {
  const { ctx, fields: f, line } = it;
  const referrer = req(ctx, f, K['Verwijzer/Type'], line);
  if (!isKnownReferrer(referrer))
    throw err(ctx, line, 'Type', 'CODE_UNKNOWN', `referrer type "${referrer}" is not in COD327`);
  it.sink.row('requests', {
    seq: it.nextSeq(),
    sourceLine: line,
    municipality: it.municipality,
    provider: it.provider,
    client: it.client(),
    providerReference: req(ctx, f, K.ReferentieAanbieder, line),
    category: category(ctx, f.get(K['Product/Categorie']), line, 'Categorie', true),
    productCode: f.get(K['Product/Code']) ?? null,
    referrerType: referrer,
    startDate: date(ctx, f, K.ToewijzingIngangsdatum, line, true),
    endDate: date(ctx, f, K.ToewijzingEinddatum, line, true),
  });
}

/** The six message types Grip reads. */
export const MESSAGE_TYPES: readonly MessageSpec[] = [
  { type: 'JW301', namespace: NS('jw301'), sentByMunicipality: true, items: { ToegewezenProduct: allocation } },
  { type: 'JW305', namespace: NS('jw305'), sentByMunicipality: false, items: { StartProduct: careEvent('start') } },
  { type: 'JW307', namespace: NS('jw307'), sentByMunicipality: false, items: { StopProduct: careEvent('stop') } },
  { type: 'JW315', namespace: NS('jw315'), sentByMunicipality: false, items: { AangevraagdProduct: request } },
  {
    type: 'JW323',
    namespace: NS('jw323'),
    sentByMunicipality: false,
    items: { Prestatie: declarationLine },
    declarationTotals: true,
  },
  { type: 'JW325', namespace: NS('jw325'), sentByMunicipality: true, items: { Prestatie: declarationAnswer } },
];

/** Namespace → message type. */
export const IJW_NAMESPACES: Readonly<Record<string, MessageType>> = Object.fromEntries(
  MESSAGE_TYPES.map((m) => [m.namespace, m.type]),
);

/** The spec of a namespace, or undefined when Grip does not read it. */
export function messageSpec(namespace: string | undefined): MessageSpec | undefined {
  return namespace === undefined ? undefined : MESSAGE_TYPES.find((m) => m.namespace === namespace);
}

/** Every element that is an item in some message type (their leaves are read into the item). */
export const ITEM_ELEMENTS: ReadonlySet<string> = new Set(MESSAGE_TYPES.flatMap((m) => Object.keys(m.items)));
