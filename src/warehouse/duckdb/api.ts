/**
 * DuckDB's Node packages, loaded with `require`. They are CommonJS, and importing them as ES modules makes
 * Node parse every one of their files for its export names (cjs-module-lexer; @duckdb/node-api is about 150
 * files) before any of them runs: loading it took ≈ 240 ms of CPU that way and ≈ 130 ms with `require`, on
 * every command that opens a DuckDB warehouse.
 */
import { createRequire } from 'node:module';
import type * as Api from '@duckdb/node-api';
import type * as Bindings from '@duckdb/node-bindings';

const require = createRequire(import.meta.url);
const api = require('@duckdb/node-api') as typeof Api;

export const DuckDBInstance = api.DuckDBInstance;
export type DuckDBInstance = Api.DuckDBInstance;
export const DuckDBDataChunk = api.DuckDBDataChunk;
export type DuckDBDataChunk = Api.DuckDBDataChunk;
export const DuckDBTypeId = api.DuckDBTypeId;
export const listValue = api.listValue;
export type DuckDBTypeId = Api.DuckDBTypeId;
export type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
/** The C API's bindings (data chunk vectors: chunk-appender.ts). */
export const duckdb = require('@duckdb/node-bindings') as typeof Bindings;
