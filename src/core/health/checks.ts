// The health checks as pure functions of what the probes found (runner.ts gathers it), so every
// verdict, sentence and fix line is unit-tested on recorded Nix output.
import * as path from 'node:path';
import type { Problem } from '../cargo';
import type { CacheProbe } from '../nix/binaryCache';
import type { NixVersion } from '../nix/nixCommand';
import type { NixConfig } from '../nix/nixConfig';
import { planSubstituters, type FlakeCacheConfig } from '../nix/substituters';
import type { HealthFix, HealthItem } from './types';

/** The oldest Nix Nixify is tested with; older ones print other JSON. */
export const MIN_TESTED_NIX = { major: 2, minor: 8 } as const;
/** Before 2.4 Nix has no flakes and no `nix` command at all. */
export const MIN_FLAKES_NIX = { major: 2, minor: 4 } as const;

export const INSTALL_NIX_COMMAND = 'sh <(curl -L https://nixos.org/nix/install) --daemon';
export const NIX_PATH_SETTING = 'nixify.nix.path';
export const USER_NIX_CONF = '~/.config/nix/nix.conf';
export const SYSTEM_NIX_CONF = '/etc/nix/nix.conf';

// ── Nix itself ──────────────────────────────────────────────────────────────────────────────

export interface NixFound {
  /** What was asked for: the setting's value, else `nix`. */
  requested: string;
  fromSetting: boolean;
  /** The file it resolved to; null when there is none. */
  resolved: string | null;
  version: NixVersion | null;
  /** Why the version could not be read. */
  error: string | null;
}

function older(
  version: Pick<NixVersion, 'major' | 'minor'>,
  than: { major: number; minor: number },
): boolean {
  return version.major < than.major || (version.major === than.major && version.minor < than.minor);
}

export function versionText(version: NixVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}

/** Nix 2.8 and 2.26's words for a configuration they cannot load. */
const CONFIG_REFUSED = /configuration line|included from '|in 'NIX_CONFIG'|nix\.conf/;

export function checkNix(found: NixFound): HealthItem {
  const base = { id: 'nix.installed', title: 'Nix' };
  if (found.version === null) {
    const where = found.fromSetting ? ` (from the setting ${NIX_PATH_SETTING})` : ' on PATH';
    const why =
      found.resolved === null
        ? `\`${found.requested}\` was not found${where}.`
        : (found.error ?? 'no version');
    // Nix is there but refuses its configuration (a broken NIX_CONFIG line, a nix.conf include of a
    // missing file): reinstalling would not help; the line Nix names is the fix.
    if (found.resolved !== null && CONFIG_REFUSED.test(why)) {
      return {
        ...base,
        status: 'error',
        detail: `${why} Nix at ${found.resolved} refuses its configuration: fix or remove the line it names (in NIX_CONFIG or the nix.conf file it names), then check again.`,
      };
    }
    const fix: HealthFix = found.fromSetting
      ? {
          kind: 'setting',
          setting: NIX_PATH_SETTING,
          hint: 'Point it at an existing nix, or clear it to use nix on PATH.',
        }
      : { kind: 'command', command: INSTALL_NIX_COMMAND };
    const next = found.fromSetting
      ? `Fix ${NIX_PATH_SETTING}.`
      : `Install Nix (multi-user) with \`${INSTALL_NIX_COMMAND}\`, or set ${NIX_PATH_SETTING} to a nix that is not on PATH.`;
    return { ...base, status: 'error', detail: `${why} ${next}`, fix };
  }
  const at = `Nix ${versionText(found.version)} at ${found.resolved ?? found.requested}`;
  if (older(found.version, MIN_FLAKES_NIX)) {
    return {
      ...base,
      status: 'error',
      detail: `${at}: Nix before 2.4 has neither flakes nor the \`nix\` command. Upgrade Nix.`,
      fix: { kind: 'command', command: 'sudo -i nix upgrade-nix' },
    };
  }
  if (older(found.version, MIN_TESTED_NIX)) {
    return {
      ...base,
      status: 'warning',
      detail: `${at}: older than 2.8, the oldest Nix that Nixify is tested with. Upgrade Nix.`,
      fix: { kind: 'command', command: 'sudo -i nix upgrade-nix' },
    };
  }
  return { ...base, status: 'ok', detail: at };
}

