/**
 * The iJw 3.2 message reader: streams a file once, validates it against the XSDs in the same pass, tracks
 * the header, client, declaration and item being read, and hands each closed item element to its message
 * type's builder (message-types.ts), which checks it and writes one row to the sink. BSNs are pseudonymised as
 * they are read. A failed check throws a GripError naming file, line and element: the caller rejects the
 * whole file.
 */
import { GripError } from '../../domain/errors.js';
import { signed } from '../../domain/money.js';
import type { Pseudonymiser } from '../pseudonymise.js';
import { familyKey, parentIdentity, type RelationFields } from '../family.js';
import type { FileCounts, MessageType, RowSink, RowTable, SourceFileMeta } from '../../warehouse/warehouse.js';
import { streamXml } from './stream.js';
import { StreamValidator } from '../schema/validator.js';
import { IJW32_SCHEMA } from '../schema/ijw32.generated.js';
import {
  Fields,
  QUALIFIED_PARENTS,
  cents,
  client,
  date,
  debitCredit,
  err,
  municipality,
  req,
  type Ctx,
} from './fields.js';
import { ITEM_ELEMENTS, MESSAGE_TYPES, messageSpec, type ItemContext, type MessageSpec } from './message-types.js';

export { IJW_NAMESPACES } from './message-types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Collects leaf values of the element currently being read, keyed by local name (or `Parent/Leaf`). */
class Record_ {
  readonly fields = new Fields();
  line = 0;
  codes: string[] = [];
  reset(line: number) {
    this.fields.clear();
    this.line = line;
    if (this.codes.length > 0) this.codes = [];
  }
}

/** At most this many `Parent/Name` keys are kept (a file of ever new names must not grow the cache without bound). */
const MAX_PAIR_KEYS = 8192;
const pairKeys = new Map<string, Map<string, string>>();
let pairKeyCount = 0;
/**
 * The `Parent/Name` key of a leaf, made once per pair of names rather than once per element (the names come
 * interned from the stream reader, so both lookups hit strings whose hash is known).
 */
function pairKey(parent: string, name: string): string {
  let byName = pairKeys.get(parent);
  if (byName === undefined) {
    byName = new Map();
    if (pairKeyCount < MAX_PAIR_KEYS && parent.length <= 128) pairKeys.set(parent, byName);
  }
  let key = byName.get(name);
  if (key === undefined) {
    key = `${parent}/${name}`;
    // Long names (up to the stream's MAX_RUN) are not kept: the cache is for the standard's short names.
    if (pairKeyCount < MAX_PAIR_KEYS && key.length <= 256) {
      byName.set(name, key);
      pairKeyCount++;
    }
  }
  return key;
}

/**
 * What readIjwFile needs to know of an element name, as bits: one look-up per name and thread (by the stream's
 * localNameId) instead of several Map look-ups per element.
 */
const K_ITEM = 1; // an item element of some message type (its open instances are counted)
const K_RELATIES = 2;
const K_CONTACT = 4;
const K_CONTACTGEGEVENS = 8;
const K_NAAM = 16;
const K_CLIENT = 32;
const K_QUALIFIED_PARENT = 64; // its leaves are also kept as Parent/Name
const K_RELATIE = 128;
const K_DECLARATIE = 256; // Declaratie or DeclaratieAntwoord
const K_TOTAAL = 512; // TotaalIngediendBedrag
/** The names whose open instances are counted. */
const K_TRACKED = K_ITEM | K_RELATIES | K_CONTACT | K_CONTACTGEGEVENS | K_NAAM | K_CLIENT;

function kindOfName(name: string): number {
  let k = 0;
  if (ITEM_ELEMENTS.has(name)) k |= K_ITEM;
  if (QUALIFIED_PARENTS.has(name)) k |= K_QUALIFIED_PARENT;
  switch (name) {
    case 'Relaties':
      k |= K_RELATIES;
      break;
    case 'Contact':
      k |= K_CONTACT;
      break;
    case 'Contactgegevens':
      k |= K_CONTACTGEGEVENS;
      break;
    case 'Naam':
      k |= K_NAAM;
      break;
    case 'Client':
      k |= K_CLIENT;
      break;
    case 'Relatie':
      k |= K_RELATIE;
      break;
    case 'Declaratie':
    case 'DeclaratieAntwoord':
      k |= K_DECLARATIE;
      break;
    case 'TotaalIngediendBedrag':
      k |= K_TOTAAL;
      break;
  }
  return k;
}

