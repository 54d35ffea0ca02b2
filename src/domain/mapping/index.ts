/** Column mappings for case-system exports: format (schema), converters, row reader and proposals. */
export * from './schema.js';
export * from './convert.js';
export * from './rows.js';
export * from './guess.js';
