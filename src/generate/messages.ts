/**
 * The iJw 3.2 messages the generator writes (JW323, JW301, JW315), built from its simulated lines and
 * allocations; pure functions of their arguments, so the parent and write workers give the same bytes.
 */
import { addMonths, lastDayOfMonth, type MonthKey } from '../domain/month.js';
import { NS_BASE, buildMessage, headerTree, type XmlTree } from './xml.js';

export interface Product {
  category: string;
  code: string;
  unit: string;
  tariff: number; // cents per unit
  volume: [number, number]; // units per month
  months: [number, number]; // duration
  weight: number;
}

export interface Line {
  provider: string;
  municipality: string;
  bsn: string;
  allocation: string;
  product: Product;
  month: MonthKey;
  declMonth: MonthKey;
  volume: number;
  amount: number;
  dc: 'D' | 'C';
  ref: string;
  prevRef?: string;
}

export function jw323(
  provider: string,
  municipality: string,
  declMonth: MonthKey,
  number: string,
  lines: Line[],
  totalOverride?: number,
): string {
  const p = 'jw323';
  const date = `${declMonth}-05`;
  const period = addMonths(declMonth, -1);
  const net = totalOverride ?? lines.reduce((s, l) => s + (l.dc === 'C' ? -l.amount : l.amount), 0);
  const byClient = new Map<string, Line[]>();
  for (const l of lines) {
    const list = byClient.get(l.bsn);
    if (list) list.push(l);
    else byClient.set(l.bsn, [l]);
  }
  const clients: XmlTree[] = [];
  for (const [bsn, ls] of byClient)
    clients.push({
      [`${p}:Bsn`]: bsn,
      [`${p}:Prestaties`]: {
        [`${p}:Prestatie`]: ls.map((l) => ({
          [`${p}:ProductReferentie`]: {
            'ijw:ReferentieNummer': l.ref,
            ...(l.prevRef ? { 'ijw:VorigReferentieNummer': l.prevRef } : {}),
          },
          [`${p}:ToewijzingNummer`]: l.allocation,
          [`${p}:ProductCategorie`]: l.product.category,
          [`${p}:ProductCode`]: l.product.code,
          [`${p}:ProductPeriode`]: { 'ijw:Begindatum': `${l.month}-01`, 'ijw:Einddatum': lastDayOfMonth(l.month) },
          [`${p}:GeleverdVolume`]: String(l.volume),
          [`${p}:Eenheid`]: l.product.unit,
          [`${p}:ProductTarief`]: String(l.product.tariff),
          [`${p}:IngediendBedrag`]: { 'ijw:Bedrag': String(l.amount), 'ijw:DebetCredit': l.dc },
        })),
      },
    });
  return buildMessage(
    `${p}:Bericht`,
    { [p]: 'http://www.istandaarden.nl/ijw/3_2/jw323/schema', ijw: NS_BASE },
    {
      [`${p}:Header`]: headerTree(p, '490', provider, municipality, number.replace(/\D/g, '').slice(-12) || '1', date),
      [`${p}:Declaratie`]: {
        [`${p}:DeclaratieNummer`]: number,
        [`${p}:DeclaratiePeriode`]: { 'ijw:Begindatum': `${period}-01`, 'ijw:Einddatum': lastDayOfMonth(period) },
        [`${p}:DeclaratieDagtekening`]: date,
        [`${p}:TotaalIngediendBedrag`]: {
          'ijw:TotaalBedrag': String(Math.abs(net)),
          'ijw:DebetCredit': net < 0 ? 'C' : 'D',
        },
        [`${p}:Clienten`]: { [`${p}:Client`]: clients },
      },
    },
  );
}

export function person(p: string, bsn: string, birth: string): XmlTree {
  return { [`${p}:Bsn`]: bsn, [`${p}:Geboortedatum`]: { 'ijw:Datum': birth }, [`${p}:Geslacht`]: '0' };
}