// ── experimental-features ───────────────────────────────────────────────────────────────────

/**
 * The feature names of an `experimental-features` value. Nix before 2.13 or so printed the
 * features as enum indices whose order changed between versions: null then, and the caller asks
 * Nix another way.
 */
export function parseExperimentalFeatures(value: unknown): string[] | null {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (!Array.isArray(value)) return [];
  if (value.some((v) => typeof v !== 'string')) return null;
  return value as string[];
}

/** The message Nix prints when a feature the command needs is off. */
export function missingFeature(stderr: string): string | null {
  return /experimental Nix feature '([\w-]+)' is disabled/.exec(stderr)?.[1] ?? null;
}

export function checkExperimentalFeatures(enabled: { nixCommand: boolean; flakes: boolean }): HealthItem {
  const missing = [...(enabled.nixCommand ? [] : ['nix-command']), ...(enabled.flakes ? [] : ['flakes'])];
  const base = { id: 'nix.experimentalFeatures', title: 'Flakes and the nix command' };
  if (missing.length === 0) {
    return { ...base, status: 'ok', detail: 'experimental-features includes nix-command and flakes.' };
  }
  return {
    ...base,
    status: 'warning',
    detail:
      `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not enabled in your Nix configuration. ` +
      'Nixify enables them for its own runs, but `nix build`, `nix develop` and direnv in your terminal need them.',
    fix: {
      kind: 'nixConf',
      file: USER_NIX_CONF,
      lines: [`extra-experimental-features = ${missing.join(' ')}`],
      then: null,
    },
  };
}

// ── the store and the daemon ────────────────────────────────────────────────────────────────

export interface StoreInfo {
  /** `local`, `daemon`, `unix:///…`, … */
  url: string;
  version: string | null;
  /** Whether the store trusts the user; null where Nix does not say (2.8). */
  trusted: boolean | null;
}

/**
 * `nix store ping --json` (modern: `{"url":…,"version":…,"trusted":1}`) or the text of 2.8
 * (`Store URL: daemon`, maybe `Version: 2.8.0`). Null when neither.
 */
export function parseStorePing(stdout: string): StoreInfo | null {
  const text = stdout.trim();
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      if (typeof json['url'] !== 'string') return null;
      const trusted = json['trusted'];
      return {
        url: json['url'],
        version: typeof json['version'] === 'string' ? json['version'] : null,
        trusted: trusted === 1 || trusted === true ? true : trusted === 0 || trusted === false ? false : null,
      };
    } catch {
      return null;
    }
  }
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim() ?? null;
  const url = field('Store URL');
  if (url === null) return null;
  const trusted = field('Trusted');
  return { url, version: field('Version'), trusted: trusted === null ? null : trusted === '1' };
}

/** The store is a daemon that other users share, so its own settings decide what is trusted. */
export function isDaemonStore(url: string): boolean {
  return url === 'daemon' || url.startsWith('unix://');
}

/** Where lines that change substituters and keys must go for them to count. */
export interface NixConfTarget {
  file: string;
  then: string | null;
}

export function restartDaemonCommand(platform: NodeJS.Platform): string {
  return platform === 'darwin'
    ? 'sudo launchctl kickstart -k system/org.nixos.nix-daemon'
    : 'sudo systemctl restart nix-daemon';
}

/** The daemon reads only the system nix.conf for what it trusts; a local store reads the user's too. */
export function nixConfTarget(store: StoreInfo | null, platform: NodeJS.Platform): NixConfTarget {
  return store !== null && isDaemonStore(store.url)
    ? { file: SYSTEM_NIX_CONF, then: `Restart the daemon: ${restartDaemonCommand(platform)}` }
    : { file: USER_NIX_CONF, then: null };
}

