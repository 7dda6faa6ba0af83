// Every derivation a flake offers for one system, in ONE `nix eval`: `packages`, `checks`,
// `devShells`, each one's crane `cargoArtifacts`, the flake's declared caches and its inputs'
// store paths (for "why does this rebuild"). Nix 2.8 has no installable for a flake's whole output
// set (`.#.` is newer), so the flake is loaded with `builtins.getFlake`, which needs `--impure`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nixString } from '../flake/nixText';
import { runNix, type NixRunOptions } from '../nix/invoke';
import type { FlakeCacheConfig } from '../nix/substituters';
import { describeFailure, ProcessError } from '../process';

export type FlakeSection = 'packages' | 'checks' | 'devShells';
export const FLAKE_SECTIONS: readonly FlakeSection[] = ['packages', 'checks', 'devShells'];

export interface FlakeDerivation {
  drvPath: string;
  /** The derivation's name, e.g. `app-0.1.0`. */
  name: string;
  /** Output name → store path. */
  outputs: Record<string, string>;
  /**
   * What decides which machine may build it (local or a remote builder): its `system`, its
   * `requiredSystemFeatures`, and `preferLocalBuild` (Nix's marker for builds too cheap to ship).
   * Absent in results recorded before they were read.
   */
  build?: BuildRequirements;
}

export interface BuildRequirements {
  system: string;
  requiredSystemFeatures: string[];
  preferLocalBuild: boolean;
}

export interface FlakeAttribute {
  section: FlakeSection;
  /** The attribute's name under `<section>.<system>`. */
  name: string;
  /** Null when evaluating it threw. */
  derivation: FlakeDerivation | null;
  /** crane's dependency artifacts (`cargoArtifacts`), when it has them. */
  cargoArtifacts: FlakeDerivation | null;
}

export interface FlakeDerivations {
  system: string;
  attributes: FlakeAttribute[];
  /** What the flake's `nixConfig` asks for; never applied by Nixify. */
  cache: FlakeCacheConfig;
  /** Input name → its source's store path. */
  inputs: Record<string, string>;
}

export class FlakeEvalError extends Error {
  override readonly name = 'FlakeEvalError';

  /** @param stderr All Nix wrote to stderr (the message holds only its tail), for locating the error. */
  constructor(
    message: string,
    readonly stderr = '',
  ) {
    super(message);
  }
}

/**
 * The expression `evalFlakeDerivations` runs. Values that are not derivations become null, and each
 * attribute is forced inside `tryEval` so that one `throw` marks that attribute failed instead of
 * failing the whole evaluation. (`outPath` is not used as a key: Nix would print the set as it.)
 */
export function flakeDerivationsExpression(flakeDir: string, system: string | null): string {
  return `let
  flake = builtins.getFlake ${nixString(flakeRefOf(flakeDir))};
  system = ${system === null ? 'builtins.currentSystem' : nixString(system)};
  isDrv = v: builtins.isAttrs v && v ? drvPath;
  info = d: {
    drv = d.drvPath;
    name = d.name;
    outs = builtins.listToAttrs (map (o: { name = o; value = d.\${o}.outPath; }) (d.outputs or [ "out" ]));
    system = d.system or null;
    features = d.requiredSystemFeatures or [ ];
    local = d.preferLocalBuild or false;
  };
  artifacts = d: let a = d.cargoArtifacts or (d.drvAttrs.cargoArtifacts or null); in if isDrv a then info a else null;
  item = d:
    let r = builtins.tryEval (let v = if isDrv d then info d // { deps = artifacts d; } else null; in builtins.deepSeq v v);
    in if r.success then r.value else { error = true; };
  section = s: builtins.mapAttrs (_: item) ((flake.outputs.\${s} or { }).\${system} or { });
  safe = v: let r = builtins.tryEval (builtins.deepSeq v v); in if r.success then r.value else null;
  flakeNix = ${nixString(path.join(flakeDir, 'flake.nix'))};
in {
  inherit system;
${FLAKE_SECTIONS.map((s) => `  ${s} = section "${s}";`).join('\n')}
  nixConfig = safe (if builtins.pathExists flakeNix then (import flakeNix).nixConfig or { } else { });
  inputs = builtins.mapAttrs (_: i: safe (i.outPath or null)) (flake.inputs or { });
}`;
}

/**
 * The reference `nix build <dir>` would use: `git+file://<repo>?dir=<sub>` inside a git work tree
 * (only tracked files count), else `path:<dir>`. `getFlake` given a bare path would copy the
 * whole directory, `.git` and untracked files included, and so evaluate other derivations.
 */
export function flakeRefOf(flakeDir: string, isGitRoot: (dir: string) => boolean = hasGit): string {
  const dir = path.resolve(flakeDir);
  for (let root = dir; ; root = path.dirname(root)) {
    if (isGitRoot(root)) {
      const sub = path.relative(root, dir).split(path.sep).join('/');
      return `git+file://${encodeURI(root)}${sub === '' ? '' : `?dir=${encodeURIComponent(sub)}`}`;
    }
    if (path.dirname(root) === root) return `path:${encodeURI(dir)}`;
  }
}

function hasGit(dir: string): boolean {
  return fs.existsSync(path.join(dir, '.git'));
}

