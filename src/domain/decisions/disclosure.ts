/**
 * What an aggregate role (raad, partner) may see of a proposal. A split Grip made by a key resting on the ledger
 * (own usage, client counts, the phased key) gives back, through the ratios of its shares, exact client counts
 * and hidden totals, and the frozen forecasts per municipality are cell figures too: such a proposal is shown
 * with its total and the region's figure only. Splits by public reference figures (inhabitants, youths, equal
 * parts) are shown, but the frozen forecasts per municipality never are, whatever the key: a municipality whose
 * total is hidden would get its forecast — near its hidden total once the year is declared — back from them.
 * A proposal taken from a source document (no key) is a public paper and is shown whole.
 */
import { ALLOCATION_KEY_LABELS, PUBLIC_ALLOCATION_KEYS, isAllocationKey } from '../steering/allocation.js';
import type { Proposal } from './types.js';

export interface AggregateProposal {
  proposal: Proposal;
  /** The Dutch label of the key whose split is withheld, or null when nothing is withheld. */
  withheldKey: string | null;
}

export function proposalForAggregate(p: Proposal): AggregateProposal {
  const key = p.splitKey;
  if (key === undefined) return { proposal: p, withheldKey: null };
  // The region's frozen forecast comes first (app/proposals.ts); the rest are per municipality.
  const linkedFigures = p.linkedFigures.slice(0, 1);
  if (PUBLIC_ALLOCATION_KEYS.has(key)) return { proposal: { ...p, linkedFigures }, withheldKey: null };
  return {
    proposal: { ...p, split: [], linkedFigures },
    withheldKey: isAllocationKey(key) ? ALLOCATION_KEY_LABELS[key] : key,
  };
}