export function checkStore(store: StoreInfo | { error: string }, platform: NodeJS.Platform): HealthItem {
  const base = { id: 'nix.store', title: 'Nix store' };
  if ('error' in store) {
    const daemon = /daemon|socket/i.test(store.error);
    return {
      ...base,
      status: 'error',
      detail: `The Nix store cannot be opened: ${store.error}`,
      ...(daemon && { fix: { kind: 'command', command: restartDaemonCommand(platform) } as const }),
    };
  }
  const kind = isDaemonStore(store.url) ? 'through the daemon' : 'directly';
  const version = store.version === null ? '' : ` (Nix ${store.version})`;
  return { ...base, status: 'ok', detail: `Reachable ${kind}: ${store.url}${version}.` };
}

// ── trusted users ───────────────────────────────────────────────────────────────────────────

export interface TrustedUserInput {
  store: StoreInfo | null;
  /** `trusted-users` from the configuration: names, `@group`, `*`. */
  trustedUsers: readonly string[];
  user: string;
  groups: readonly string[];
  platform: NodeJS.Platform;
}

export function isTrustedUser(
  trustedUsers: readonly string[],
  user: string,
  groups: readonly string[],
): boolean {
  return (
    user === 'root' ||
    trustedUsers.some(
      (entry) =>
        entry === '*' || entry === user || (entry.startsWith('@') && groups.includes(entry.slice(1))),
    )
  );
}

export function checkTrustedUser(input: TrustedUserInput): HealthItem {
  const base = { id: 'nix.trustedUser', title: 'Trusted user' };
  const { store, user } = input;
  if (store === null) return { ...base, status: 'skipped', detail: 'Needs a reachable Nix store.' };
  if (!isDaemonStore(store.url)) {
    return {
      ...base,
      status: 'ok',
      detail: `No daemon: ${user} opens the store directly, so your own settings apply.`,
    };
  }
  const trusted = store.trusted ?? isTrustedUser(input.trustedUsers, user, input.groups);
  const how = store.trusted === null ? 'trusted-users' : 'the daemon';
  if (trusted) return { ...base, status: 'ok', detail: `${user} is a trusted user (says ${how}).` };
  return {
    ...base,
    status: 'warning',
    detail:
      `${user} is not a trusted user of the Nix daemon (says ${how}): the daemon ignores the caches and keys ` +
      "a flake's nixConfig asks for unless they are already in /etc/nix/nix.conf. A trusted user is as powerful " +
      'as root; adding the caches to /etc/nix/nix.conf (see the cache checks) is the narrower fix.',
    fix: {
      kind: 'nixConf',
      file: SYSTEM_NIX_CONF,
      lines: [`extra-trusted-users = ${user}`],
      then: `Restart the daemon: ${restartDaemonCommand(input.platform)}`,
    },
  };
}

// ── substituters ────────────────────────────────────────────────────────────────────────────

/**
 * The trusted key that belongs to the cache at `url` by the usual naming (`cache.nixos.org-1` for
 * https://cache.nixos.org, `NAME.cachix.org-1` for a Cachix cache): the key's name without its
 * `-N` suffix is the cache's host or shares its domain. Null when no key is named that way.
 */
export function keyNamedAfter(url: string, keyNames: readonly string[]): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (host === '') return null;
  const domain = (name: string) => name.split('.').slice(-2).join('.');
  for (const name of keyNames) {
    const stem = name.toLowerCase().replace(/-\d+$/, '');
    const sameDomain = stem.includes('.') && !/^[\d.]+$/.test(host) && domain(stem) === domain(host);
    if (stem === host || sameDomain) return name;
  }
  return null;
}