/** kindOfName by localNameId (filled as names are met; the ids are bounded by the stream). */
const KINDS: number[] = [];
function kindOf(name: string, id: number): number {
  if (id < 0) return kindOfName(name);
  let k = KINDS[id];
  if (k === undefined) {
    k = kindOfName(name);
    // Filled in order of first use; a gap (ids handed out elsewhere first) is filled with a marker.
    while (KINDS.length < id) KINDS.push(-1);
    KINDS[id] = k;
  } else if (k < 0) {
    k = kindOfName(name);
    KINDS[id] = k;
  }
  return k;
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
  schema: { validate: boolean; expect?: MessageType; tokenizer?: 'auto' | 'plain' | 'saxes' } = { validate: true },
): Promise<{ meta: SourceFileMeta; counts: FileCounts }> {
  const ctx: Ctx = { file: displayName, pseudonymise };
  let validator = schema.validate ? new StreamValidator(IJW32_SCHEMA, schema.expect) : null;
  let type: MessageType | null = null;
  let spec: MessageSpec | undefined;
  const header = new Fields();
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
  let itemCtx: Mutable<ItemContext> | undefined;

  // How many elements of these names are open (the path's ancestors, and the element itself while it closes).
  const open = { item: 0, relaties: 0, contact: 0, contactgegevens: 0, naam: 0, client: 0 };

  // The rows wait here until the file is read (a streamed file's until each chunk is read): should the plain
  // scanner leave the file to saxes part-way (streamXml's restart), the rows of the first reading go.
  const pendingTables: RowTable[] = [];
  const pendingRows: unknown[] = [];
  const rows: RowSink = {
    row(table, r) {
      pendingTables.push(table);
      pendingRows.push(r);
    },
  };
  const flush = () => {
    for (let i = 0; i < pendingTables.length; i++) sink.row(pendingTables[i] as never, pendingRows[i] as never);
    pendingTables.length = 0;
    pendingRows.length = 0;
  };
  /** Forgets all that was read of the file, for a new reading by saxes; returns its validator. */
  const restart = (): StreamValidator | null => {
    validator = schema.validate ? new StreamValidator(IJW32_SCHEMA, schema.expect) : null;
    type = null;
    spec = undefined;
    header.clear();
    counts.lines = 0;
    counts.totalCents = 0;
    out.meta.messageType = 'JW323';
    out.meta.sender = out.meta.receiver = out.meta.messageId = '';
    out.meta.messageDate = null;
    muni = provider = '';
    cl.reset(0);
    item.reset(0);
    decl.reset(0);
    declTotalLine = declSum = seq = 0;
    parents = [];
    rel = {};
    itemCtx = undefined;
    open.item = open.relaties = open.contact = open.contactgegevens = open.naam = open.client = 0;
    pendingTables.length = 0;
    pendingRows.length = 0;
    return validator;
  };
  const track = (kind: number, by: 1 | -1) => {
    if ((kind & K_TRACKED) === 0) return;
    if (kind & K_ITEM) open.item += by;
    else if (kind & K_CLIENT) open.client += by;
    else if (kind & K_RELATIES) open.relaties += by;
    else if (kind & K_CONTACT) open.contact += by;
    else if (kind & K_CONTACTGEGEVENS) open.contactgegevens += by;
    else open.naam += by;
  };

  const finishHeader = (line: number) => {
    const sender = req(ctx, header, 'Afzender', line);
    const receiver = req(ctx, header, 'Ontvanger', line);
    out.meta.sender = sender;
    out.meta.receiver = receiver;
    out.meta.messageId = req(ctx, header, 'Identificatie', line);
    out.meta.messageDate = date(ctx, header, 'Dagtekening', line);
    if (spec?.sentByMunicipality) {
      muni = municipality(ctx, sender, line, 'Afzender');
      provider = receiver;
    } else {
      muni = municipality(ctx, receiver, line, 'Ontvanger');
      provider = sender;
    }
  };

  const closeDeclaration = (line: number) => {
    if (!spec?.declarationTotals) return;
    const total = signed(
      cents(ctx, decl.fields, 'TotaalBedrag', declTotalLine || line),
      debitCredit(ctx, decl.fields, 'DebetCredit', declTotalLine || line),
    );
    if (total !== declSum) {
      throw err(
        ctx,
        declTotalLine || decl.line,
        'TotaalIngediendBedrag',
        'TOTAL_MISMATCH',
        `header total ${total} cents differs from the sum of the lines ${declSum} cents (declaration ${decl.fields.get('DeclaratieNummer') ?? '?'})`,
      );
    }
  };

  await streamXml(
    path,
    displayName,
    {
      root(name, prefix, attrs) {
        const ns = attrs[prefix ? `xmlns:${prefix}` : 'xmlns'];
        spec = messageSpec(ns);
        type = spec?.type ?? null;
        if (name !== 'Bericht' || !type) {
          throw new GripError(
            'MESSAGE_UNKNOWN',
            `root element <${prefix ? prefix + ':' : ''}${name}> in namespace "${ns ?? '(none)'}" is not an iJw 3.2 message Grip reads (${MESSAGE_TYPES.map((m) => m.type).join(', ')})`,
            { file: displayName, line: 1, element: name },
          );
        }
        out.meta.messageType = type;
      },
      open(p, line, ids) {
        const depth = p.length;
        const kind = kindOf(p[depth - 1]!, ids[depth - 1]!); // the path ends with the element being opened
        if (kind === 0) return;
        track(kind, 1);
        if (kind & K_ITEM) item.reset(line);
        if (kind & K_CLIENT) {
          if (depth === 2 || p[depth - 2] === 'Clienten') {
            cl.reset(line);
            parents = [];
          }
        } else if (kind & K_RELATIE) rel = {};
        else if (kind & K_DECLARATIE) {
          decl.reset(line);
          declSum = 0;
          declTotalLine = 0;
        } else if (kind & K_TOTAAL) {
          if (p[depth - 2] === 'Declaratie') declTotalLine = line;
        }
      },
      close(p, text, line, ids) {
        const depth = p.length;
        const kind = kindOf(p[depth - 1]!, ids[depth - 1]!); // the path ends with the element being closed
        try {
          closeElement(p, text, line, kind, depth >= 2 ? kindOf(p[depth - 2]!, ids[depth - 2]!) : 0);
        } finally {
          track(kind, -1);
        }
      },
    },
    afterChunk &&
      (async () => {
        flush();
        await afterChunk();
      }),
    {
      validator,
      schemaName: () => `${validator?.message ?? schema.expect ?? 'the iJw 3.2'}.xsd`,
      tokenizer: schema.tokenizer,
      restart,
    },
  );
  flush();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set in the parser's callbacks, which narrowing does not follow
  if (!type) throw new GripError('MESSAGE_UNKNOWN', 'not an iJw message', { file: displayName });
  counts.lines = seq;
  return { meta: out.meta, counts };

  /**
   * What the builders see, one object per file: updated before each item is built (a builder reads it while
   * it runs and keeps nothing of it), rather than a new object and four closures per line.
   */
  function itemContext(element: string): ItemContext {
    const it = (itemCtx ??= {
      ctx,
      element,
      fields: item.fields,
      line: item.line,
      codes: item.codes,
      declaration: decl.fields,
      declarationLine: decl.line,
      clientFields: cl.fields,
      clientLine: cl.line,
      municipality: muni,
      provider,
      messageDate: out.meta.messageDate,
      sink: rows,
      client: () => client(ctx, cl.fields.get('Bsn'), cl.line),
      family: () => familyKey(parents),
      nextSeq: () => ++seq,
      addAmount: (amount: number) => {
        declSum += amount;
        counts.totalCents += amount;
      },
    });
    it.element = element;
    it.fields = item.fields;
    it.line = item.line;
    it.codes = item.codes;
    it.declaration = decl.fields;
    it.declarationLine = decl.line;
    it.clientFields = cl.fields;
    it.clientLine = cl.line;
    it.municipality = muni;
    it.provider = provider;
    it.messageDate = out.meta.messageDate;
    return it;
  }

  function closeElement(p: readonly string[], text: string, line: number, kind: number, parentKind: number): void {
    const depth = p.length;
    const name = p[depth - 1]!; // the path ends with the element being closed
    const parent = p[depth - 2];
    if (p[1] === 'Header') {
      if (name === 'Header') finishHeader(line);
      else if (depth >= 3 && (parent === 'Header' || parent === 'BerichtIdentificatie')) header.set(name, text);
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
      target.fields.set(name, text);
      if (parentKind & K_QUALIFIED_PARENT && parent !== undefined) target.fields.set(pairKey(parent, name), text);
    }
    if (kind & K_ITEM) {
      const build = spec?.items[name];
      if (build) {
        build(itemContext(name));
        return;
      }
    }
    switch (name) {
      case 'Declaratie':
        closeDeclaration(line);
        break;
      case 'DeclaratiePeriode': {
        // The standard: a period's end date is not before its begin date.
        const begin = decl.fields.get('DeclaratiePeriode/Begindatum');
        const end = decl.fields.get('DeclaratiePeriode/Einddatum');
        if (begin && end && end < begin)
          throw err(
            ctx,
            line,
            'DeclaratiePeriode',
            'PERIOD_INVALID',
            `DeclaratiePeriode ends (${end}) before it begins (${begin})`,
          );
        break;
      }
      case 'Client':
        if (p.length === 2 || parent === 'Clienten') cl.reset(line);
        break;
    }
  }
}
