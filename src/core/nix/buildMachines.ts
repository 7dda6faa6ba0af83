// The remote builders Nix may hand a build to: the `builders` setting (machines separated by `;` or
// newlines, `@file` reading a machines file, `/etc/nix/machines` by default) in the format of
// nix.conf(5): `uri systems ssh-key max-jobs speed-factor supported-features mandatory-features
// host-key`, `-` meaning "default". Parsing is implemented in parseBuildMachines.

export interface BuildMachine {
  /** `ssh://host`, `ssh-ng://user@host?remote-store=…`; a bare host means `ssh://host`. */
  uri: string;
  /** Systems it builds for; empty means Nix's own system (Nix's default when the field is `-`). */
  systems: string[];
  /** Path of the SSH identity, or null. */
  sshKey: string | null;
  maxJobs: number;
  speedFactor: number;
  supportedFeatures: string[];
  /** Features a derivation must require for this machine to take it. */
  mandatoryFeatures: string[];
  /** Base64 host key, or null. */
  publicHostKey: string | null;
  /** Where it was read: "builders setting" or the machines file's path and line, e.g. `/etc/nix/machines:3`. */
  origin: string;
}

/** Where machines written directly in the `builders` setting come from. */
export const BUILDERS_SETTING = 'builders setting';
/** The `builders` default: the machines file, which need not exist. */
export const DEFAULT_BUILDERS = '@/etc/nix/machines';

/** One line or `;`-separated entry of a machines list, before `@file` includes are read. */
export type MachinesEntry =
  | { kind: 'machine'; machine: BuildMachine }
  | { kind: 'include'; file: string; origin: string }
  | { kind: 'invalid'; origin: string; message: string };

/** The builders Nix would use, and the entries it would refuse (it fails remote builds on them). */
export interface BuildMachines {
  machines: BuildMachine[];
  problems: string[];
}

/** Reads a file's text, or null when it does not exist. Other errors throw. */
export type ReadTextFile = (file: string) => string | null;

const FIELD_COUNT = 8;

/**
 * The entries of a `builders` value or a machines file. Entries are separated by `;` or newlines;
 * `#` starts a comment; `@/path` includes a machines file. An entry's origin is `origin` followed by
 * its line number when `origin` is a file, so a fix can name the line to edit.
 */
export function parseBuildMachines(text: string, origin: string): MachinesEntry[] {
  const entries: MachinesEntry[] = [];
  const inFile = origin !== BUILDERS_SETTING;
  text.split('\n').forEach((line, index) => {
    const where = inFile ? `${origin}:${index + 1}` : origin;
    const hash = line.indexOf('#');
    const code = hash === -1 ? line : line.slice(0, hash);
    for (const raw of code.split(';')) {
      const spec = raw.trim();
      if (spec === '') continue;
      if (spec.startsWith('@')) {
        entries.push({ kind: 'include', file: spec.slice(1).trim(), origin: where });
        continue;
      }
      try {
        entries.push({ kind: 'machine', machine: parseBuildMachine(spec, where) });
      } catch (error) {
        entries.push({ kind: 'invalid', origin: where, message: (error as Error).message });
      }
    }
  });
  return entries;
}

/** One machine specification, as Nix reads it; throws on what Nix would refuse. */
export function parseBuildMachine(spec: string, origin: string): BuildMachine {
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length > FIELD_COUNT) {
    throw new Error(`"${spec}" has ${fields.length} fields; a machine has at most ${FIELD_COUNT}`);
  }
  const field = (i: number): string | null => {
    const value = fields[i];
    return value === undefined || value === '-' ? null : value;
  };
  const list = (i: number): string[] => field(i)?.split(',').filter(Boolean) ?? [];
  const count = (i: number, name: string): number => {
    const value = field(i);
    if (value === null) return 1;
    // Nix reads these as unsigned integers (newer versions accept a fractional speed factor).
    if (!/^\d+(\.\d+)?$/.test(value)) throw new Error(`"${spec}": ${name} "${value}" is not a number`);
    return Number(value);
  };
  const uri = fields[0] ?? '';
  return {
    // Nix prepends ssh:// to a bare host; doing the same here keeps `--store <uri>` working.
    uri: uri.includes('://') ? uri : `ssh://${uri}`,
    systems: list(1),
    sshKey: field(2),
    maxJobs: count(3, 'max-jobs'),
    speedFactor: count(4, 'speed factor'),
    supportedFeatures: list(5),
    mandatoryFeatures: list(6),
    publicHostKey: field(7),
    origin,
  };
}

/** Include cycles (a machines file naming itself) would otherwise never end. */
const MAX_INCLUDE_DEPTH = 8;

/**
 * The machines a `builders` value stands for, with `@file` includes read through `readFile`. Like
 * Nix, a machines file that does not exist adds nothing (the default `@/etc/nix/machines` usually
 * does not).
 */
export function readBuildMachines(setting: string, readFile: ReadTextFile): BuildMachines {
  const result: BuildMachines = { machines: [], problems: [] };
  const visit = (text: string, origin: string, depth: number) => {
    for (const entry of parseBuildMachines(text, origin)) {
      if (entry.kind === 'machine') result.machines.push(entry.machine);
      else if (entry.kind === 'invalid') result.problems.push(`${entry.origin}: ${entry.message}`);
      else if (depth >= MAX_INCLUDE_DEPTH) {
        result.problems.push(`${entry.origin}: @${entry.file} is included too deeply (a cycle?)`);
      } else {
        let included: string | null;
        try {
          included = readFile(entry.file);
        } catch (error) {
          result.problems.push(`${entry.origin}: cannot read ${entry.file}: ${(error as Error).message}`);
          continue;
        }
        if (included !== null) visit(included, entry.file, depth + 1);
      }
    }
  };
  visit(setting, BUILDERS_SETTING, 0);
  return result;
}

export interface SshTarget {
  user: string | null;
  host: string;
  port: string | null;
}

/** `ssh-ng://nix@host:2222?…` → user, host, port: what ssh connects to for a machine's URI. */
export function sshTarget(uri: string): SshTarget {
  try {
    const url = new URL(uri);
    return {
      user: url.username === '' ? null : decodeURIComponent(url.username),
      host: url.hostname,
      port: url.port === '' ? null : url.port,
    };
  } catch {
    return { user: null, host: uri.replace(/^[\w-]+:\/\//, '').replace(/[?/].*$/, ''), port: null };
  }
}
