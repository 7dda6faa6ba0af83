// The settings that decide where Nix may download from and where it builds: `nix show-config --json` (2.8) or
// `nix config show --json` (2.18+, where the old name warns). Both print
// `{ "<name>": { "value": …, "defaultValue": …, "description": … } }`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { DEFAULT_BUILDERS, readBuildMachines, type BuildMachine, type ReadTextFile } from './buildMachines';
import { dialectOf, runNix, type NixRunOptions } from './invoke';
import type { NixDialect } from './nixCommand';

export interface NixConfig {
  /** `substituters` with `extra-substituters` merged in, as Nix reports them. */
  substituters: string[];
  trustedSubstituters: string[];
  trustedPublicKeys: string[];
  /** False only when the user turned signature checks off. */
  requireSigs: boolean;
  /** The system Nix builds for, e.g. `x86_64-linux`. */
  system: string;
  /** Remote builders (`builders`, `@file` includes read); empty when none are configured. */
  builders: BuildMachine[];
  /** Entries of `builders` or its machines files that Nix would refuse, each with where it is. */
  builderProblems: string[];
  /** Builders fetch from their own substituters rather than from this machine. */
  buildersUseSubstitutes: boolean;
  /** Local build slots; 0 means every build must go to a builder. */
  maxJobs: number;
  /** What this machine offers to `requiredSystemFeatures`, e.g. `kvm`, `big-parallel`. */
  systemFeatures: string[];
  /** Systems besides `system` that this machine builds for, e.g. `i686-linux`. */
  extraPlatforms: string[];
}

export class NixConfigError extends Error {
  override readonly name = 'NixConfigError';
}

/** Reads one setting's `value` (`undefined` when absent) or a list setting's words. */
export interface NixSettings {
  value(name: string): unknown;
  list(name: string): string[];
}

/** The settings object `nix show-config --json` / `nix config show --json` prints. */
export function parseNixSettings(text: string): NixSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NixConfigError(`nix printed invalid JSON for its configuration: ${(error as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new NixConfigError('nix printed a configuration that is not an object');
  }
  const settings = json as Record<string, unknown>;
  const value = (name: string): unknown => {
    const setting = settings[name];
    return setting !== null && typeof setting === 'object'
      ? (setting as { value?: unknown }).value
      : undefined;
  };
  const list = (name: string): string[] => {
    const v = value(name);
    if (Array.isArray(v)) return v.filter((s): s is string => typeof s === 'string' && s !== '');
    return typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : [];
  };
  return { value, list };
}

/** Reads a machines file from disk; a missing one is no builders, as for Nix. */
export const readTextFileIfExists: ReadTextFile = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

/** `readFile` reads the machines files that `builders` includes with `@`. */
export function parseNixConfigJson(text: string, readFile: ReadTextFile = readTextFileIfExists): NixConfig {
  const { value, list } = parseNixSettings(text);
  const system = value('system');
  if (typeof system !== 'string') throw new NixConfigError('the configuration Nix printed has no system');
  const builders = value('builders');
  const { machines, problems } = readBuildMachines(
    typeof builders === 'string' ? builders : DEFAULT_BUILDERS,
    readFile,
  );
  return {
    substituters: list('substituters'),
    trustedSubstituters: list('trusted-substituters'),
    trustedPublicKeys: list('trusted-public-keys'),
    requireSigs: value('require-sigs') !== false,
    system,
    builders: machines,
    builderProblems: problems,
    buildersUseSubstitutes: value('builders-use-substitutes') === true,
    maxJobs: maxJobsOf(value('max-jobs')),
    systemFeatures: list('system-features'),
    extraPlatforms: list('extra-platforms'),
  };
}

/** Nix prints `max-jobs = auto` already resolved to the CPU count; older or other Nix may not. */
function maxJobsOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'auto') return os.availableParallelism();
  const n = typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : 1;
}

/** The subcommand that prints the configuration as JSON (with `--json`) in each dialect. */
export function configShowCommand(dialect: NixDialect): string[] {
  return dialect === 'modern' ? ['config', 'show'] : ['show-config'];
}

/** The configuration the given `nix` runs with (its NIX_CONFIG and nix.conf files). */
export async function readNixConfig(options: NixRunOptions = {}): Promise<NixConfig> {
  const command = configShowCommand(await dialectOf(options));
  return parseNixConfigJson(await runNix([...command, '--json'], options));
}
