/**
 * Proposes a mapping from an export's header and sample values (`grip mapping guess`, the upload page):
 * columns are matched to Grip's fields by the names Dutch case systems use, and the formats (date format,
 * decimal separator, municipality as name or code, BSN or pseudonymised id, product code with or without its
 * category, credit as sign or D/C column) are read from the sample values. Every choice is explained in a
 * Dutch note; what could not be found is listed, so the analyst can finish the mapping by hand.
 */
import { isValidBsn } from '../bsn.js';
import { slugify } from '../text.js';
import { cellText, municipalityResolver, type Cell, type MunicipalityRef } from './convert.js';
import { columnKey } from './rows.js';
import type { DateFormat, MappingInput } from './schema.js';

type FieldName = keyof MappingInput['fields'];

/** Column names per field, most specific first (compared with columnKey: case and accents ignored). */
const SYNONYMS: Readonly<Record<Exclude<FieldName, 'credit'> | 'creditColumn', readonly string[]>> = {
  municipality: [
    'gemeentecode',
    'gm-code',
    'cbs-code',
    'cbs code',
    'gemeentenaam',
    'gemeente',
    'verantwoordelijke gemeente',
  ],
  provider: ['agb-code', 'agb code', 'agbcode', 'agb aanbieder', 'aanbieder agb', 'zorgaanbieder agb', 'agb'],
  client: [
    'bsn',
    'burgerservicenummer',
    'bsn client',
    'clientnummer',
    'client id',
    'clientid',
    'client',
    'persoonsnummer',
    'pseudoniem',
    'client pseudoniem',
  ],
  declarationNumber: ['factuurnummer', 'declaratienummer', 'notanummer', 'factuur'],
  declarationDate: [
    'factuurdatum',
    'declaratiedatum',
    'notadatum',
    'datum declaratie',
    'datum factuur',
    'datum nota',
    'indieningsdatum',
    'ontvangstdatum',
  ],
  periodStart: ['begindatum', 'startdatum', 'periode van', 'datum van', 'begin periode', 'periode begin', 'van'],
  periodEnd: [
    'einddatum',
    'periode tot',
    'periode t/m',
    'datum tot',
    'eind periode',
    'periode eind',
    'tot en met',
    't/m',
    'tot',
  ],
  category: ['productcategorie', 'product categorie', 'categorie'],
  productCode: ['productcode', 'product code', 'product'],
  volume: ['aantal', 'volume', 'geleverd volume', 'hoeveelheid'],
  unit: ['eenheid', 'eenheidcode', 'eenheid code'],
  tariff: ['tarief', 'eenheidsprijs', 'prijs'],
  amount: ['bedrag', 'totaalbedrag', 'declaratiebedrag', 'gedeclareerd bedrag', 'bedrag (eur)', 'totaal'],
  creditColumn: ['d/c', 'debet/credit', 'debetcredit', 'debet credit', 'dc', 'soort'],
  referrer: ['verwijzer', 'verwijzercode', 'verwijzer type', 'verwijzertype'],
  allocationNumber: ['toewijzingnummer', 'toewijzingsnummer', 'beschikkingsnummer', 'beschikkingnummer', 'beschikking'],
  family: ['gezinsnummer', 'huishoudnummer', 'gezin', 'huishouden'],
};

/** How many cells of a row are column names Grip knows (to find the header row below a title). */
export function headerScore(cells: readonly Cell[]): number {
  const names = Object.values(SYNONYMS).flat();
  return cells.filter((c) => {
    const k = columnKey(cellText(c));
    return k !== '' && names.includes(k);
  }).length;
}

/** What a proposal rests on: the header and the first rows of each sheet (sheet null for CSV). */
export interface GuessInput {
  name: string;
  sheets: { sheet: string | null; header: readonly Cell[]; rows: readonly (readonly Cell[])[] }[];
  municipalities: readonly MunicipalityRef[];
  delimiter?: ';' | ',' | '\t';
  /** The row holding the column names, when not the first. */
  headerRow?: number;
}

export interface GuessResult {
  /** The proposal (valid when `missing` is empty). */
  mapping: MappingInput;
  /** One Dutch sentence per field: which column, read how. */
  notes: { field: string; text: string }[];
  /** Required fields no column was found for. */
  missing: string[];
}

const isDateDmy = (t: string) => /^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}/.test(t);
const isDateYmd = (t: string) => /^\d{4}-\d{1,2}-\d{1,2}/.test(t);
const isSerial = (c: Cell) =>
  (typeof c === 'number' && c >= 1 && c < 2_958_466) || /^\d{5}(?:\.\d+)?$/.test(cellText(c));

function guessDateFormat(samples: readonly Cell[]): DateFormat {
  const filled = samples.filter((c) => cellText(c) !== '');
  if (filled.length && filled.every((c) => c instanceof Date || isDateYmd(cellText(c)))) return 'jjjj-mm-dd';
  if (filled.length && filled.every((c) => isDateDmy(cellText(c)))) return 'dd-mm-jjjj';
  if (filled.length && filled.every((c) => isSerial(c))) return 'excel';
  return filled.some((c) => isDateYmd(cellText(c))) ? 'jjjj-mm-dd' : 'dd-mm-jjjj';
}

