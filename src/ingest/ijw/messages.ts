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
  cents,
  client,
  date,
  debitCredit,
  err,
  fieldKey,
  knownFieldKey,
  municipality,
  req,
  type Ctx,
} from './fields.js';
import { ITEM_ELEMENTS, MESSAGE_TYPES, messageSpec, type ItemContext, type MessageSpec } from './message-types.js';

export { IJW_NAMESPACES } from './message-types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The leaves of the element being read that some reader reads, by their FieldKey (local name or `Parent/Name`). */
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

/** The leaves read here (the header's, the client's BSN, the declaration's); the builders' are in message-types.ts. */
const AFZENDER = fieldKey('Afzender');
const ONTVANGER = fieldKey('Ontvanger');
const IDENTIFICATIE = fieldKey('Identificatie');
const DAGTEKENING = fieldKey('Dagtekening');
const BSN = fieldKey('Bsn');
const TOTAALBEDRAG = fieldKey('TotaalBedrag');
const DEBETCREDIT = fieldKey('DebetCredit');
const DECLARATIENUMMER = fieldKey('DeclaratieNummer');
const PERIOD_BEGIN = fieldKey('DeclaratiePeriode/Begindatum');
const PERIOD_END = fieldKey('DeclaratiePeriode/Einddatum');

/** What an element's name says, as bits (see classify). */
const K_ITEM = 1; // an item element of some message type
const K_RELATIES = 2;
const K_CONTACT = 4;
const K_CONTACTGEGEVENS = 8;
const K_NAAM = 16;
const K_CLIENT = 32;
const K_RELATIE = 128;
const K_DECLARATIE = 256; // Declaratie or DeclaratieAntwoord
const K_TOTAAL = 512; // TotaalIngediendBedrag

function kindOfName(name: string): number {
  if (ITEM_ELEMENTS.has(name)) return K_ITEM;
  switch (name) {
    case 'Relaties':
      return K_RELATIES;
    case 'Contact':
      return K_CONTACT;
    case 'Contactgegevens':
      return K_CONTACTGEGEVENS;
    case 'Naam':
      return K_NAAM;
    case 'Client':
      return K_CLIENT;
    case 'Relatie':
      return K_RELATIE;
    case 'Declaratie':
    case 'DeclaratieAntwoord':
      return K_DECLARATIE;
    case 'TotaalIngediendBedrag':
      return K_TOTAAL;
  }
  return 0;
}

/** What opening an element does (bits). */
const O_ITEM = 1; // the item's leaves start afresh
const O_CLIENT = 2; // the client's leaves and relations start afresh
const O_RELATION = 4; // a relation's leaves start afresh (JW301)
const O_DECLARATION = 8; // the declaration's leaves and sum start afresh
const O_TOTAL = 16; // the declaration's header total starts here

/** What closing an element does with its text. */
const L_NONE = 0;
const L_HEADER = 1; // a header leaf (key)
const L_CODE = 2; // an item's RetourCode
const L_RELATION_LEAF = 3; // a leaf of a JW301 relation (relationKey)
const L_RELATION_END = 4; // a JW301 relation is complete
const L_FIELD = 5; // a leaf of the item, client or declaration (target; key and pair when read)

/** What closing an element does then. */
const T_NONE = 0;
const T_HEADER_END = 1;
const T_BUILD = 2; // an item: its builder writes its row
const T_DECLARATION_END = 3;
const T_PERIOD = 4; // a DeclaratiePeriode: its end is not before its begin
const T_CLIENT_END = 5;

const ITEM = 0;
const CLIENT = 1;
const DECLARATION = 2;

/** What an element does in readIjwFile: a function of its path (root … itself) and the message type alone. */
interface PathActions {
  open: number;
  leaf: number;
  /** L_FIELD: ITEM, CLIENT or DECLARATION. */
  target: number;
  /** L_HEADER, L_FIELD: the leaf's FieldKey id by its local name, or -1 when no reader reads it. */
  key: number;
  /** L_FIELD: the FieldKey id of `Parent/Name`, or -1 when no reader reads it. */
  pair: number;
  /** L_RELATION_LEAF: `Parent/Name`. */
  relationKey: string;
  then: number;
  /** T_BUILD: the element and its builder. */
  element: string;
  build: ((it: ItemContext) => void) | null;
}

/**
 * The actions of the element at the end of `p` in a message of `spec`. The reader before kept counts of the
 * open elements of some names (items, relations, contact data, names, clients); each such count is
 * whether the path holds such a name, the element itself included.
 */