export interface SubstituterInput {
  url: string;
  probe: CacheProbe;
  /** Names of the keys in trusted-public-keys (`name` of `name:base64`). */
  trustedKeyNames: readonly string[];
  requireSigs: boolean;
  target: NixConfTarget;
}

export function checkSubstituter(input: SubstituterInput): HealthItem {
  const { url, probe, trustedKeyNames } = input;
  const base = { id: `nix.substituter:${url}`, title: `Cache ${url}` };
  if (probe.kind === 'unreachable') {
    return {
      ...base,
      status: 'warning',
      detail: `Not reachable: ${probe.reason}. Nix tries it for every path it does not have, and waits for it.`,
    };
  }
  const keyFix = (name: string): HealthFix => ({
    kind: 'nixConf',
    file: input.target.file,
    lines: [`extra-trusted-public-keys = ${name}:<the cache's public key>`],
    then: input.target.then,
  });
  if (!input.requireSigs) {
    return { ...base, status: 'ok', detail: 'Reachable; signatures are not checked (require-sigs = false).' };
  }
  if (probe.sampleSigners !== null) {
    if (probe.sampleSigners.length === 0) {
      return {
        ...base,
        status: 'warning',
        detail: 'Reachable, but the path sampled from it is unsigned: Nix does not use unsigned paths.',
      };
    }
    const trustedBy = probe.sampleSigners.find((name) => trustedKeyNames.includes(name));
    if (trustedBy !== undefined) {
      return {
        ...base,
        status: 'ok',
        detail: `Reachable; its paths are signed by ${trustedBy}, a trusted key.`,
      };
    }
    const signer = probe.sampleSigners[0] ?? '';
    return {
      ...base,
      status: 'warning',
      detail: `Reachable, but its paths are signed by ${probe.sampleSigners.join(', ')}, which is not in trusted-public-keys: Nix builds them instead.`,
      fix: keyFix(signer),
    };
  }
  const key = keyNamedAfter(url, trustedKeyNames);
  if (key !== null) return { ...base, status: 'ok', detail: `Reachable; trusted key ${key}.` };
  if (!/^https?:/i.test(url)) {
    return {
      ...base,
      status: 'ok',
      detail: 'Reachable (which key signs its paths cannot be told from here).',
    };
  }
  const host = new URL(url).hostname;
  return {
    ...base,
    status: 'warning',
    detail:
      `Reachable, but no key in trusted-public-keys is named after ${host}. If its key is there under ` +
      'another name, ignore this; otherwise Nix builds what it would download from here.',
    fix: keyFix(`${host}-1`),
  };
}

// ── the flake's own caches ──────────────────────────────────────────────────────────────────

export interface NixErrorLocation {
  /** Relative to the folder, e.g. `flake.nix`. */
  file: string;
  line: number;
  column: number;
  /** Nix's first line, e.g. "syntax error, unexpected '{'". */
  message: string;
}

export type FlakeCacheFacts =
  | { kind: 'read'; cache: FlakeCacheConfig }
  /** `location`: where Nix found flake.nix itself broken (a syntax error, an undefined variable). */
  | { kind: 'failed'; reason: string; location?: NixErrorLocation }
  | { kind: 'untrusted' }
  | { kind: 'noFlake' };

