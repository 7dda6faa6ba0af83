// Gathers what the checks judge, in parallel where it can: which nix, its configuration as the
// user set it, the store, each substituter, each remote builder, the workspace's files and git, and
// the optional tools.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { brokenManifestsAbove, detectWorkspaces } from '../cargo';
import { FlakeEvalError, readFlakeCacheConfig } from '../derivations/flakeOutputs';
import { firstLocatedError } from '../nix/evalError';
import { findOnPath } from '../devenv/cacheKey';
import { gitTrackedStatus, isInsideGitWorkTree } from '../git';
import { probeCache } from '../nix/binaryCache';
import { nixTool, processOptions, type NixRunOptions } from '../nix/invoke';
import { nixArgs, nixDialect, probeNixVersion, type NixVersion } from '../nix/nixCommand';
import { configShowCommand, parseNixConfigJson, parseNixSettings, type NixConfig } from '../nix/nixConfig';
import { parsePublicKeys } from '../nix/signatures';
import { describeFailure, ProcessError, runProcess, type RunProcess } from '../process';
import {
  checkCachix,
  checkExperimentalFeatures,
  checkFlakeCaches,
  checkGit,
  checkNix,
  checkStore,
  checkSubstituter,
  checkTrustedUser,
  checkWorkspace,
  isDaemonStore,
  missingFeature,
  nixConfTarget,
  parseExperimentalFeatures,
  parseStorePing,
  skippedItem,
  versionText,
  type FlakeCacheFacts,
  type NixErrorLocation,
  type StoreInfo,
  type WorkspaceFacts,
} from './checks';
import { BUILDER_TIMEOUT_MS, probeBuilder } from './builderProbe';
import { checkBuilder, checkBuildersSetting } from './builders';
import type { HealthItem, HealthReport } from './types';

/** How Nix runs (`nix`: the program from the settings; undefined means `nix` on PATH), and what to check. */
export interface HealthOptions extends Pick<NixRunOptions, 'nix' | 'env' | 'replaceEnv' | 'signal'> {
  /** The workspace folders whose files (and flake caches) are checked. */
  folders: readonly string[];
  /**
   * False in an untrusted workspace: nothing is evaluated and git is not run in the folders
   * (flake.nix's nixConfig is code; a repository's git config can run programs).
   */
  trusted: boolean;
  /** Per substituter probe. Default 5 s. */
  cacheTimeoutMs?: number;
  /** Per remote builder (the SSH login and Nix's handshake); its process group is killed after it. Default 8 s. */
  builderTimeoutMs?: number;
  platform?: NodeJS.Platform;
  run?: RunProcess;
}

const NIX_TIMEOUT_MS = 20_000;

export async function runHealthChecks(options: HealthOptions): Promise<HealthReport> {
  const started = performance.now();
  const platform = options.platform ?? process.platform;
  const searchPath = options.replaceEnv
    ? options.env?.['PATH']
    : (options.env?.['PATH'] ?? process.env['PATH']);
  // A path given in the settings is looked up in its own directory: the same executable-file test.
  const which = (name: string) =>
    name.includes('/')
      ? findOnPath(path.basename(name), path.dirname(name))
      : findOnPath(name, searchPath ?? '');

  const requested = options.nix ?? 'nix';
  const resolved = which(requested) ?? null;
  const nixOptions: NixRunOptions = {
    nix: resolved ?? requested,
    timeoutMs: NIX_TIMEOUT_MS,
    ...(options.env !== undefined && { env: options.env }),
    ...(options.replaceEnv !== undefined && { replaceEnv: options.replaceEnv }),
    ...(options.signal !== undefined && { signal: options.signal }),
    ...(options.run !== undefined && { run: options.run }),
  };

  let version: NixVersion | null = null;
  let versionError: string | null = null;
  if (resolved !== null) {
    try {
      version = await probeNixVersion(options.run ?? runProcess, {
        ...processOptions(nixOptions),
        nix: resolved,
      });
    } catch (error) {
      versionError = messageOf(error);
    }
  }
  const nixItem = checkNix({
    requested,
    fromSetting: options.nix !== undefined,
    resolved,
    version,
    error: versionError,
  });

  const tools = Promise.all([which('git') ?? null, which('cachix') ?? null]);
  const workspaces = Promise.all(options.folders.map((folder) => workspaceFacts(folder, options)));
  const nixItems =
    version === null
      ? Promise.resolve(nixSkipped(options.folders))
      : nixChecks(version, nixOptions, options, platform);

  const [[git, cachix], facts, fromNix] = await Promise.all([tools, workspaces, nixItems]);
  const items: HealthItem[] = [
    nixItem,
    ...fromNix.global,
    ...facts.flatMap((f, i) => [...checkWorkspace(f), ...(fromNix.perFolder[i] ?? [])]),
    checkGit(git),
    checkCachix(cachix),
  ];
  return {
    items,
    nix: resolved,
    nixVersion: version === null ? null : versionText(version),
    durationMs: Math.round(performance.now() - started),
  };
}

