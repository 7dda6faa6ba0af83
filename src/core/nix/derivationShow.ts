// `nix show-derivation` (2.8) and `nix derivation show` (2.18+, where the old name warns) print
// `{ "<drv path>": { outputs, inputSrcs, inputDrvs, env, … } }`. They differ in `inputDrvs`: 2.8
// maps each input to its output names, modern Nix to `{ outputs: […], dynamicOutputs: {} }`.
import * as path from 'node:path';
import { dialectOf, runNix, type NixRunOptions } from './invoke';

export interface Derivation {
  path: string;
  /** `app-0.1.0` for `/nix/store/<hash>-app-0.1.0.drv`. */
  name: string;
  /** Output name → path; null for outputs whose path is not known before building (CA). */
  outputs: Record<string, string | null>;
  /** Input .drv path → the outputs used. */
  inputDrvs: Record<string, string[]>;
  inputSrcs: string[];
  env: Record<string, string>;
  builder: string;
  args: string[];
  system: string;
}

export class DerivationJsonError extends Error {
  override readonly name = 'DerivationJsonError';
}

const DEFAULT_STORE_DIR = '/nix/store';

/** Reads either dialect. Keys without a directory (newer Nix) are placed in `storeDir`. */
export function parseDerivationsJson(text: string, storeDir = DEFAULT_STORE_DIR): Map<string, Derivation> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DerivationJsonError(`nix printed invalid derivation JSON: ${(error as Error).message}`);
  }
  const top = record(json, 'derivation JSON');
  const full = (p: string) => (p.startsWith('/') ? p : `${storeDir}/${p}`);
  const result = new Map<string, Derivation>();
  for (const [key, value] of Object.entries(top)) {
    const drvPath = full(key);
    const drv = record(value, drvPath);
    const outputs: Record<string, string | null> = {};
    for (const [name, output] of Object.entries(record(drv['outputs'] ?? {}, `${drvPath} outputs`))) {
      const outPath = record(output, `${drvPath} output ${name}`)['path'];
      outputs[name] = typeof outPath === 'string' ? full(outPath) : null;
    }
    const inputDrvs: Record<string, string[]> = {};
    for (const [input, used] of Object.entries(record(drv['inputDrvs'] ?? {}, `${drvPath} inputDrvs`))) {
      // 2.8: ["out"]; modern: { outputs: ["out"], dynamicOutputs: {} }.
      const names = Array.isArray(used) ? used : record(used, `${drvPath} input ${input}`)['outputs'];
      inputDrvs[full(input)] = strings(names);
    }
    // fromEntries, not `env[name] = v`: an attribute may be called `__proto__`.
    const env: Record<string, string> = Object.fromEntries(
      Object.entries(record(drv['env'] ?? {}, `${drvPath} env`)).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
    result.set(drvPath, {
      path: drvPath,
      name: derivationName(drvPath),
      outputs,
      inputDrvs,
      inputSrcs: strings(drv['inputSrcs']).map(full),
      env,
      builder: typeof drv['builder'] === 'string' ? drv['builder'] : '',
      args: strings(drv['args']),
      system: typeof drv['system'] === 'string' ? drv['system'] : '',
    });
  }
  return result;
}

/** `app-0.1.0` for `/nix/store/<hash>-app-0.1.0.drv`; the name of a store path without its hash. */
export function derivationName(storePath: string): string {
  return path.posix
    .basename(storePath)
    .replace(/^[0-9a-z]{32}-/, '')
    .replace(/\.drv$/, '');
}

/** The derivations of `drvPaths` (with `recursive`, of their whole build closure) in one run. */
export async function showDerivations(
  drvPaths: readonly string[],
  options: NixRunOptions & { recursive?: boolean } = {},
): Promise<Map<string, Derivation>> {
  if (drvPaths.length === 0) return new Map();
  const command = (await dialectOf(options)) === 'modern' ? ['derivation', 'show'] : ['show-derivation'];
  const args = [...command, ...(options.recursive ? ['--recursive'] : []), ...drvPaths];
  const storeDir = path.posix.dirname(drvPaths[0] ?? `${DEFAULT_STORE_DIR}/x`);
  return parseDerivationsJson(await runNix(args, options), storeDir);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DerivationJsonError(`${what} is not an object`);
  }
  return value as Record<string, unknown>;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
