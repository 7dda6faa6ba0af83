import { parse, TomlError } from 'smol-toml';
import { cargoTomlMessage } from './tomlMessages';
import type { Problem } from './types';

export type TomlTable = Record<string, unknown>;

export type ParsedToml = { ok: true; value: TomlTable } | { ok: false; problem: Problem };

export function parseToml(text: string, file: string): ParsedToml {
  try {
    return { ok: true, value: parse(text) as TomlTable };
  } catch (error) {
    if (error instanceof TomlError) {
      // smol-toml appends a code excerpt after a blank line; the Problems view shows the position itself.
      const raw = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      const message = cargoTomlMessage(raw, text, error.line, error.column);
      return {
        ok: false,
        problem: {
          file,
          line: error.line,
          column: error.column,
          message: `could not parse TOML: ${message}`,
          severity: 'error',
        },
      };
    }
    return { ok: false, problem: { file, line: 0, column: 0, message: String(error), severity: 'error' } };
  }
}

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function table(value: unknown): TomlTable | undefined {
  return isTable(value) ? value : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

/** Cargo accepts both spellings of a few keys (`dev-dependencies` / `dev_dependencies`); the dashed one wins. */
export function dashed(t: TomlTable, key: string): unknown {
  return t[key] ?? t[key.replace(/-/g, '_')];
}

/** A TOML value described the way serde reports it in cargo's errors. */
export function describeTomlValue(value: unknown): string {
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'number')
    return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  if (typeof value === 'boolean') return `boolean \`${value}\``;
  if (Array.isArray(value)) return 'sequence';
  return 'map';
}

/** cargo's error for a dependency that is neither a version string nor a table. */
export function invalidDependencyMessage(value: unknown): string {
  return `invalid type: ${describeTomlValue(value)}, expected a version string like "0.9.8" or a detailed dependency like { version = "0.9.8" }`;
}