export function jw301(a: Allocation, date: string, family?: FamilyTag): string {
  const p = 'jw301';
  const relation = family && {
    [`${p}:Relaties`]: {
      [`${p}:Relatie`]: {
        [`${p}:Nummer`]: family.parent.bsn ?? '1',
        [`${p}:Soort`]: '10',
        [`${p}:Geboortedatum`]: { 'ijw:Datum': family.parent.birth },
        [`${p}:Naam`]: {
          'ijw:Geslachtsnaam': { 'ijw:Achternaam': family.parent.surname },
          'ijw:Voorletters': 'O',
          'ijw:NaamGebruik': '1',
        },
        [`${p}:Contact`]: { [`${p}:Soort`]: '01' },
      },
    },
  };
  const size: XmlTree =
    a.size && 'volume' in a.size
      ? {
          [`${p}:Omvang`]: {
            'ijw:Volume': String(a.size.volume),
            'ijw:Eenheid': a.size.unit,
            'ijw:Frequentie': a.size.frequency,
          },
        }
      : a.size
        ? { [`${p}:Budget`]: String(a.size.budgetCents) }
        : {};
  return buildMessage(
    `${p}:Bericht`,
    { [p]: 'http://www.istandaarden.nl/ijw/3_2/jw301/schema', ijw: NS_BASE },
    {
      [`${p}:Header`]: headerTree(p, '436', a.municipality, a.provider, a.number, date),
      [`${p}:Client`]: {
        ...person(p, a.bsn, a.birth),
        [`${p}:Naam`]: {
          'ijw:Geslachtsnaam': { 'ijw:Achternaam': 'Synthetisch' },
          'ijw:Voorletters': 'S',
          'ijw:NaamGebruik': '1',
        },
        ...relation,
        [`${p}:Contactgegevens`]: {
          [`${p}:Contact`]: {
            [`${p}:Soort`]: '01',
            [`${p}:Adres`]: {
              'ijw:Huis': { 'ijw:Huisnummer': '1' },
              'ijw:Postcode': '9999XX',
              'ijw:Straatnaam': 'Proefstraat',
              'ijw:Plaatsnaam': 'Proefdorp',
              'ijw:LandCode': 'NL',
            },
          },
        },
        [`${p}:ToegewezenProducten`]: {
          [`${p}:ToegewezenProduct`]: {
            [`${p}:ToewijzingNummer`]: a.number,
            ...(a.referrer ? { [`${p}:ReferentieAanbieder`]: `R${a.number}` } : {}),
            [`${p}:Product`]: { 'ijw:Categorie': a.product.category, 'ijw:Code': a.product.code },
            [`${p}:Toewijzingsdatum`]: date,
            [`${p}:Toewijzingstijd`]: '09:00:00',
            [`${p}:Ingangsdatum`]: `${a.start}-01`,
            [`${p}:Einddatum`]: lastDayOfMonth(a.end),
            ...size,
          },
        },
      },
    },
  );
}

export function jw315(a: Allocation, date: string, referrer: string): string {
  const p = 'jw315';
  return buildMessage(
    `${p}:Bericht`,
    { [p]: 'http://www.istandaarden.nl/ijw/3_2/jw315/schema', ijw: NS_BASE },
    {
      [`${p}:Header`]: headerTree(p, '446', a.provider, a.municipality, a.number, date),
      [`${p}:Client`]: {
        ...person(p, a.bsn, a.birth),
        [`${p}:Naam`]: { 'ijw:Geslachtsnaam': { 'ijw:Achternaam': 'Synthetisch' }, 'ijw:Voorletters': 'S' },
        [`${p}:GezagsdragerBekend`]: '1',
        [`${p}:AangevraagdeProducten`]: {
          [`${p}:AangevraagdProduct`]: {
            [`${p}:ReferentieAanbieder`]: `R${a.number}`,
            [`${p}:Product`]: { 'ijw:Categorie': a.product.category, 'ijw:Code': a.product.code },
            [`${p}:ToewijzingIngangsdatum`]: `${a.start}-01`,
            [`${p}:Verwijzer`]: { 'ijw:Type': referrer },
            [`${p}:Raamcontract`]: '2',
          },
        },
      },
    },
  );
}

export interface Allocation {
  number: string;
  municipality: string;
  provider: string;
  bsn: string;
  birth: string;
  product: Product;
  start: MonthKey;
  end: MonthKey;
  referrer: string | null;
  /** With `insight`: not written (care before the first year). */
  omit?: boolean;
  /** With `insight`: the Omvang (or Budget, for euro products) written in the JW301. */
  size?: { volume: number; unit: string; frequency: string } | { budgetCents: number };
}

/** With `insight`: a family key and the parent that links the children in the JW301 Relaties. */
export interface FamilyTag {
  key: string;
  parent: { bsn: string | null; surname: string; birth: string };
}
