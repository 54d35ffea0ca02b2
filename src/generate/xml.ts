/**
 * Pieces of iJw 3.2 messages shared by the generator (fast-xml-builder) and the test fixtures (xmlbuilder2).
 */
import XMLBuilder from 'fast-xml-builder';
import type { create } from 'xmlbuilder2';

export const NS_BASE = 'http://www.istandaarden.nl/ijw/3_2/basisschema/schema';

/** The standard message header: code, version 3.2, sender, receiver, identification and XSD versions. */
export function header(
  root: ReturnType<typeof create>,
  p: string,
  code: string,
  from: string,
  to: string,
  id: string,
  date: string,
) {
  const h = root.ele(`${p}:Header`);
  h.ele(`${p}:BerichtCode`).txt(code);
  h.ele(`${p}:BerichtVersie`).txt('3');
  h.ele(`${p}:BerichtSubversie`).txt('2');
  h.ele(`${p}:Afzender`).txt(from);
  h.ele(`${p}:Ontvanger`).txt(to);
  const bi = h.ele(`${p}:BerichtIdentificatie`);
  bi.ele('ijw:Identificatie').txt(id);
  bi.ele('ijw:Dagtekening').txt(date);
  const xv = h.ele(`${p}:XsdVersie`);
  xv.ele('ijw:BasisschemaXsdVersie').txt('1.0.0');
  xv.ele('ijw:BerichtXsdVersie').txt('1.0.0');
}

/**
 * An element tree for fast-xml-builder: keys are qualified element names in document order, a string is an
 * element's text, an array repeats the element, `@_name` is an attribute.
 */
export interface XmlTree {
  [name: string]: string | XmlTree | XmlTree[];
}

// The generator writes ≈ 2 M messages for a national year: fast-xml-builder serialises an object tree about
// 3–4× faster than building and serialising xmlbuilder2's DOM, with the same bytes for what the generator
// writes (two-space indent; text escaped, where xmlbuilder2 left ' and " as they are).
const builder = new XMLBuilder({
  ignoreAttributes: false,
  format: true,
  indentBy: '  ',
});

/** A whole message: the XML declaration, then the root element `name` with its namespace declarations. */
export function buildMessage(name: string, namespaces: Record<string, string>, body: XmlTree): string {
  const attributes = Object.fromEntries(Object.entries(namespaces).map(([k, v]) => [`@_xmlns:${k}`, v]));
  const xml = builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [name]: { ...attributes, ...body },
  });
  // The builder ends with a newline after the root element, xmlbuilder2 (which wrote these files before) did not.
  return xml.endsWith('\n') ? xml.slice(0, -1) : xml;
}

/** The standard message header as an element tree (see `header`). */
export function headerTree(p: string, code: string, from: string, to: string, id: string, date: string): XmlTree {
  return {
    [`${p}:BerichtCode`]: code,
    [`${p}:BerichtVersie`]: '3',
    [`${p}:BerichtSubversie`]: '2',
    [`${p}:Afzender`]: from,
    [`${p}:Ontvanger`]: to,
    [`${p}:BerichtIdentificatie`]: { 'ijw:Identificatie': id, 'ijw:Dagtekening': date },
    [`${p}:XsdVersie`]: { 'ijw:BasisschemaXsdVersie': '1.0.0', 'ijw:BerichtXsdVersie': '1.0.0' },
  };
}
