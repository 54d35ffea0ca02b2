/**
 * What an aggregate role (raad, partner) may see of a proposal. A split Grip made by a key resting on the ledger
 * (own usage, client counts, the phased key) gives back, through the ratios of its shares, exact client counts
 * and hidden totals, and the frozen forecasts per municipality are cell figures too: such a proposal is shown
 * with its total and the region's figure only. Splits by public reference figures (inhabitants, youths, equal
 * parts) and splits taken from a source document (no key) are shown whole.
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
  if (key === undefined || PUBLIC_ALLOCATION_KEYS.has(key)) return { proposal: p, withheldKey: null };
  return {
    // The region's frozen forecast comes first (app/proposals.ts); the rest are per municipality.
    proposal: { ...p, split: [], linkedFigures: p.linkedFigures.slice(0, 1) },
    withheldKey: isAllocationKey(key) ? ALLOCATION_KEY_LABELS[key] : key,
  };
}
