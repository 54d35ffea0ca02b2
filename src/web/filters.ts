/**
 * Query fields that pages and the JSON API share, as zod schemas, so each means the same everywhere: a year, a
 * month (JJJJ-MM) and a municipality's CBS code; `blankable` for a field a form may send empty.
 */
import { z } from 'zod';
import { isMonthKey } from '../domain/month.js';

/** `t`, or absent — also when a form sends the field empty. */
export const blankable = <T extends z.ZodTypeAny>(t: T) => t.optional().or(z.literal('').transform(() => undefined));

/** A year: a whole number from 2000 to 2100. */
export const filterYear = z.coerce.number().int().min(2000).max(2100);

/** A month, as JJJJ-MM. */
export const filterMonth = z.string().refine(isMonthKey, 'maand als JJJJ-MM');

/** One municipality's CBS code, with or without GM (0482, GM0482). */
export const filterMunicipality = z.string().regex(/^(GM)?\d{4}$/i);
