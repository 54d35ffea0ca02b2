/**
 * The iJw business rules Grip checks across files (retourcodes of the standard's technical rules): lines that
 * break them are imported as submitted and flagged (table findings, filled by the warehouse's derived-data
 * refresh). Here: each rule's Dutch description, as the status report and the lineage show it.
 */
export const FINDING_RULES: Readonly<Record<string, string>> = {
  TR314: 'ReferentieNummer niet uniek binnen de aanbieder',
  TR323: 'Creditprestatie zonder bekende eerdere debetprestatie',
  TR389: 'Tweede debetprestatie voor dezelfde periode, hetzelfde product en dezelfde toewijzing',
};
