/**
 * Family keys: what links the children of one household, without storing anything identifying in clear.
 *
 * - iJw XML: a JW301 may list the client's relations (Client/Relaties/Relatie, COD472 Soort). A relation of
 *   Soort 10 (Ouder) identifies a parent: by its Nummer when that is a valid BSN (pseudonymised with the
 *   import's key, like a client's BSN), else by its surname (with voorvoegsel) and birth date, hashed with
 *   the same key (`Pseudonymiser.text`). The Nummer is otherwise not used: the standard defines it as a
 *   number of the relation within the message, so it need not be the same in the next message. Other kinds
 *   (voogd, pleegouder, hulpverlener, …) are left out on purpose: a guardian or foster parent can stand for
 *   many unrelated children, which would make a "family" of them.
 *   The family key of the allocation is `g_` + the smallest parent identity of the client in that message,
 *   so children with the same parents get the same key. Half-siblings share a key only when the parent
 *   they share sorts first; JW301s without relations give no key.
 * - CSV: the optional `family` column, as given; a value that is a valid BSN is pseudonymised (`g_…`).
 */
import { isValidBsn } from '../domain/bsn.js';
import type { Pseudonymiser } from './pseudonymise.js';

/** COD472 kinds of relation that identify a parent (10 = Ouder). */
export const PARENT_RELATIONS: ReadonlySet<string> = new Set(['10']);

/** The fields of one JW301 Relatie that Grip reads (keyed `Parent/Leaf`). */
export type RelationFields = Record<string, string>;

const normaliseName = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** The pseudonymous identity of a parent relation, or null when it is not a parent or cannot be identified. */
export function parentIdentity(rel: RelationFields, pseudonymise: Pseudonymiser): string | null {
  if (!PARENT_RELATIONS.has(rel['Relatie/Soort'] ?? '')) return null;
  const nummer = rel['Relatie/Nummer'] ?? '';
  if (/^\d{8,9}$/.test(nummer) && isValidBsn(nummer)) return pseudonymise(nummer);
  const birth = rel['Geboortedatum/Datum'];
  const surname = normaliseName(`${rel['Geslachtsnaam/Voorvoegsel'] ?? ''}${rel['Geslachtsnaam/Achternaam'] ?? ''}`);
  if (!pseudonymise.text || !birth || !surname) return null;
  return pseudonymise.text(`ouder\u0000${birth}\u0000${surname}`);
}

/** The family key from the parent identities of one client (null without any). */
export function familyKey(parents: readonly string[]): string | null {
  if (!parents.length) return null;
  const first = [...parents].sort()[0]!; // parents is not empty
  return `g_${first.slice(2)}`;
}

/** A CSV family value as stored: empty → null, a BSN → its pseudonym as family key, anything else as given. */
export function csvFamilyKey(value: string, pseudonymise: Pseudonymiser): string | null {
  const v = value.trim();
  if (!v) return null;
  if (/^\d{8,9}$/.test(v) && isValidBsn(v)) return `g_${pseudonymise(v).slice(2)}`;
  return v;
}