function classify(p: readonly string[], spec: MessageSpec): PathActions {
  const depth = p.length;
  const name = p[depth - 1]!; // a path ends with its element
  const parent = depth >= 2 ? p[depth - 2] : undefined;
  const kind = kindOfName(name);
  let holds = 0;
  for (const n of p) holds |= kindOfName(n);
  const a: PathActions = {
    open: 0,
    leaf: L_NONE,
    target: ITEM,
    key: -1,
    pair: -1,
    relationKey: '',
    then: T_NONE,
    element: name,
    build: null,
  };
  if (kind & K_ITEM) a.open |= O_ITEM;
  if (kind & K_CLIENT) {
    if (depth === 2 || parent === 'Clienten') a.open |= O_CLIENT;
  } else if (kind & K_RELATIE) a.open |= O_RELATION;
  else if (kind & K_DECLARATIE) a.open |= O_DECLARATION;
  else if ((kind & K_TOTAAL) !== 0 && parent === 'Declaratie') a.open |= O_TOTAL;

  const known = (key: string) => knownFieldKey(key)?.id ?? -1;
  if (p[1] === 'Header') {
    if (name === 'Header') a.then = T_HEADER_END;
    else if (depth >= 3 && (parent === 'Header' || parent === 'BerichtIdentificatie')) {
      a.key = known(name);
      if (a.key >= 0) a.leaf = L_HEADER;
    }
    return a;
  }
  const inItem = (holds & K_ITEM) !== 0;
  if (name === 'RetourCode') {
    if (inItem) a.leaf = L_CODE;
    return a;
  }
  if (holds & K_RELATIES) {
    // Only what identifies a parent is read (and only kept as a keyed hash); contact data never.
    if (spec.type === 'JW301' && !(holds & K_CONTACT)) {
      if (name === 'Relatie') a.leaf = L_RELATION_END;
      else {
        a.leaf = L_RELATION_LEAF;
        a.relationKey = `${parent}/${name}`;
      }
    }
    return a;
  }
  if (holds & (K_CONTACTGEGEVENS | K_NAAM)) return a;
  a.leaf = L_FIELD;
  a.target = inItem ? ITEM : holds & K_CLIENT ? CLIENT : DECLARATION;
  a.key = known(name);
  if (parent !== undefined) a.pair = known(`${parent}/${name}`);
  const build = kind & K_ITEM ? spec.items[name] : undefined;
  if (build) {
    a.then = T_BUILD;
    a.build = build;
  } else if (name === 'Declaratie') a.then = T_DECLARATION_END;
  else if (name === 'DeclaratiePeriode') a.then = T_PERIOD;
  else if (name === 'Client' && (depth === 2 || parent === 'Clienten')) a.then = T_CLIENT_END;
  return a;
}

/**
 * The paths met so far on this thread, each classified once: a path is a state, reached from its parent's by
 * the element's localNameId, so an element costs one array look-up instead of its classification. A message
 * type's paths start at a state of their own (the actions depend on it). Bounded: past MAX_STATES, and for
 * names without a number, an element is classified as it comes (the same actions, more slowly).
 */
const MAX_STATES = 8192;
/** localNameIds below this take part (the stream numbers at most 2,048 names). */
const MAX_STATE_ID = 2048;
const STATE_ACTIONS: PathActions[] = [];
const STATE_CHILDREN: number[][] = [];
const DOCUMENT_STATES = new Map<MessageSpec, number>();

function newState(actions: PathActions): number {
  STATE_ACTIONS.push(actions);
  STATE_CHILDREN.push([]);
  return STATE_ACTIONS.length - 1;
}

/** The state before a message's root element (its actions are never used). */
function documentState(spec: MessageSpec): number {
  let s = DOCUMENT_STATES.get(spec);
  if (s === undefined) {
    s = newState(classify(['(document)'], spec));
    DOCUMENT_STATES.set(spec, s);
  }
  return s;
}

