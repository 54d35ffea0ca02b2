/**
 * iJw 3.2 message readers: JW301, JW305, JW307, JW315, JW323, JW325 → warehouse rows.
 * Each reader streams the file once, pseudonymises every BSN as it is read, and applies the checks Grip
 * relies on (BSN 11-proef, valid dates, known codes, header total = sum of lines). A failed check throws a
 * GripError naming file, line and element: the caller rejects the whole file.
 */
import { GripError } from '../../domain/errors.js';
import { isIsoDate } from '../../domain/month.js';
import { parseCents, signed } from '../../domain/money.js';
import { ACCEPTING_RETURN_CODES, cbsMunicipality, isKnownCategory, isKnownReferrer, isKnownUnit, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import type { Pseudonymiser } from '../pseudonymise.js';
import { familyKey, parentIdentity, type RelationFields } from '../family.js';
import type {
  AllocationRow,
  CareEventRow,
  DeclarationAnswerRow,
  DeclarationLineRow,
  FileCounts,
  MessageType,
  RequestRow,
  RowSink,
  SourceFileMeta,
} from '../../warehouse/warehouse.js';
import { streamXml } from './stream.js';
import { StreamValidator } from '../schema/validator.js';
import { IJW32_SCHEMA } from '../schema/ijw32.generated.js';

export const IJW_NAMESPACES: Readonly<Record<string, MessageType>> = {
  'http://www.istandaarden.nl/ijw/3_2/jw301/schema': 'JW301',
  'http://www.istandaarden.nl/ijw/3_2/jw305/schema': 'JW305',
  'http://www.istandaarden.nl/ijw/3_2/jw307/schema': 'JW307',
  'http://www.istandaarden.nl/ijw/3_2/jw315/schema': 'JW315',
  'http://www.istandaarden.nl/ijw/3_2/jw323/schema': 'JW323',
  'http://www.istandaarden.nl/ijw/3_2/jw325/schema': 'JW325',
};

/** Messages sent by the municipality (its code is the sender); the others are sent by the provider. */
const SENT_BY_MUNICIPALITY = new Set<MessageType>(['JW301', 'JW325']);

type Fields = Record<string, string>;

interface Ctx {
  file: string;
  pseudonymise: Pseudonymiser;
}

function err(ctx: Ctx, line: number, element: string, code: string, message: string): GripError {
  return new GripError(code, message, { file: ctx.file, line, element });
}

function req(ctx: Ctx, f: Fields, key: string, line: number): string {
  const v = f[key];
  if (v === undefined || v === '') throw err(ctx, line, key, 'ELEMENT_MISSING', `required element ${key} is missing`);
  return v;
}

function date(ctx: Ctx, f: Fields, key: string, line: number, optional = false): string | null {
  const v = f[key];
  if (v === undefined || v === '') {
    if (optional) return null;
    throw err(ctx, line, key, 'ELEMENT_MISSING', `required date ${key} is missing`);
  }
  if (!isIsoDate(v)) throw err(ctx, line, key, 'DATE_INVALID', `"${v}" is not a valid date`);
  return v;
}

function cents(ctx: Ctx, f: Fields, key: string, line: number): number {
  try {
    return parseCents(req(ctx, f, key, line), key);
  } catch (e) {
    if (e instanceof GripError) throw e;
    throw err(ctx, line, key, 'AMOUNT_INVALID', (e as Error).message);
  }
}

function debitCredit(ctx: Ctx, f: Fields, key: string, line: number): 'D' | 'C' {
  const v = req(ctx, f, key, line);
  if (v !== 'D' && v !== 'C') throw err(ctx, line, key, 'CODE_UNKNOWN', `DebetCredit "${v}" is not in COD043 (D or C)`);
  return v;
}

function category(ctx: Ctx, v: string | undefined, line: number, element: string, optional = false): string | null {
  if (v === undefined || v === '') {
    if (optional) return null;
    throw err(ctx, line, element, 'ELEMENT_MISSING', `required element ${element} is missing`);
  }
  if (!isKnownCategory(v)) throw err(ctx, line, element, 'CODE_UNKNOWN', `product category "${v}" is not in JZ020`);
  return v;
}

function unit(ctx: Ctx, v: string | undefined, line: number, element: string): string {
  if (!v) throw err(ctx, line, element, 'ELEMENT_MISSING', `required element ${element} is missing`);
  if (!isKnownUnit(v)) throw err(ctx, line, element, 'CODE_UNKNOWN', `unit "${v}" is not in WJ756`);
  return v;
}

function client(ctx: Ctx, bsn: string | undefined, line: number): string {
  if (!bsn) throw err(ctx, line, 'Bsn', 'ELEMENT_MISSING', 'required element Bsn is missing');
  try {
    return ctx.pseudonymise(bsn);
  } catch (e) {
    throw err(ctx, line, 'Bsn', 'BSN_INVALID', (e as Error).message);
  }
}

function municipality(ctx: Ctx, v: string, line: number, element: string): string {
  const code = /^\d{4}$/.test(v) ? normaliseMunicipalityCode(v) : null;
  if (!code) throw err(ctx, line, element, 'MUNICIPALITY_INVALID', `"${v}" is not a 4-digit CBS municipality code`);
  if (!cbsMunicipality(code)) throw err(ctx, line, element, 'MUNICIPALITY_UNKNOWN', `"${v}" is not a municipality in the CBS list`);
  return code;
}

/** Collects leaf values of the element currently being read, keyed by local name (or `Parent/Leaf`). */
class Record_ {
  fields: Fields = {};
  line = 0;
  codes: string[] = [];
  reset(line: number) {
    this.fields = {};
    this.line = line;
    this.codes = [];
  }
}

/** Reads any of the six message types, streaming its rows into `sink`. */
export async function readIjwFile(
  path: string,
  displayName: string,
  base: Pick<SourceFileMeta, 'sha256' | 'sizeBytes'>,
  pseudonymise: Pseudonymiser,
  sink: RowSink,
  afterChunk?: () => Promise<void>,
  /**
   * Validate against the iJw 3.2 XSDs while streaming (default: yes); `expect` restricts the root to one
   * message type (the one the importer sniffed).
   */
  schema: { validate: boolean; expect?: MessageType } = { validate: true },
): Promise<{ meta: SourceFileMeta; counts: FileCounts }> {
  const ctx: Ctx = { file: displayName, pseudonymise };
  const validator = schema.validate ? new StreamValidator(IJW32_SCHEMA, schema.expect) : null;
  let type: MessageType | null = null;
  const header: Fields = {};
  const counts: FileCounts = { lines: 0, totalCents: 0 };
  const out = {
    meta: {
      name: displayName,
      path,
      sha256: base.sha256,
      sizeBytes: base.sizeBytes,
      messageType: 'JW323',
      sender: '',
      receiver: '',
      messageId: '',
      messageDate: null,
    } as SourceFileMeta,
  };

  let muni = '';
  let provider = '';
  const cl = new Record_(); // current client
  const item = new Record_(); // current line/product
  const decl = new Record_(); // current declaration (JW323/JW325)
  let declTotalLine = 0;
  let declSum = 0;
  let seq = 0;
  // JW301 relations of the current client: the parents' pseudonymous identities (see ingest/family.ts).
  let parents: string[] = [];
  let rel: RelationFields = {};

  // How many elements of these names are open (the path's ancestors, and the element itself while it closes).
  const open = { item: 0, relaties: 0, contact: 0, contactgegevens: 0, naam: 0, client: 0 };
  const track = (name: string | undefined, by: 1 | -1) => {
    switch (name) {
      case 'Prestatie':
      case 'ToegewezenProduct':
      case 'StartProduct':
      case 'StopProduct':
      case 'AangevraagdProduct':
        open.item += by;
        break;
      case 'Relaties':
        open.relaties += by;
        break;
      case 'Contact':
        open.contact += by;
        break;
      case 'Contactgegevens':
        open.contactgegevens += by;
        break;
      case 'Naam':
        open.naam += by;
        break;
      case 'Client':
        open.client += by;
        break;
    }
  };

  const finishHeader = (line: number) => {
    const sender = req(ctx, header, 'Afzender', line);
    const receiver = req(ctx, header, 'Ontvanger', line);
    out.meta.sender = sender;
    out.meta.receiver = receiver;
    out.meta.messageId = req(ctx, header, 'Identificatie', line);
    out.meta.messageDate = date(ctx, header, 'Dagtekening', line);
    if (SENT_BY_MUNICIPALITY.has(type!)) {
      muni = municipality(ctx, sender, line, 'Afzender');
      provider = receiver;
    } else {
      muni = municipality(ctx, receiver, line, 'Ontvanger');
      provider = sender;
    }
  };

  const closeDeclaration = (line: number) => {
    if (type !== 'JW323') return;
    const total = signed(cents(ctx, decl.fields, 'TotaalBedrag', declTotalLine || line), debitCredit(ctx, decl.fields, 'DebetCredit', declTotalLine || line));
    if (total !== declSum) {
      throw err(
        ctx,
        declTotalLine || decl.line,
        'TotaalIngediendBedrag',
        'TOTAL_MISMATCH',
        `header total ${total} cents differs from the sum of the lines ${declSum} cents (declaration ${decl.fields.DeclaratieNummer ?? '?'})`,
      );
    }
  };

  await streamXml(path, displayName, {
    root(name, prefix, attrs) {
      const ns = attrs[prefix ? `xmlns:${prefix}` : 'xmlns'];
      type = ns ? (IJW_NAMESPACES[ns] ?? null) : null;
      if (name !== 'Bericht' || !type) {
        throw new GripError(
          'MESSAGE_UNKNOWN',
          `root element <${prefix ? prefix + ':' : ''}${name}> in namespace "${ns ?? '(none)'}" is not an iJw 3.2 message Grip reads (JW301, JW305, JW307, JW315, JW323, JW325)`,
          { file: displayName, line: 1, element: name },
        );
      }
      out.meta.messageType = type;
    },
    open(p, line) {
      const name = p[p.length - 1];
      track(name, 1);
      switch (name) {
        case 'Client':
          if (p.length === 2 || p[p.length - 2] === 'Clienten') {
            cl.reset(line);
            parents = [];
          }
          break;
        case 'Relatie':
          rel = {};
          break;
        case 'Prestatie':
        case 'ToegewezenProduct':
        case 'StartProduct':
        case 'StopProduct':
        case 'AangevraagdProduct':
          item.reset(line);
          break;
        case 'Declaratie':
        case 'DeclaratieAntwoord':
          decl.reset(line);
          declSum = 0;
          declTotalLine = 0;
          break;
        case 'TotaalIngediendBedrag':
          if (p[p.length - 2] === 'Declaratie') declTotalLine = line;
          break;
      }
    },
    close(p, text, line) {
      try {
        closeElement(p, text, line);
      } finally {
        track(p[p.length - 1], -1);
      }
    },
  }, afterChunk, { validator, schemaName: () => `${validator?.message ?? schema.expect ?? 'the iJw 3.2'}.xsd` });
  if (!type) throw new GripError('MESSAGE_UNKNOWN', 'not an iJw message', { file: displayName });
  counts.lines = seq;
  return { meta: out.meta, counts };

  function closeElement(p: readonly string[], text: string, line: number): void {
      const depth = p.length;
      const name = p[depth - 1];
      const parent = p[depth - 2];
      if (p[1] === 'Header') {
        if (name === 'Header') finishHeader(line);
        else if (depth >= 3 && (parent === 'Header' || parent === 'BerichtIdentificatie')) header[name] = text;
        return;
      }
      // Leaf values: store under the local name and under Parent/Name for ambiguous ones.
      const inItem = open.item > 0;
      if (name === 'RetourCode') {
        if (inItem) item.codes.push(text);
        return;
      }
      if (open.relaties > 0) {
        // Only what identifies a parent is read (and only kept as a keyed hash); contact data never.
        if (type === 'JW301' && open.contact === 0) {
          if (name === 'Relatie') {
            const id = parentIdentity(rel, ctx.pseudonymise);
            if (id && !parents.includes(id)) parents.push(id);
          } else if (text !== '') rel[`${parent}/${name}`] = text;
        }
        return;
      }
      if (open.contactgegevens > 0 || open.naam > 0) return;
      if (text !== '') {
        const target = inItem ? item : open.client > 0 ? cl : decl;
        target.fields[name] = text;
        target.fields[`${parent}/${name}`] = text;
      }
      switch (name) {
        case 'Prestatie':
          if (type === 'JW323') {
            const f = item.fields;
            const dc = debitCredit(ctx, f, 'DebetCredit', item.line);
            const amount = signed(cents(ctx, f, 'Bedrag', item.line), dc);
            const periodStart = date(ctx, f, 'ProductPeriode/Begindatum', item.line)!;
            const periodEnd = date(ctx, f, 'ProductPeriode/Einddatum', item.line, true) ?? periodStart;
            const tariff = f.ProductTarief ? cents(ctx, f, 'ProductTarief', item.line) : null;
            const volume = Number(req(ctx, f, 'GeleverdVolume', item.line));
            if (!Number.isInteger(volume)) throw err(ctx, item.line, 'GeleverdVolume', 'VOLUME_INVALID', `GeleverdVolume "${f.GeleverdVolume}" is not a whole number`);
            declSum += amount;
            const row: DeclarationLineRow = {
              seq: ++seq,
              sourceLine: item.line,
              municipality: muni,
              provider,
              client: client(ctx, cl.fields.Bsn, cl.line),
              declarationNumber: req(ctx, decl.fields, 'DeclaratieNummer', decl.line),
              declarationDate: date(ctx, decl.fields, 'DeclaratieDagtekening', decl.line)!,
              declarationPeriodStart: date(ctx, decl.fields, 'DeclaratiePeriode/Begindatum', decl.line, true),
              referenceNumber: req(ctx, f, 'ReferentieNummer', item.line),
              previousReferenceNumber: f.VorigReferentieNummer ?? null,
              allocationNumber: f.ToewijzingNummer ?? null,
              category: category(ctx, f.ProductCategorie, item.line, 'ProductCategorie')!,
              productCode: f.ProductCode ?? null,
              periodStart,
              periodEnd,
              volume,
              unit: unit(ctx, f.Eenheid, item.line, 'Eenheid'),
              tariffCents: tariff,
              amountCents: amount,
              debitCredit: dc,
              referrer: null,
              family: null,
            };
            if (periodEnd < periodStart) throw err(ctx, item.line, 'ProductPeriode', 'PERIOD_INVALID', `ProductPeriode ends (${periodEnd}) before it begins (${periodStart})`);
            sink.declarationLine(row);
            counts.totalCents += amount;
          } else if (type === 'JW325') {
            const f = item.fields;
            const dc = (f.DebetCredit === 'C' ? 'C' : 'D') as 'D' | 'C';
            const row: DeclarationAnswerRow = {
              seq: ++seq,
              sourceLine: item.line,
              municipality: muni,
              provider,
              client: client(ctx, cl.fields.Bsn, cl.line),
              declarationNumber: req(ctx, decl.fields, 'DeclaratieNummer', decl.line),
              referenceNumber: req(ctx, f, 'ReferentieNummer', item.line),
              amountCents: f.Bedrag ? signed(cents(ctx, f, 'Bedrag', item.line), dc) : 0,
              returnCodes: item.codes.slice(),
              accepted: item.codes.every((c) => ACCEPTING_RETURN_CODES.has(c)),
              answerDate: out.meta.messageDate,
            };
            sink.answer(row);
          }
          break;
        case 'ToegewezenProduct': {
          const f = item.fields;
          const row: AllocationRow = {
            seq: ++seq,
            sourceLine: item.line,
            municipality: muni,
            provider,
            client: client(ctx, cl.fields.Bsn, cl.line),
            birthYear: cl.fields['Geboortedatum/Datum'] ? Number(cl.fields['Geboortedatum/Datum'].slice(0, 4)) : null,
            allocationNumber: req(ctx, f, 'ToewijzingNummer', item.line),
            providerReference: f.ReferentieAanbieder ?? null,
            category: category(ctx, f['Product/Categorie'], item.line, 'Categorie')!,
            productCode: f['Product/Code'] ?? null,
            allocationDate: date(ctx, f, 'Toewijzingsdatum', item.line)!,
            startDate: date(ctx, f, 'Ingangsdatum', item.line)!,
            endDate: date(ctx, f, 'Einddatum', item.line, true),
            volume: f['Omvang/Volume'] ? Number(f['Omvang/Volume']) : null,
            unit: f['Omvang/Eenheid'] ? unit(ctx, f['Omvang/Eenheid'], item.line, 'Eenheid') : null,
            frequency: f['Omvang/Frequentie'] ?? null,
            budgetCents: f.Budget ? cents(ctx, f, 'Budget', item.line) : null,
            family: familyKey(parents),
          };
          sink.allocation(row);
          break;
        }
        case 'StartProduct':
        case 'StopProduct': {
          const f = item.fields;
          const stop = name === 'StopProduct';
          const row: CareEventRow = {
            seq: ++seq,
            sourceLine: item.line,
            kind: stop ? 'stop' : 'start',
            municipality: muni,
            provider,
            client: client(ctx, cl.fields.Bsn, cl.line),
            allocationNumber: req(ctx, f, 'ToewijzingNummer', item.line),
            category: category(ctx, f['Product/Categorie'], item.line, 'Categorie', true),
            productCode: f['Product/Code'] ?? null,
            date: stop ? date(ctx, f, 'Einddatum', item.line)! : date(ctx, f, 'Begindatum', item.line)!,
            reason: f.RedenBeeindiging ?? null,
            status: f.StatusAanlevering ?? null,
          };
          sink.careEvent(row);
          break;
        }
        case 'AangevraagdProduct': {
          const f = item.fields;
          const referrer = req(ctx, f, 'Verwijzer/Type', item.line);
          if (!isKnownReferrer(referrer)) throw err(ctx, item.line, 'Type', 'CODE_UNKNOWN', `referrer type "${referrer}" is not in COD327`);
          const row: RequestRow = {
            seq: ++seq,
            sourceLine: item.line,
            municipality: muni,
            provider,
            client: client(ctx, cl.fields.Bsn, cl.line),
            providerReference: req(ctx, f, 'ReferentieAanbieder', item.line),
            category: category(ctx, f['Product/Categorie'], item.line, 'Categorie', true),
            productCode: f['Product/Code'] ?? null,
            referrerType: referrer,
            startDate: date(ctx, f, 'ToewijzingIngangsdatum', item.line, true),
            endDate: date(ctx, f, 'ToewijzingEinddatum', item.line, true),
          };
          sink.request(row);
          break;
        }
        case 'Declaratie':
          closeDeclaration(line);
          break;
        case 'DeclaratiePeriode': {
          // The standard: a period's end date is not before its begin date.
          const begin = decl.fields['DeclaratiePeriode/Begindatum'];
          const end = decl.fields['DeclaratiePeriode/Einddatum'];
          if (begin && end && end < begin) throw err(ctx, line, 'DeclaratiePeriode', 'PERIOD_INVALID', `DeclaratiePeriode ends (${end}) before it begins (${begin})`);
          break;
        }
        case 'Client':
          if (p.length === 2 || parent === 'Clienten') cl.reset(line);
          break;
      }
  }
}

