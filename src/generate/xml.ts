/** Pieces of iJw 3.2 messages shared by the generator and the test fixtures (built with xmlbuilder2). */
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
