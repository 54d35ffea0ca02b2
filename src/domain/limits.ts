/**
 * Bounds on input, taken from the iJw 3.2 data types of the same fields (basisschema.xsd), so that a CSV line
 * is held to what the standard allows an XML message, and a malicious or broken file is rejected alone,
 * before it costs memory.
 */

/** Longest CSV record Grip reads, in characters (a declaration line is about 120). */
export const MAX_CSV_RECORD = 16 * 1024;

/** Largest amount or tariff in cents, and largest volume: LDT_Bedrag and LDT_Volume are 0..99999999. */
export const MAX_LINE_CENTS = 99_999_999;
export const MAX_VOLUME = 99_999_999;

/** Longest value per CSV column (characters). Columns not listed are bounded by their own check (dates, codes). */
export const CSV_MAX_LENGTH: Readonly<Record<string, number>> = {
  municipality: 6, // 0482 or GM0482 (LDT_Gemeente: 4 digits)
  provider: 8, // LDT_AgbCode
  declarationNumber: 12, // LDT_IdentificatieDeclaratie
  productCode: 5, // LDT_ProductCode
  allocationNumber: 9, // LDT_Nummer: 0..999999999
  family: 200, // a parent's BSN, or surname (LDT_Naam: 200) with birth date
};