interface NixItems {
  global: HealthItem[];
  /** One list per folder, in the order of `options.folders`. */
  perFolder: HealthItem[][];
}

function nixSkipped(folders: readonly string[]): NixItems {
  const why = 'Needs Nix.';
  return {
    global: [
      skippedItem('nix.experimentalFeatures', 'Flakes and the nix command', why),
      skippedItem('nix.store', 'Nix store', why),
      skippedItem('nix.trustedUser', 'Trusted user', why),
    ],
    perFolder: folders.map((folder) => [
      skippedItem('flake.substituters', "The flake's caches (nixConfig)", why, folder),
    ]),
  };
}

async function nixChecks(
  version: NixVersion,
  nixOptions: NixRunOptions,
  options: HealthOptions,
  platform: NodeJS.Platform,
): Promise<NixItems> {
  const [userConfig, store, groups] = await Promise.all([
    readUserConfig(version, nixOptions),
    storeInfo(version, nixOptions),
    userGroups(options),
  ]);
  const storeItem = checkStore(store, platform);
  const storeOk = 'error' in store ? null : store;
  const target = nixConfTarget(storeOk, platform);
  if ('error' in userConfig) {
    const why = `The Nix configuration could not be read: ${userConfig.error}`;
    return {
      global: [
        { id: 'nix.experimentalFeatures', title: 'Flakes and the nix command', status: 'error', detail: why },
        storeItem,
        skippedItem('nix.trustedUser', 'Trusted user', why),
      ],
      perFolder: options.folders.map((folder) => [
        skippedItem('flake.substituters', "The flake's caches (nixConfig)", why, folder),
      ]),
    };
  }
  const { config, features, trustedUsers } = userConfig;
  const keyNames = parsePublicKeys(config.trustedPublicKeys).keys.map((k) => k.name);
  const builderTimeoutMs = options.builderTimeoutMs ?? BUILDER_TIMEOUT_MS;
  const [probes, flakes, builderProbes] = await Promise.all([
    Promise.all(
      config.substituters.map((url) =>
        probeCache(url, {
          ...nixOptions,
          timeoutMs: options.cacheTimeoutMs ?? 5000,
        }),
      ),
    ),
    Promise.all(options.folders.map((folder) => flakeCacheFacts(folder, options, nixOptions))),
    Promise.all(
      config.builders.map((machine) =>
        probeBuilder(machine, version, { ...nixOptions, timeoutMs: builderTimeoutMs }),
      ),
    ),
  ]);
  // Without a daemon the user's own nix runs the build hook; with one, the daemon (root) does.
  const daemon = storeOk !== null && isDaemonStore(storeOk.url);
  const buildersItem = checkBuildersSetting(config, target);
  return {
    global: [
      checkExperimentalFeatures(features),
      storeItem,
      checkTrustedUser({ store: storeOk, trustedUsers, user: userName(), groups, platform }),
      ...config.substituters.map((url, i) =>
        checkSubstituter({
          url,
          probe: probes[i] ?? { kind: 'unreachable', reason: 'not probed' },
          trustedKeyNames: keyNames,
          requireSigs: config.requireSigs,
          target,
        }),
      ),
      ...(buildersItem === null ? [] : [buildersItem]),
      ...config.builders.map((machine, i) =>
        checkBuilder({
          machine,
          probe: builderProbes[i] ?? {
            kind: 'unreachable',
            stderr: 'not probed',
            timedOut: false,
            durationMs: 0,
          },
          localSystem: config.system,
          sshUser: daemon ? 'root' : userName(),
          daemon,
          target,
        }),
      ),
    ],
    perFolder: options.folders.map((folder, i) => [
      checkFlakeCaches(folder, flakes[i] ?? { kind: 'noFlake' }, config, target),
    ]),
  };
}

interface UserConfig {
  config: NixConfig;
  features: { nixCommand: boolean; flakes: boolean };
  trustedUsers: string[];
}

/**
 * The configuration as the user set it. Nixify's own runs add `--extra-experimental-features`,
 * which would show up here, so this one asks without it first: if Nix refuses because nix-command
 * is off, that is the answer for nix-command, and it asks again enabling only that.
 */