export function checkFlakeCaches(
  folder: string,
  facts: FlakeCacheFacts,
  config: NixConfig,
  target: NixConfTarget,
): HealthItem {
  const base = { id: 'flake.substituters', title: "The flake's caches (nixConfig)", folder };
  switch (facts.kind) {
    case 'noFlake':
      return { ...base, status: 'skipped', detail: 'No flake.nix.' };
    case 'untrusted':
      return {
        ...base,
        status: 'skipped',
        detail:
          "Not read: reading flake.nix's nixConfig evaluates the workspace's Nix code. Trust the workspace to check it.",
      };
    case 'failed': {
      const at = facts.location;
      // A flake.nix Nix cannot read breaks every nix build, develop and the views: an error, at its place.
      if (at !== undefined)
        return {
          ...base,
          title: 'flake.nix',
          status: 'error',
          detail: `${at.file}:${at.line}:${at.column}: error: ${at.message} — Nix cannot evaluate this flake until it is fixed.`,
        };
      return {
        ...base,
        status: 'warning',
        detail: `flake.nix's nixConfig could not be read: ${facts.reason}`,
      };
    }
    case 'read':
      break;
  }
  const { cache } = facts;
  if (cache.substituters.length === 0) {
    return { ...base, status: 'ok', detail: 'flake.nix declares no binary caches.' };
  }
  const plan = planSubstituters(config, cache);
  const untrusted = plan.flakeSubstituters.filter((s) => !s.trusted).map((s) => s.url);
  const missingKeys = cache.trustedPublicKeys.filter((k) => !config.trustedPublicKeys.includes(k));
  const keyLine = missingKeys.length > 0 ? [`extra-trusted-public-keys = ${missingKeys.join(' ')}`] : [];
  if (untrusted.length > 0) {
    return {
      ...base,
      status: 'warning',
      detail:
        `flake.nix asks for ${untrusted.join(', ')}, which your Nix configuration does not trust. Nix asks ` +
        "before using a flake's caches and Nixify never accepts them for you, so what they hold is built " +
        'locally instead. Add the lines to trust them.',
      fix: {
        kind: 'nixConf',
        file: target.file,
        lines: [`extra-substituters = ${untrusted.join(' ')}`, ...keyLine],
        then: target.then,
      },
    };
  }
  if (keyLine.length > 0) {
    return {
      ...base,
      status: 'warning',
      detail: `Its caches are trusted, but not the key${missingKeys.length === 1 ? '' : 's'} ${missingKeys.join(' ')}: paths signed only by ${missingKeys.length === 1 ? 'it' : 'them'} are built locally.`,
      fix: { kind: 'nixConf', file: target.file, lines: keyLine, then: target.then },
    };
  }
  return { ...base, status: 'ok', detail: `Trusted: ${cache.substituters.join(', ')}.` };
}

// ── the workspace ───────────────────────────────────────────────────────────────────────────

export interface WorkspaceFacts {
  folder: string;
  flakeNix: boolean;
  flakeLock: boolean;
  /** Null where there is no Cargo.toml. */
  cargoLock: boolean | null;
  /** Relative to the folder: `Cargo.lock` unless the Cargo workspace is in a subfolder. */
  cargoLockFile: string;
  /**
   * Which of the files git tracks; `notRepo` outside a git work tree (Nix then reads the folder as
   * it is), `notAsked` in an untrusted workspace (git runs the repository's hooks and fsmonitor)
   * or without git.
   */
  git: { flakeNix: boolean; flakeLock: boolean; cargoLock: boolean } | 'notRepo' | 'notAsked';
  /** Errors of the Cargo.toml files at the folder or above it that do not parse (cargo loads nothing below them). */
  brokenManifests?: readonly Problem[];
}

