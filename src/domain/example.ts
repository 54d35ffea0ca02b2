/**
 * Example values: steering data entered to show how Grip works (the demo's budgets, measures and KPI figures)
 * say so in their reference, description or source with the word "voorbeeld"; wherever such a value is shown,
 * it is marked "voorbeeld".
 */
export function isExample(...texts: (string | null | undefined)[]): boolean {
  return texts.some((t) => !!t && /\bvoorbeeld\b/i.test(t));
}