async function readUserConfig(
  version: NixVersion,
  options: NixRunOptions,
): Promise<UserConfig | { error: string }> {
  const run = options.run ?? runProcess;
  const nix = options.nix ?? 'nix';
  const args = [...configShowCommand(nixDialect(version)), '--json'];
  try {
    let nixCommand = true;
    let result = await run(nix, args, processOptions(options));
    if (result.exitCode !== 0 && missingFeature(result.stderr) === 'nix-command') {
      nixCommand = false;
      result = await run(
        nix,
        ['--extra-experimental-features', 'nix-command', ...args],
        processOptions(options),
      );
    }
    if (result.exitCode !== 0 || result.cancelled || result.timedOut)
      return { error: describeFailure(result) };
    const settings = parseNixSettings(result.stdout);
    const names = parseExperimentalFeatures(settings.value('experimental-features'));
    const flakes = names === null ? await getFlakeExists(options) : names.includes('flakes');
    return {
      config: parseNixConfigJson(result.stdout),
      features: { nixCommand, flakes },
      trustedUsers: settings.list('trusted-users'),
    };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

/** For old Nix that prints features as numbers: `builtins.getFlake` exists only with flakes on. */
async function getFlakeExists(options: NixRunOptions): Promise<boolean> {
  const run = options.run ?? runProcess;
  const result = await run(
    nixTool('nix-instantiate', options),
    ['--eval', '--expr', 'builtins ? getFlake'],
    processOptions(options),
  );
  return result.exitCode === 0 && result.stdout.trim() === 'true';
}

async function storeInfo(
  version: NixVersion,
  options: NixRunOptions,
): Promise<StoreInfo | { error: string }> {
  const run = options.run ?? runProcess;
  // Only modern Nix prints JSON here (with `trusted`); 2.8 prints `Store URL: …` on stderr.
  const modern = nixDialect(version) === 'modern';
  const ping = (verb: string) =>
    run(
      options.nix ?? 'nix',
      nixArgs(['store', verb, ...(modern ? ['--json'] : [])]),
      processOptions(options),
    );
  try {
    let result = await ping('ping');
    // `store ping` is a deprecated alias of `store info` in newer Nix and may go away.
    if (modern && result.exitCode !== 0) result = await ping('info');
    if (result.exitCode !== 0 || result.cancelled || result.timedOut)
      return { error: describeFailure(result) };
    const text = modern ? result.stdout : `${result.stdout}\n${result.stderr}`;
    return (
      parseStorePing(text) ?? {
        error: `unexpected output of \`nix store ping\`: ${text.trim().slice(0, 200)}`,
      }
    );
  } catch (error) {
    return { error: messageOf(error) };
  }
}

async function userGroups(options: HealthOptions): Promise<string[]> {
  try {
    const result = await (options.run ?? runProcess)('id', ['-Gn'], { timeoutMs: 5000 });
    return result.exitCode === 0 ? result.stdout.trim().split(/\s+/).filter(Boolean) : [];
  } catch {
    return [];
  }
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the uid is what Nix sees.
    return String(process.getuid?.() ?? 'unknown');
  }
}

async function flakeCacheFacts(
  folder: string,
  options: HealthOptions,
  nixOptions: NixRunOptions,
): Promise<FlakeCacheFacts> {
  if (!fs.existsSync(path.join(folder, 'flake.nix'))) return { kind: 'noFlake' };
  if (!options.trusted) return { kind: 'untrusted' };
  try {
    return { kind: 'read', cache: await readFlakeCacheConfig(folder, nixOptions) };
  } catch (error) {
    const location = error instanceof FlakeEvalError ? flakeErrorLocation(error.stderr, folder) : undefined;
    return { kind: 'failed', reason: messageOf(error), ...(location && { location }) };
  }
}

/** Where Nix located the error, when it is in a file of `folder` (Nix names its store copy). */
function flakeErrorLocation(stderr: string, folder: string): NixErrorLocation | undefined {
  const at = firstLocatedError(stderr, folder, { fallbackFile: path.join(folder, 'flake.nix') });
  return at === null ? undefined : { ...at, file: path.relative(folder, at.file) || at.file };
}

async function workspaceFacts(folder: string, options: HealthOptions): Promise<WorkspaceFacts> {
  const exists = (file: string) => fs.existsSync(path.join(folder, file));
  const result = detectWorkspaces(folder);
  const detected = result.workspaces;
  // The workspace rooted at the folder (the flake's), else the first one below it.
  const workspace = detected.find((w) => w.root === path.resolve(folder)) ?? detected[0];
  const cargoLockFile =
    workspace === undefined ? 'Cargo.lock' : path.relative(folder, path.join(workspace.root, 'Cargo.lock'));
  const facts: WorkspaceFacts = {
    folder,
    flakeNix: exists('flake.nix'),
    flakeLock: exists('flake.lock'),
    cargoLock: workspace === undefined ? null : exists(cargoLockFile),
    cargoLockFile,
    git: 'notAsked',
    brokenManifests: brokenManifestsAbove(result, folder),
  };
  if (!options.trusted) return facts;
  try {
    if (!(await isInsideGitWorkTree(folder, options.signal))) return { ...facts, git: 'notRepo' };
    const status = await gitTrackedStatus(folder, ['flake.nix', 'flake.lock', cargoLockFile], options.signal);
    return {
      ...facts,
      git: {
        flakeNix: status.tracked.includes('flake.nix'),
        flakeLock: status.tracked.includes('flake.lock'),
        cargoLock: status.tracked.includes(cargoLockFile),
      },
    };
  } catch {
    // No git, or git failed: the files' presence is still worth reporting.
    return facts;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof ProcessError) return describeFailure(error.result);
  return error instanceof Error ? error.message : String(error);
}