export function checkWorkspace(facts: WorkspaceFacts): HealthItem[] {
  const { folder, git } = facts;
  const tracked = (file: 'flakeNix' | 'flakeLock' | 'cargoLock') =>
    typeof git === 'object' ? git[file] : true;
  const tracking =
    typeof git === 'object' ? ' and tracked by git' : git === 'notAsked' ? ' (git was not asked)' : '';
  const items: HealthItem[] = [];
  const broken = facts.brokenManifests ?? [];
  for (const problem of broken) {
    items.push({
      id: `workspace.cargoToml:${problem.file}`,
      title: 'Cargo.toml',
      folder,
      status: 'error',
      detail: `${path.relative(folder, problem.file) || problem.file}:${problem.line}:${problem.column}: ${problem.message.replace(/\n/g, '; ')}`,
    });
  }
  const flake = { id: 'workspace.flake', title: 'flake.nix', folder };
  if (!facts.flakeNix && broken.length > 0) {
    // `nixify init` refuses a manifest that does not parse: offer it only once it would work.
    items.push({
      ...flake,
      status: 'warning',
      detail: 'No flake.nix: `nixify init` writes one once Cargo.toml parses.',
    });
  } else if (!facts.flakeNix) {
    items.push({
      ...flake,
      status: 'warning',
      detail: 'No flake.nix: Nixify writes one (Nixify: Nixify Workspace, or `nixify init`).',
      fix: { kind: 'command', command: 'nixify init' },
    });
  } else if (!tracked('flakeNix')) {
    items.push({
      ...flake,
      status: 'error',
      detail:
        'flake.nix is not tracked by git: in a git repository Nix sees only tracked files, so it finds no flake.',
      fix: { kind: 'command', command: 'git add flake.nix' },
    });
  } else {
    items.push({ ...flake, status: 'ok', detail: `Present${tracking}.` });
  }

  const lock = { id: 'workspace.flakeLock', title: 'flake.lock', folder };
  if (!facts.flakeNix) {
    items.push({ ...lock, status: 'skipped', detail: 'No flake.nix.' });
  } else if (!facts.flakeLock) {
    items.push({
      ...lock,
      status: 'warning',
      detail: 'No flake.lock: every evaluation resolves the inputs anew, so builds are not reproducible.',
      fix: { kind: 'command', command: 'nix flake lock' },
    });
  } else if (!tracked('flakeLock')) {
    items.push({
      ...lock,
      status: 'warning',
      detail:
        'flake.lock is not tracked by git: Nix does not see it and locks the inputs again on every evaluation.',
      fix: { kind: 'command', command: 'git add flake.lock' },
    });
  } else {
    items.push({ ...lock, status: 'ok', detail: `Present${tracking}.` });
  }

  const cargo = { id: 'workspace.cargoLock', title: 'Cargo.lock', folder };
  const lockFile = facts.cargoLockFile;
  if (facts.cargoLock === null) {
    items.push({
      ...cargo,
      status: 'skipped',
      detail: broken.length > 0 ? 'Cargo.toml does not parse.' : 'No Cargo.toml.',
    });
  } else if (!facts.cargoLock) {
    items.push({
      ...cargo,
      status: 'error',
      detail: `No ${lockFile}: crane vendors dependencies from it, so the flake cannot build.`,
      fix: { kind: 'command', command: 'cargo generate-lockfile' },
    });
  } else if (facts.flakeNix && !tracked('cargoLock')) {
    items.push({
      ...cargo,
      status: 'error',
      detail: `${lockFile} is not tracked by git (is it in .gitignore?): the flake does not see it and cannot build.`,
      fix: { kind: 'command', command: `git add -f ${lockFile}` },
    });
  } else {
    items.push({ ...cargo, status: 'ok', detail: `${lockFile} present${tracking}.` });
  }
  return items;
}

// ── optional tools ──────────────────────────────────────────────────────────────────────────

export function checkGit(found: string | null): HealthItem {
  const base = { id: 'tool.git', title: 'git' };
  return found === null
    ? {
        ...base,
        status: 'warning',
        detail: 'git is not on PATH: Nix needs it to read flakes inside git repositories.',
      }
    : { ...base, status: 'ok', detail: `At ${found}.` };
}

export function checkCachix(found: string | null): HealthItem {
  const base = { id: 'tool.cachix', title: 'cachix (optional)' };
  return found === null
    ? {
        ...base,
        status: 'skipped',
        detail: 'cachix is not on PATH; it is needed only to push build results to a Cachix cache.',
        fix: { kind: 'command', command: 'nix profile install nixpkgs#cachix' },
      }
    : { ...base, status: 'ok', detail: `At ${found}.` };
}

/** Items for checks that could not run because an earlier one failed. */
export function skippedItem(id: string, title: string, why: string, folder?: string): HealthItem {
  return { id, title, status: 'skipped', detail: why, ...(folder !== undefined && { folder }) };
}