function guessDecimal(samples: readonly Cell[]): ',' | '.' {
  const texts = samples.filter((c) => typeof c === 'string').map((c) => cellText(c));
  if (texts.some((t) => /,\d{1,2}-?\)?$/.test(t))) return ',';
  if (texts.some((t) => /\.\d{1,2}-?\)?$/.test(t))) return '.';
  if (texts.some((t) => /\.\d{3}(?:\D|$)/.test(t))) return ',';
  return texts.length ? ',' : '.';
}

export function guessMapping(input: GuessInput): GuessResult {
  const notes: { field: string; text: string }[] = [];
  const missing: string[] = [];
  const first = input.sheets[0];
  const header = (first?.header ?? []).map((h) => cellText(h));
  const keys = header.map(columnKey);
  const used = new Set<number>();
  const samples = (i: number): Cell[] => input.sheets.flatMap((s) => s.rows.map((r) => r[i] ?? null)).slice(0, 200);
  const find = (names: readonly string[]): number | null => {
    for (const n of names) {
      const i = keys.findIndex((k, j) => !used.has(j) && k === n);
      if (i >= 0) return i;
    }
    for (const n of names) {
      if (n.length < 4) continue;
      const i = keys.findIndex((k, j) => !used.has(j) && k.includes(n));
      if (i >= 0) return i;
    }
    return null;
  };
  const take = (names: readonly string[]): string | null => {
    const i = find(names);
    if (i === null) return null;
    used.add(i);
    return header[i] ?? null;
  };
  const idx = (column: string) => header.indexOf(column);
  const fields: Record<string, unknown> = {};
  const say = (field: string, text: string) => notes.push({ field, text });

  // Order matters: specific names (BSN, AGB, dates) before the generic ones (product, totaal).
  const clientCol = take(SYNONYMS.client);
  const providerCol = take(SYNONYMS.provider);
  const creditCol = take(SYNONYMS.creditColumn);
  const declDateCol = take(SYNONYMS.declarationDate);
  const startCol = take(SYNONYMS.periodStart);
  const endCol = take(SYNONYMS.periodEnd);
  const muniCol = take(SYNONYMS.municipality);
  const categoryCol = take(SYNONYMS.category);
  const productCol = take(SYNONYMS.productCode);
  const tariffCol = take(SYNONYMS.tariff);
  const amountCol = take(SYNONYMS.amount);
  const volumeCol = take(SYNONYMS.volume);
  const unitCol = take(SYNONYMS.unit);
  const declNoCol = take(SYNONYMS.declarationNumber);
  const referrerCol = take(SYNONYMS.referrer);
  const allocCol = take(SYNONYMS.allocationNumber);
  const familyCol = take(SYNONYMS.family);

  // Municipality: a column (name, CBS or GM code), else the sheet names.
  const resolve = municipalityResolver(input.municipalities);
  const resolves = (v: Cell, as: 'naam' | 'cbs' | 'gm') => {
    try {
      resolve(v, as);
      return true;
    } catch {
      return false;
    }
  };
  if (muniCol) {
    const s = samples(idx(muniCol)).filter((c) => cellText(c) !== '');
    const as = s.every((c) => /^GM\s?\d{4}$/i.test(cellText(c)))
      ? 'gm'
      : s.every((c) => /^\d{1,4}$/.test(cellText(c)))
        ? 'cbs'
        : 'naam';
    fields.municipality = { column: muniCol, as };
    const unknown = s.filter((c) => !resolves(c, as));
    say(
      'municipality',
      `kolom '${muniCol}' als ${as === 'naam' ? 'gemeentenaam' : as === 'gm' ? 'GM-code' : 'CBS-code'}${unknown.length ? ` — let op: ${unknown.length} voorbeeldwaarde(n) zijn geen gemeente van de regio` : ''}`,
    );
  } else {
    const sheetNames = input.sheets.map((s) => s.sheet).filter((s): s is string => s !== null);
    const as = (['naam', 'cbs', 'gm'] as const).find(
      (a) => sheetNames.length > 0 && sheetNames.every((n) => resolves(n, a)),
    );
    if (as) {
      fields.municipality = { sheet: true, as };
      say('municipality', `uit de bladnaam (${sheetNames.join(', ')})`);
    } else missing.push('municipality');
  }

  if (providerCol) {
    fields.provider = { column: providerCol };
    say('provider', `kolom '${providerCol}' als AGB-code`);
  } else missing.push('provider');

  if (clientCol) {
    const s = samples(idx(clientCol))
      .map((c) => cellText(c).replace(/[\s.]/g, ''))
      .filter(Boolean);
    const bsn = s.length > 0 && s.every((v) => /^\d{8,9}$/.test(v) && isValidBsn(v));
    fields.client = { column: clientCol, as: bsn ? 'bsn' : 'pseudoniem' };
    say(
      'client',
      bsn
        ? `kolom '${clientCol}' als BSN (11-proef klopt voor de voorbeelden); Grip slaat alleen het pseudoniem op`
        : `kolom '${clientCol}' als cliëntnummer van het bronsysteem; Grip hasht het opnieuw met zijn eigen sleutel`,
    );
  } else missing.push('client');

  const dateField = (field: string, col: string | null, required: boolean) => {
    if (!col) {
      if (required) missing.push(field);
      return;
    }
    const format = guessDateFormat(samples(idx(col)));
    fields[field] = { column: col, format };
    say(field, `kolom '${col}' als datum (${format})`);
  };
  dateField('declarationDate', declDateCol, true);
  dateField('periodStart', startCol, true);
  dateField('periodEnd', endCol, false);
  if (!endCol && startCol) say('periodEnd', 'geen kolom: de laatste dag van de maand van de begindatum');

  if (categoryCol) {
    fields.category = { column: categoryCol };
    say('category', `kolom '${categoryCol}' als productcategorie (JZ020)`);
  }
  if (productCol) {
    const s = samples(idx(productCol))
      .map((c) =>
        cellText(c)
          .toUpperCase()
          .replace(/[\s\-./]/g, ''),
      )
      .filter(Boolean);
    const withCategory = s.length > 0 && s.every((v) => /^\d{2}[A-Z0-9]{3}$/.test(v));
    fields.productCode = { column: productCol, withCategory };
    say(
      'productCode',
      `kolom '${productCol}' als productcode ${withCategory ? 'met categorie (45A03)' : 'zonder categorie (A03)'}`,
    );
    if (!withCategory && !categoryCol) missing.push('category');
  } else if (!categoryCol) missing.push('category');

  if (volumeCol) {
    fields.volume = { column: volumeCol };
    say('volume', `kolom '${volumeCol}' als geleverd volume`);
  } else say('volume', 'geen kolom: volume 1 per regel');
  if (unitCol) {
    fields.unit = { column: unitCol };
    say('unit', `kolom '${unitCol}' als eenheid (WJ756)`);
  } else missing.push('unit');

  if (tariffCol) {
    const decimal = guessDecimal(samples(idx(tariffCol)));
    fields.tariff = { column: tariffCol, decimal };
    say('tariff', `kolom '${tariffCol}' als tarief in euro (decimaal${decimal === ',' ? 'komma' : 'punt'})`);
  }
  if (amountCol) {
    const decimal = guessDecimal(samples(idx(amountCol)));
    fields.amount = { column: amountCol, decimal };
    say('amount', `kolom '${amountCol}' als bedrag in euro (decimaal${decimal === ',' ? 'komma' : 'punt'})`);
  } else missing.push('amount');

  if (creditCol) {
    const values = [
      ...new Set(
        samples(idx(creditCol))
          .map((c) => cellText(c))
          .filter(Boolean),
      ),
    ];
    const debit = values.filter((v) => /^(d|debet|debit|\+)$/i.test(v));
    const credit = values.filter((v) => /^(c|credit|-)$/i.test(v));
    // The schema's words (D/Debet, C/Credit) plus any other word the samples use for either.
    const words = (found: string[], defaults: string[]) => [
      ...defaults,
      ...found.filter((v) => !defaults.some((d) => d.toLowerCase() === v.toLowerCase())),
    ];
    fields.credit = { column: creditCol, debit: words(debit, ['D', 'Debet']), credit: words(credit, ['C', 'Credit']) };
    say('credit', `kolom '${creditCol}' geeft debet/credit aan`);
  } else {
    fields.credit = { sign: true };
    say('credit', 'een negatief bedrag is een creditregel');
  }

  const plain = (field: string, col: string | null, text: string) => {
    if (!col) return;
    fields[field] = { column: col };
    say(field, `kolom '${col}' als ${text}`);
  };
  plain('declarationNumber', declNoCol, 'declaratie- of factuurnummer');
  if (!declNoCol) say('declarationNumber', 'geen kolom: elke rij is een eigen declaratie');
  plain('referrer', referrerCol, 'verwijzer (COD327)');
  plain('allocationNumber', allocCol, 'toewijzingsnummer');
  plain('family', familyCol, 'gezinssleutel');

  const unmapped = header.filter((h, i) => h && !used.has(i));
  if (unmapped.length) say('(niet gebruikt)', unmapped.map((h) => `'${h}'`).join(', '));

  const name = slugify(input.name, 60).replace(/^[^a-z0-9]+/, '') || 'export';
  const mapping = {
    name,
    ...(input.delimiter ? { delimiter: input.delimiter } : {}),
    ...(input.headerRow && input.headerRow > 1 ? { headerRow: input.headerRow } : {}),
    fields,
  } as unknown as MappingInput;
  if (input.headerRow && input.headerRow > 1)
    notes.unshift({
      field: 'headerRow',
      text: `de kolomnamen staan in rij ${input.headerRow}; de rijen erboven slaat Grip over`,
    });
  return { mapping, notes, missing };
}