/** Evaluates the flake in `flakeDir` for `system` (default: Nix's own). Throws FlakeEvalError. */
export async function evalFlakeDerivations(
  flakeDir: string,
  options: NixRunOptions & { system?: string | null } = {},
): Promise<FlakeDerivations> {
  const expression = flakeDerivationsExpression(path.resolve(flakeDir), options.system ?? null);
  return parseFlakeDerivationsJson(await evalExpression(expression, flakeDir, options));
}

/**
 * `--impure` for `getFlake` of an unlocked (dirty) tree and `currentSystem`, yet restricted as the
 * pure evaluation of `nix build .#…` is: the flake reads only its sources and inputs (and, through
 * `-I`, the folder's own flake.nix for its nixConfig). Nix 2.8 also resolves `a/Cargo.toml/../src`
 * only in restricted mode; crane's mkDummySrc builds such paths, so without it every crane flake
 * fails there with "Not a directory" while `nix build` succeeds.
 */
function restrictedEval(flakeDir: string): string[] {
  return ['--impure', '--option', 'restrict-eval', 'true', '-I', `nixify-flake=${path.resolve(flakeDir)}`];
}

/** `nix eval --json` of `expression` for the flake in `flakeDir`; a failed evaluation throws FlakeEvalError. */
async function evalExpression(expression: string, flakeDir: string, options: NixRunOptions): Promise<string> {
  try {
    return await runNix(['eval', '--json', ...restrictedEval(flakeDir), '--expr', expression], options);
  } catch (error) {
    if (error instanceof ProcessError) {
      // The expression is 30 lines of Nixify's own; the message names the command without it.
      const command = error.result.command.map((arg) => (arg === expression ? '…' : arg));
      throw new FlakeEvalError(describeFailure({ ...error.result, command }), error.result.stderr);
    }
    throw error;
  }
}

export function parseFlakeDerivationsJson(text: string): FlakeDerivations {
  const json = record(JSON.parse(text) as unknown);
  const system = json['system'];
  if (typeof system !== 'string') throw new FlakeEvalError('the evaluation returned no system');
  const attributes: FlakeAttribute[] = [];
  for (const section of FLAKE_SECTIONS) {
    for (const [name, value] of Object.entries(record(json[section] ?? {}))) {
      if (value === null) continue; // not a derivation
      const entry = record(value);
      attributes.push({
        section,
        name,
        derivation: entry['error'] === true ? null : toDerivation(entry),
        cargoArtifacts: entry['deps'] ? toDerivation(record(entry['deps'])) : null,
      });
    }
  }
  const nixConfig = json['nixConfig'] === null ? {} : record(json['nixConfig'] ?? {});
  const inputs: Record<string, string> = {};
  for (const [name, outPath] of Object.entries(record(json['inputs'] ?? {}))) {
    if (typeof outPath === 'string') inputs[name] = outPath;
  }
  return { system, attributes, cache: flakeCacheConfigOf(nixConfig), inputs };
}

/** The caches a flake's `nixConfig` attribute set declares. */
export function flakeCacheConfigOf(nixConfig: Record<string, unknown>): FlakeCacheConfig {
  return {
    substituters: [...words(nixConfig['substituters']), ...words(nixConfig['extra-substituters'])],
    trustedPublicKeys: [
      ...words(nixConfig['trusted-public-keys']),
      ...words(nixConfig['extra-trusted-public-keys']),
    ],
  };
}

/**
 * Only the caches flake.nix's `nixConfig` declares, without fetching or evaluating any input: one
 * `nix eval` of the file's top-level attribute set. Evaluating runs the workspace's code, so only
 * for trusted folders. Throws FlakeEvalError.
 */
export async function readFlakeCacheConfig(
  flakeDir: string,
  options: NixRunOptions = {},
): Promise<FlakeCacheConfig> {
  const flakeNix = nixString(path.join(path.resolve(flakeDir), 'flake.nix'));
  const expression = `let r = builtins.tryEval (let c = (import ${flakeNix}).nixConfig or { }; in builtins.deepSeq c c); in if r.success then r.value else null`;
  const json = JSON.parse(await evalExpression(expression, flakeDir, options)) as unknown;
  if (json === null) throw new FlakeEvalError(`evaluating the nixConfig of ${flakeNix} threw`);
  return flakeCacheConfigOf(record(json));
}

function toDerivation(entry: Record<string, unknown>): FlakeDerivation {
  const { drv, name } = entry;
  if (typeof drv !== 'string' || typeof name !== 'string') {
    throw new FlakeEvalError(`the evaluation returned a derivation without drv or name`);
  }
  const outputs: Record<string, string> = {};
  for (const [output, outPath] of Object.entries(record(entry['outs'] ?? {}))) {
    if (typeof outPath === 'string') outputs[output] = outPath;
  }
  const { system, features, local } = entry;
  if (typeof system !== 'string') return { drvPath: drv, name, outputs };
  const requiredSystemFeatures = Array.isArray(features)
    ? features.filter((f): f is string => typeof f === 'string')
    : [];
  return {
    drvPath: drv,
    name,
    outputs,
    build: { system, requiredSystemFeatures, preferLocalBuild: local === true },
  };
}

function record(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FlakeEvalError(`the evaluation returned ${JSON.stringify(value)} where a set was expected`);
  }
  return value as Record<string, unknown>;
}

/** nixConfig values are lists or whitespace-separated strings. */
function words(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [];
}
