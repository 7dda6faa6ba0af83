// A generated flake in a temporary git repository, evaluated and built by the real Nix with its
// inputs replaced by the stand-ins in test/nix/flake-inputs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runNix, type Nix } from './nix';
import { STAND_INS } from './paths';

const INPUTS = ['nixpkgs', 'crane', 'rust-overlay', 'fenix'] as const;

function git(dir: string, args: string[]): void {
  const result = spawnSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} in ${dir}: ${result.stderr}`);
}

/** A flake only sees what git tracks: a new repository with everything added (nothing committed). */
export function gitInit(dir: string): void {
  git(dir, ['init', '-q']);
  gitAdd(dir);
}

export function gitAdd(dir: string): void {
  git(dir, ['add', '-A']);
}

/** The stand-in inputs a flake declares, as `--override-input` arguments, and no lock file written. */
export function flakeArgs(dir: string): string[] {
  const text = fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8');
  const inputsBlock = /\n {2}inputs = \{\n([\s\S]*?)\n {2}\};/.exec(text)?.[1] ?? '';
  const args = ['--no-write-lock-file'];
  for (const name of INPUTS) {
    if (new RegExp(`^ {4}${name}(\\.url)? = `, 'm').test(inputsBlock)) {
      args.push('--override-input', name, `path:${path.join(STAND_INS, name)}`);
    }
  }
  return args;
}

function ref(dir: string, attrPath: string): string {
  return `git+file://${dir}#${attrPath}`;
}

/** `nix eval --json <flake>#<attrPath> [--apply fn]`, parsed. */
export function evalFlake<T>(nix: Nix, dir: string, attrPath: string, apply?: string): T {
  const args = ['eval', '--json', ...flakeArgs(dir), ref(dir, attrPath)];
  if (apply !== undefined) args.push('--apply', apply);
  return JSON.parse(runNix(nix, 'nix', args)) as T;
}

/** `nix flake check --no-build`: every output of every system evaluates and has the right shape. */
export function checkFlake(nix: Nix, dir: string): void {
  // Nix 2.8 checks every system; from 2.19 on only the current one unless asked.
  const [major, minor] = nix.version;
  const allSystems = major > 2 || minor >= 19 ? ['--all-systems'] : [];
  runNix(nix, 'nix', ['flake', 'check', '--no-build', ...allSystems, ...flakeArgs(dir), `git+file://${dir}`]);
}

/** What builds need: a modern Nix run through install-trixie.sh's loader cannot re-exec a build hook. */
function buildOptions(nix: Nix): string[] {
  const [major, minor] = nix.version;
  return major > 2 || minor >= 19 ? ['--option', 'build-hook', ''] : [];
}

/** Builds one attribute; returns the `out` path. */
export function buildFlake(nix: Nix, dir: string, attrPath: string): string {
  const output = runNix(nix, 'nix', [
    'build',
    '--json',
    '--no-link',
    '-L',
    ...buildOptions(nix),
    ...flakeArgs(dir),
    ref(dir, attrPath),
  ]);
  const built = JSON.parse(output) as { outputs: Record<string, string> }[];
  const out = built[0]?.outputs['out'];
  if (out === undefined) throw new Error(`nix build ${attrPath} printed no output path: ${output}`);
  return out;
}

/** `nix print-dev-env --json` of the default dev shell: `{ NAME: value }` of its exported variables. */
export function devEnv(nix: Nix, dir: string): Record<string, string> {
  const output = runNix(nix, 'nix', [
    'print-dev-env',
    '--json',
    ...buildOptions(nix),
    ...flakeArgs(dir),
    `git+file://${dir}`,
  ]);
  const parsed = JSON.parse(output) as { variables: Record<string, { type: string; value: unknown }> };
  const result: Record<string, string> = {};
  for (const [name, v] of Object.entries(parsed.variables)) {
    if (v.type === 'exported' && typeof v.value === 'string') result[name] = v.value;
  }
  return result;
}

/** What tests read from a derivation: its .drv, and the attributes it was made from. */
export interface DrvInfo {
  drv: string;
  /** The output path (`outPath` would make Nix print the whole set as that string). */
  out: string;
  name: string;
  /** `drvAttrs` without the builder script; derivations inside appear as their output paths. */
  env: Record<string, unknown>;
  meta: Record<string, unknown>;
  /** The same for its `cargoArtifacts` (crane's dependency artifacts), if any. */
  artifacts: DrvInfo | null;
  /** The `drvAttrs` of the toolchains it was given (crane derivations). */
  toolchains: Record<string, unknown>[];
}

/** A Nix function from an attribute set of derivations to `{ name = DrvInfo; }`. */
export const SUMMARISE = `let
  info = d: {
    drv = d.drvPath;
    out = d.outPath;
    name = d.name;
    env = removeAttrs d.drvAttrs [ "args" ];
    meta = d.meta or { };
    artifacts = if d.drvAttrs.cargoArtifacts or null == null then null else info d.drvAttrs.cargoArtifacts;
    toolchains = map (t: removeAttrs t.drvAttrs [ "args" ]) (d.drvAttrs.toolchain or [ ]);
  };
in
set: builtins.mapAttrs (_: info) set`;

/** The derivations of `packages`, `checks` or `devShells` for x86_64-linux. */
export function derivations(nix: Nix, dir: string, output: string): Record<string, DrvInfo> {
  return evalFlake<Record<string, DrvInfo>>(nix, dir, `${output}.x86_64-linux`, SUMMARISE);
}

export function envString(info: DrvInfo, key: string): string {
  const value = info.env[key];
  if (typeof value !== 'string') throw new Error(`${info.name}: ${key} is ${JSON.stringify(value)}`);
  return value;
}

export function envList(info: DrvInfo, key: string): string[] {
  const value = info.env[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${info.name}: ${key} is not a list: ${JSON.stringify(value)}`);
  return value.map(String);
}

/** `/nix/store/<hash>-openssl-3.4.1` → `openssl-3.4.1`. */
export function storeName(storePath: string): string {
  return path.basename(storePath).replace(/^[0-9a-z]{32}-/, '');
}

/** Output paths of stand-in nixpkgs attributes (`openssl`, `xorg.libX11`…) for x86_64-linux. */
export function standInOutPaths(nix: Nix, attrs: string[]): Record<string, string> {
  const body = attrs.map((a) => `"${a}" = pkgs.${a}.outPath;`).join(' ');
  const expr = `let pkgs = import ${path.join(STAND_INS, 'nixpkgs')} { system = "x86_64-linux"; }; in { ${body} }`;
  return JSON.parse(
    runNix(nix, 'nix-instantiate', ['--eval', '--strict', '--json', '--expr', expr]),
  ) as Record<string, string>;
}
