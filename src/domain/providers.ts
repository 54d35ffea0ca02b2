/**
 * How a provider is named to people: by its name from the provider register, else by its AGB code. Pure;
 * the names come from the warehouse (app/providers.ts).
 */
export type ProviderNames = ReadonlyMap<string, string>;

export const NO_PROVIDER_NAMES: ProviderNames = new Map();

/** "Jeugdzorg De Linde", or "AGB 41000000" when the register does not know the code. */
export function providerName(code: string, names: ProviderNames): string {
  return names.get(code) ?? `AGB ${code}`;
}

/** "Jeugdzorg De Linde (AGB 41000000)", or "AGB 41000000": for drill-downs and exports, where the code matters too. */
export function providerNameWithCode(code: string, names: ProviderNames): string {
  const n = names.get(code);
  return n ? `${n} (AGB ${code})` : `AGB ${code}`;
}
