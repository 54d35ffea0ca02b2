/**
 * Test fixtures: small iJw 3.2 messages built with xmlbuilder2 from a compact description, so tests state
 * their inputs as data and the expected figures can be computed by hand.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create } from 'xmlbuilder2';
import { NS_BASE, header } from '../../generate/xml.js';
import { freshWarehouse, type Engine } from '../../warehouse/testing/engines.js';
import { importPaths, type ImportSummary } from '../importer.js';
import { makePseudonymiser } from '../pseudonymise.js';
import { makeXsdValidator } from '../xsd.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

const ns = (t: string) => `http://www.istandaarden.nl/ijw/3_2/${t.toLowerCase()}/schema`;

export interface LineSpec {
  bsn: string;
  ref: string;
  prevRef?: string;
  allocation?: string;
  category?: string;
  product?: string;
  month: string; // YYYY-MM production month
  volume?: number;
  unit?: string;
  tariff?: number;
  amount: number; // cents, unsigned
  dc?: 'D' | 'C';
}

export interface Jw323Spec {
  provider?: string;
  municipality?: string;
  declarationNumber: string;
  declarationDate: string;
  periodMonth: string;
  messageId?: string;
  total?: number; // override the header total (for mismatch tests)
  lines: LineSpec[];
}

const lastDay = (m: string) => {
  const [y, mo] = [Number(m.slice(0, 4)), Number(m.slice(5, 7))];
  return `${m}-${String(new Date(Date.UTC(y, mo, 0)).getUTCDate()).padStart(2, '0')}`;
};

export function jw323Xml(s: Jw323Spec): string {
  const p = 'jw323';
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(ns('JW323'), `${p}:Bericht`, { 'xmlns:ijw': NS_BASE });
  header(
    root,
    p,
    '490',
    s.provider ?? '12345678',
    s.municipality ?? '0482',
    s.messageId ?? s.declarationNumber,
    s.declarationDate,
  );
  const d = root.ele(`${p}:Declaratie`);
  d.ele(`${p}:DeclaratieNummer`).txt(s.declarationNumber);
  const dp = d.ele(`${p}:DeclaratiePeriode`);
  dp.ele('ijw:Begindatum').txt(`${s.periodMonth}-01`);
  dp.ele('ijw:Einddatum').txt(lastDay(s.periodMonth));
  d.ele(`${p}:DeclaratieDagtekening`).txt(s.declarationDate);
  const net = s.lines.reduce((t, l) => t + (l.dc === 'C' ? -l.amount : l.amount), 0);
  const total = s.total ?? net;
  const tb = d.ele(`${p}:TotaalIngediendBedrag`);
  tb.ele('ijw:TotaalBedrag').txt(String(Math.abs(total)));
  tb.ele('ijw:DebetCredit').txt(total < 0 ? 'C' : 'D');
  const clients = d.ele(`${p}:Clienten`);
  const byClient = new Map<string, LineSpec[]>();
  for (const l of s.lines) byClient.set(l.bsn, [...(byClient.get(l.bsn) ?? []), l]);
  for (const [bsn, lines] of byClient) {
    const c = clients.ele(`${p}:Client`);
    c.ele(`${p}:Bsn`).txt(bsn);
    const ps = c.ele(`${p}:Prestaties`);
    for (const l of lines) {
      const pr = ps.ele(`${p}:Prestatie`);
      const rf = pr.ele(`${p}:ProductReferentie`);
      rf.ele('ijw:ReferentieNummer').txt(l.ref);
      if (l.prevRef) rf.ele('ijw:VorigReferentieNummer').txt(l.prevRef);
      pr.ele(`${p}:ToewijzingNummer`).txt(l.allocation ?? '1001');
      pr.ele(`${p}:ProductCategorie`).txt(l.category ?? '45');
      pr.ele(`${p}:ProductCode`).txt(l.product ?? '45A03');
      const pp = pr.ele(`${p}:ProductPeriode`);
      pp.ele('ijw:Begindatum').txt(`${l.month}-01`);
      pp.ele('ijw:Einddatum').txt(lastDay(l.month));
      pr.ele(`${p}:GeleverdVolume`).txt(String(l.volume ?? 1));
      pr.ele(`${p}:Eenheid`).txt(l.unit ?? '04');
      pr.ele(`${p}:ProductTarief`).txt(String(l.tariff ?? l.amount));
      const ib = pr.ele(`${p}:IngediendBedrag`);
      ib.ele('ijw:Bedrag').txt(String(l.amount));
      ib.ele('ijw:DebetCredit').txt(l.dc ?? 'D');
    }
  }
  return doc.end({ prettyPrint: true });
}

export interface AllocationSpec {
  provider?: string;
  municipality?: string;
  bsn: string;
  allocation: string;
  providerReference?: string;
  category?: string;
  product?: string;
  start: string;
  end?: string;
  date?: string;
  /** Relations (Client/Relaties): kind is COD472 (default 10 Ouder); number is the Relatie/Nummer. */
  relations?: { number: string; kind?: string; birth?: string; surname: string; prefix?: string }[];
  /** Omvang: volume per frequency (WMO757: 1 dag, 2 week, 4 maand, 6 totale looptijd) in a unit (WJ756). */
  size?: { volume: number; unit: string; frequency: string };
}

