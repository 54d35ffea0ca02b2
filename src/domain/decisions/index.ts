/** The decision cycle and the corona revenue-loss check: pure domain code (no I/O, no clock). */
export * from './types.js';
export * from './deadlines.js';
export * from './cycle.js';
export * from './calendar.js';
export * from './corona.js';
export * from './rules.js';
export { SEED002_CASE, SEED002_MEMBERS, SEED002_SOURCE } from './seed002.js';
export { SEED003_CALENDAR, SEED003_UNDATED, SEED003_SOURCE } from './seed003.js';
