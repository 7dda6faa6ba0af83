// `nix print-dev-env --json` → typed data, and the environment delta it stands for. Pure, so it is
// tested on outputs recorded from Nix 2.8 and 2.26 (test/fixtures/devenv/recorded/).
import * as path from 'node:path';
import type { EnvDelta } from './types';
import { isDroppedVariable, PREPENDED_VARIABLES, withoutSandboxPathEntries } from './variables';

export type BuildVariable =
  /** `exported` reaches child processes; `var` is a plain bash variable (bash's own, mostly). */
  | { type: 'exported' | 'var'; value: string }
  | { type: 'array'; value: string[] }
  | { type: 'associative'; value: Record<string, string> };

/** What `nix print-dev-env --json` prints: the same shape in Nix 2.8 and 2.26. */
export interface BuildEnvironment {
  variables: Record<string, BuildVariable>;
  /** Function name → body, as bash's `declare -f` prints it without the braces. */
  bashFunctions: Record<string, string>;
}

/**
 * Parses `nix print-dev-env --json` output. Variables of a type this code does not know are left out
 * (a newer Nix may add some); a top level that is not the documented object throws.
 */
export function parseBuildEnvironment(text: string): BuildEnvironment {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`nix print-dev-env printed invalid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed) || !isRecord(parsed['variables'])) {
    throw new Error('nix print-dev-env printed JSON without a "variables" object');
  }
  const variables: Record<string, BuildVariable> = {};
  for (const [name, entry] of Object.entries(parsed['variables'])) {
    const variable = toVariable(entry);
    if (variable) variables[name] = variable;
  }
  const bashFunctions: Record<string, string> = {};
  const functions = parsed['bashFunctions'];
  if (isRecord(functions)) {
    for (const [name, body] of Object.entries(functions)) {
      if (typeof body === 'string') bashFunctions[name] = body;
    }
  }
  return { variables, bashFunctions };
}

function toVariable(entry: unknown): BuildVariable | undefined {
  if (!isRecord(entry)) return undefined;
  const { type, value } = entry;
  if ((type === 'exported' || type === 'var') && typeof value === 'string') return { type, value };
  if (type === 'array' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return { type, value: value as string[] };
  }
  if (type === 'associative' && isRecord(value) && Object.values(value).every((v) => typeof v === 'string')) {
    return { type, value: value as Record<string, string> };
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The shell's output names (`out`, `dev`…): a space-separated string, or with `__structuredAttrs`
 * (Nix 2.26) an associative array keyed by name.
 */
export function outputNamesOf(env: BuildEnvironment): Set<string> {
  const outputs = env.variables['outputs'];
  if (outputs?.type === 'associative') return new Set(Object.keys(outputs.value));
  if (outputs?.type === 'exported' || outputs?.type === 'var') {
    return new Set(outputs.value.split(/\s+/).filter((name) => name !== ''));
  }
  return new Set(['out']);
}

/**
 * Output path → `<folder>/outputs/<name>`, as `nix develop` rewrites them, so that a variable built
 * from `$out` points where a build in the shell would write, not at the `-env` store path.
 */
export function outputRewrites(env: BuildEnvironment, folder: string): Map<string, string> {
  const rewrites = new Map<string, string>();
  const outputs = env.variables['outputs'];
  for (const name of outputNamesOf(env)) {
    const storePath =
      outputs?.type === 'associative' ? outputs.value[name] : stringValue(env.variables[name]);
    if (storePath) rewrites.set(storePath, path.join(folder, 'outputs', name));
  }
  return rewrites;
}

export function rewrite(value: string, rewrites: ReadonlyMap<string, string>): string {
  let result = value;
  for (const [from, to] of rewrites) result = result.split(from).join(to);
  return result;
}

function stringValue(variable: BuildVariable | undefined): string | undefined {
  return variable?.type === 'exported' || variable?.type === 'var' ? variable.value : undefined;
}

/**
 * What the shell's variables change for a user, before its `shellHook` runs: every exported string
 * variable except the sandbox's leftovers; PATH and XDG_DATA_DIRS as entries to prepend. Arrays,
 * associative arrays and unexported variables never reach a child process, so they are not part of it.
 */
export function deltaFromBuildEnvironment(env: BuildEnvironment, folder: string): EnvDelta {
  const outputNames = outputNamesOf(env);
  const rewrites = outputRewrites(env, folder);
  const delta: EnvDelta = { set: {}, prepend: {}, unset: [] };
  for (const name of Object.keys(env.variables).sort()) {
    const variable = env.variables[name];
    if (variable?.type !== 'exported' || isDroppedVariable(name, outputNames)) continue;
    const value = rewrite(variable.value, rewrites);
    if (!PREPENDED_VARIABLES.has(name)) delta.set[name] = value;
    else if (withoutSandboxPathEntries(value) !== '') delta.prepend[name] = withoutSandboxPathEntries(value);
  }
  return delta;
}