/** The state of the element at the end of `p` (localNameId `id`) under the state `parent`, or -1. */
function childState(parent: number, id: number, p: readonly string[], spec: MessageSpec): number {
  if (parent < 0 || id < 0 || id >= MAX_STATE_ID) return -1;
  const children = STATE_CHILDREN[parent]!; // parent is a state
  const known = children[id];
  if (known !== undefined) return known;
  if (STATE_ACTIONS.length >= MAX_STATES) return -1;
  const s = newState(classify(p, spec));
  children[id] = s;
  return s;
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
   * message type (the one the importer sniffed). `bytes`: the file's content, read already (streamXml).
   */
  schema: { validate: boolean; expect?: MessageType; tokenizer?: 'auto' | 'plain' | 'saxes'; bytes?: Buffer } = {
    validate: true,
  },
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

  // The records a leaf goes to (ITEM, CLIENT, DECLARATION), and per depth the state of the open element there.
  const records = [item, cl, decl];
  const states: number[] = [];

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
    pendingTables.length = 0;
    pendingRows.length = 0;
    return validator;
  };
  const finishHeader = (line: number) => {
    const sender = req(ctx, header, AFZENDER, line);
    const receiver = req(ctx, header, ONTVANGER, line);
    out.meta.sender = sender;
    out.meta.receiver = receiver;
    out.meta.messageId = req(ctx, header, IDENTIFICATIE, line);
    out.meta.messageDate = date(ctx, header, DAGTEKENING, line);
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
      cents(ctx, decl.fields, TOTAALBEDRAG, declTotalLine || line),
      debitCredit(ctx, decl.fields, DEBETCREDIT, declTotalLine || line),
    );
    if (total !== declSum) {
      throw err(
        ctx,
        declTotalLine || decl.line,
        'TotaalIngediendBedrag',
        'TOTAL_MISMATCH',
        `header total ${total} cents differs from the sum of the lines ${declSum} cents (declaration ${decl.fields.get(DECLARATIENUMMER) ?? '?'})`,
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
        // The path ends with the element being opened; its parent's state is one depth up (the root's: its
        // message type's).
        const parentState = depth === 1 ? (spec ? documentState(spec) : -1) : (states[depth - 2] ?? -1);
        const state = spec ? childState(parentState, ids[depth - 1]!, p, spec) : -1;
        states[depth - 1] = state;
        const does = (state >= 0 ? STATE_ACTIONS[state]! : actionsOf(p)).open; // a state has actions
        if (does === 0) return;
        if (does & O_ITEM) item.reset(line);
        if (does & O_CLIENT) {
          cl.reset(line);
          parents = [];
        }
        if (does & O_RELATION) rel = {};
        if (does & O_DECLARATION) {
          decl.reset(line);
          declSum = 0;
          declTotalLine = 0;
        }
        if (does & O_TOTAL) declTotalLine = line;
      },
      close(p, text, line) {
        const state = states[p.length - 1] ?? -1;
        closeElement(state >= 0 ? STATE_ACTIONS[state]! : actionsOf(p), text, line); // a state has actions
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
      bytes: schema.bytes, // one shape of options, with or without bytes
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
      client: () => client(ctx, cl.fields.get(BSN), cl.line),
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

  /** An element's actions worked out as it comes (a path without a state). */
  function actionsOf(p: readonly string[]): PathActions {
    if (!spec) throw new GripError('MESSAGE_UNKNOWN', 'not an iJw message', { file: displayName });
    return classify(p, spec);
  }

  function closeElement(a: PathActions, text: string, line: number): void {
    switch (a.leaf) {
      case L_FIELD:
        if (text !== '') {
          const fields = records[a.target]!.fields; // target is ITEM, CLIENT or DECLARATION
          if (a.key >= 0) fields.setId(a.key, text);
          if (a.pair >= 0) fields.setId(a.pair, text);
        }
        break;
      case L_HEADER:
        header.setId(a.key, text);
        return;
      case L_CODE:
        item.codes.push(text);
        return;
      case L_RELATION_LEAF:
        if (text !== '') rel[a.relationKey] = text;
        return;
      case L_RELATION_END: {
        const id = parentIdentity(rel, ctx.pseudonymise);
        if (id && !parents.includes(id)) parents.push(id);
        return;
      }
    }
    switch (a.then) {
      case T_BUILD:
        a.build!(itemContext(a.element)); // T_BUILD comes with its builder
        break;
      case T_HEADER_END:
        finishHeader(line);
        break;
      case T_DECLARATION_END:
        closeDeclaration(line);
        break;
      case T_PERIOD: {
        // The standard: a period's end date is not before its begin date.
        const begin = decl.fields.get(PERIOD_BEGIN);
        const end = decl.fields.get(PERIOD_END);
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
      case T_CLIENT_END:
        cl.reset(line);
        break;
    }
  }
}