export function jw301Xml(s: AllocationSpec): string {
  const p = 'jw301';
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(ns('JW301'), `${p}:Bericht`, { 'xmlns:ijw': NS_BASE });
  header(root, p, '436', s.municipality ?? '0482', s.provider ?? '12345678', `A${s.allocation}`, s.date ?? s.start);
  const c = root.ele(`${p}:Client`);
  c.ele(`${p}:Bsn`).txt(s.bsn);
  c.ele(`${p}:Geboortedatum`).ele('ijw:Datum').txt('2012-05-01');
  c.ele(`${p}:Geslacht`).txt('2');
  const n = c.ele(`${p}:Naam`);
  n.ele('ijw:Geslachtsnaam').ele('ijw:Achternaam').txt('Test');
  n.ele('ijw:Voorletters').txt('T');
  n.ele('ijw:NaamGebruik').txt('1');
  if (s.relations?.length) {
    const rs = c.ele(`${p}:Relaties`);
    for (const r of s.relations) {
      const re = rs.ele(`${p}:Relatie`);
      re.ele(`${p}:Nummer`).txt(r.number);
      re.ele(`${p}:Soort`).txt(r.kind ?? '10');
      if (r.birth) re.ele(`${p}:Geboortedatum`).ele('ijw:Datum').txt(r.birth);
      const rn = re.ele(`${p}:Naam`);
      const g = rn.ele('ijw:Geslachtsnaam');
      g.ele('ijw:Achternaam').txt(r.surname);
      if (r.prefix) g.ele('ijw:Voorvoegsel').txt(r.prefix);
      rn.ele('ijw:NaamGebruik').txt('1');
      re.ele(`${p}:Contact`).ele(`${p}:Soort`).txt('01');
    }
  }
  const cg = c.ele(`${p}:Contactgegevens`).ele(`${p}:Contact`);
  cg.ele(`${p}:Soort`).txt('01');
  const a = cg.ele(`${p}:Adres`);
  a.ele('ijw:Huis').ele('ijw:Huisnummer').txt('1');
  a.ele('ijw:Postcode').txt('9999XX');
  a.ele('ijw:Straatnaam').txt('Teststraat');
  a.ele('ijw:Plaatsnaam').txt('Alblasserdam');
  a.ele('ijw:LandCode').txt('NL');
  const tp = c.ele(`${p}:ToegewezenProducten`).ele(`${p}:ToegewezenProduct`);
  tp.ele(`${p}:ToewijzingNummer`).txt(s.allocation);
  if (s.providerReference) tp.ele(`${p}:ReferentieAanbieder`).txt(s.providerReference);
  const pr = tp.ele(`${p}:Product`);
  pr.ele('ijw:Categorie').txt(s.category ?? '45');
  pr.ele('ijw:Code').txt(s.product ?? '45A03');
  tp.ele(`${p}:Toewijzingsdatum`).txt(s.date ?? s.start);
  tp.ele(`${p}:Toewijzingstijd`).txt('12:00:00');
  tp.ele(`${p}:Ingangsdatum`).txt(s.start);
  if (s.end) tp.ele(`${p}:Einddatum`).txt(s.end);
  if (s.size) {
    const o = tp.ele(`${p}:Omvang`);
    o.ele('ijw:Volume').txt(String(s.size.volume));
    o.ele('ijw:Eenheid').txt(s.size.unit);
    o.ele('ijw:Frequentie').txt(s.size.frequency);
  }
  return doc.end({ prettyPrint: true });
}

export function jw315Xml(s: {
  provider?: string;
  municipality?: string;
  bsn: string;
  providerReference: string;
  referrer: string;
  start: string;
}): string {
  const p = 'jw315';
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(ns('JW315'), `${p}:Bericht`, { 'xmlns:ijw': NS_BASE });
  header(root, p, '446', s.provider ?? '12345678', s.municipality ?? '0482', `R${s.providerReference}`, s.start);
  const c = root.ele(`${p}:Client`);
  c.ele(`${p}:Bsn`).txt(s.bsn);
  c.ele(`${p}:Geboortedatum`).ele('ijw:Datum').txt('2012-05-01');
  c.ele(`${p}:Geslacht`).txt('2');
  const n = c.ele(`${p}:Naam`);
  n.ele('ijw:Geslachtsnaam').ele('ijw:Achternaam').txt('Test');
  n.ele('ijw:Voorletters').txt('T');
  c.ele(`${p}:GezagsdragerBekend`).txt('1');
  const ap = c.ele(`${p}:AangevraagdeProducten`).ele(`${p}:AangevraagdProduct`);
  ap.ele(`${p}:ReferentieAanbieder`).txt(s.providerReference);
  const pr = ap.ele(`${p}:Product`);
  pr.ele('ijw:Categorie').txt('45');
  pr.ele('ijw:Code').txt('45A03');
  ap.ele(`${p}:ToewijzingIngangsdatum`).txt(s.start);
  ap.ele(`${p}:Verwijzer`).ele('ijw:Type').txt(s.referrer);
  ap.ele(`${p}:Raamcontract`).txt('2');
  return doc.end({ prettyPrint: true });
}

/**
 * The project's own hand-written iJw 3.2 test messages (messages/: JW323, its JW325 answer, a JW315 with a
 * day that does not exist, a JW301 with non-parent relations). Each file's opening comment gives its hand sums.
 */
export const TEST_MESSAGES = fileURLToPath(new URL('./messages/', import.meta.url));

export function tempDir(prefix = 'grip-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFile(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

export const TEST_KEY = Buffer.alloc(32, 42);

/** A fresh warehouse for a test: DuckDB (in memory or at `path`) unless another engine is asked for. */
export async function openTestWarehouse(path = ':memory:', engine: Engine = 'duckdb'): Promise<Warehouse> {
  return freshWarehouse(engine, path);
}

export async function importInto(w: Warehouse, paths: string[]): Promise<ImportSummary> {
  return importPaths(paths, { warehouse: w, pseudonymise: makePseudonymiser(TEST_KEY), xsd: makeXsdValidator() });
}
