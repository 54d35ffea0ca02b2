/** Code lists from the iJw 3.2 standard that Grip relies on, and the region's reference data. */
import cbs from './cbs-municipalities.json' with { type: 'json' };

/** JZ020 product categories. */
export const PRODUCT_CATEGORIES: Readonly<Record<string, string>> = {
  '31': 'Wijk- of buurtteam (2015)',
  '32': 'Ambulant op locatie aanbieder (2015)',
  '33': 'Daghulp op locatie aanbieder (2015)',
  '34': 'Jeugdhulp in het netwerk (2015)',
  '35': 'Pleegzorg (2015)',
  '36': 'Gezinsgericht verblijf (2015)',
  '37': 'Gesloten plaatsing (2015)',
  '38': 'Overig residentieel (2015)',
  '40': 'Persoonlijke verzorging',
  '41': 'Dagbehandeling',
  '42': 'Vervoerdiensten',
  '43': 'Jeugdhulp verblijf (incl. behandeling)',
  '44': 'Jeugdhulp verblijf (excl. behandeling)',
  '45': 'Jeugdhulp ambulant',
  '46': 'Jeugdhulp crisis',
  '47': 'Jeugdreclassering',
  '48': 'Jeugdbescherming',
  '49': 'Preventief justitieel kader',
  '50': 'Maatwerkarrangementen jeugd',
  '51': 'Generalistische basis-ggz',
  '52': 'Specialistische ggz',
  '53': 'Kindergeneeskunde',
  '54': 'Jeugd-ggz',
  '55': 'Landelijk ingekochte zorg',
};

/** WJ756 units. */
export const UNITS: Readonly<Record<string, string>> = {
  '01': 'minuut',
  '04': 'uur',
  '14': 'etmaal',
  '16': 'dagdeel',
  '82': 'stuks (inspanning)',
  '83': 'euro',
  '84': 'stuks (output)',
};

/** COD327 referrer types, plus Grip's own `onbekend` for lines whose allocation is unknown. */
export const REFERRERS: Readonly<Record<string, string>> = {
  '01': 'Gemeente',
  '02': 'Huisarts',
  '03': 'Jeugdarts',
  '04': 'Gecertificeerde instelling',
  '05': 'Medisch specialist',
  '06': 'Zelfverwijzer / geen verwijzer',
  '08': 'Rechter / OvJ / JJI-functionaris',
  onbekend: 'Onbekend',
};
export const REFERRER_UNKNOWN = 'onbekend';
export const REFERRER_MUNICIPALITY = '01';

/** COD043 debit/credit. */
export const DEBIT_CREDIT: Readonly<Record<string, string>> = { D: 'Debet', C: 'Credit' };

/** JZ588 reasons for ending care. */
export const END_REASONS: Readonly<Record<string, string>> = {
  '02': 'Overlijden',
  '20': 'Levering is tijdelijk beëindigd',
  '31': 'Levering is volgens plan beëindigd',
  '32': 'Voortijdig afgesloten, door cliënt',
  '33': 'Voortijdig afgesloten, door aanbieder',
  '34': 'Voortijdig afgesloten, in overleg',
  '35': 'Voortijdig afgesloten, externe oorzaak',
  '36': 'Geïnitieerd door de gemeente',
  '37': 'In verband met wijzigingsverzoek',
  '38': 'Overstap naar andere aanbieder',
  '39': 'Uitstroom naar ander domein',
};

/** WJ001 return codes in a JW325 that mean a line was accepted; any other code means rejected. */
export const ACCEPTING_RETURN_CODES: ReadonlySet<string> = new Set(['0200', '8001', '0233']);

export const isKnownCategory = (c: string): boolean => c in PRODUCT_CATEGORIES;
export const isKnownUnit = (u: string): boolean => u in UNITS;
export const isKnownReferrer = (r: string): boolean => r in REFERRERS && r !== REFERRER_UNKNOWN;

/** Category groups used for forecasts and reports. */
export function categoryGroup(category: string): string {
  if (['43', '44', '35', '36', '37', '38'].includes(category)) return 'verblijf';
  if (['47', '48', '49'].includes(category)) return 'jeugdbescherming/-reclassering';
  if (['51', '52', '54'].includes(category)) return 'ggz';
  if (category === '46') return 'crisis';
  return 'ambulant en overig';
}

export interface CbsMunicipality {
  code: string;
  name: string;
  province: string;
}
const CBS: ReadonlyMap<string, CbsMunicipality> = new Map((cbs as CbsMunicipality[]).map((m) => [m.code, m]));
/** The 4-digit codes of the CBS municipality list. */
export const CBS_MUNICIPALITY_CODES: ReadonlySet<string> = new Set(CBS.keys());

/** Normalises `GM0482`, `482` or `0482` to the 4-digit code; null if not a CBS municipality code form. */
export function normaliseMunicipalityCode(input: string): string | null {
  const s = input.trim().toUpperCase().replace(/^GM/, '');
  if (!/^\d{1,4}$/.test(s)) return null;
  return s.padStart(4, '0');
}

export function cbsMunicipality(code: string): CbsMunicipality | undefined {
  return CBS.get(code);
}

export interface RegionMunicipality {
  code: string;
  name: string;
  inhabitants: number;
  youths: number;
  /** True while the figures are the approximate defaults, not loaded from CBS StatLine. */
  approximate: boolean;
}

/**
 * The ten Zuid-Holland Zuid municipalities. Inhabitants are the approximate early-2020s figures from
 * the domain brief; youths 0–17 are estimated at 21.5% of inhabitants (the brief says 20–23%).
 * Editable reference data: `grip municipalities import FILE.csv` replaces them.
 */
const ZHZ_INHABITANTS: ReadonlyArray<[string, number]> = [
  ['0482', 20_800],
  ['0505', 121_000],
  ['0512', 38_000],
  ['0523', 18_700],
  ['0531', 32_000],
  ['1963', 89_000],
  ['1978', 45_000],
  ['0590', 32_400],
  ['0610', 26_000],
  ['0642', 45_000],
];
export const DEFAULT_YOUTH_SHARE_PERMILLE = 215;

export const ZHZ_MUNICIPALITIES: readonly RegionMunicipality[] = ZHZ_INHABITANTS.map(([code, inhabitants]) => ({
  code,
  name: CBS.get(code)!.name,
  inhabitants,
  youths: Math.round((inhabitants * DEFAULT_YOUTH_SHARE_PERMILLE) / 1000),
  approximate: true,
}));
