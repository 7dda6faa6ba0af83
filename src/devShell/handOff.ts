// Handing a dev shell's environment to the rust-analyzer extension (rust-lang.rust-analyzer) without
// restarting the extension host: through the configuration overrides its API accepts. Every call to
// that extension goes through `RustAnalyzerExtensionPort`, so the tests can observe the calls (the
// extension itself cannot be installed where they run). No `vscode` here.
//
// Extensions without `addConfiguration` get nothing: their only other channels are the extension
// host's `process.env` (every process Nixify, git or any other extension starts would inherit the
// shell) and settings files (the shell's values, secrets included, written to disk).
import { applyEnvDelta } from '../core/devenv';
import type { EnvDelta } from '../core/devenv/types';

export const RUST_ANALYZER_EXTENSION_ID = 'rust-lang.rust-analyzer';
/** What rust-analyzer's `addConfiguration` keys our overrides by. */
export const NIXIFY_EXTENSION_ID = 'nixify.nixify';

export type EnvRecord = Record<string, string | undefined>;

/** The part of the rust-analyzer extension's exported API that Nixify uses (recent versions). */
export interface RustAnalyzerExtensionApi {
  addConfiguration?(extensionId: string, configuration: Record<string, unknown>): Promise<void>;
}

/** The rust-analyzer extension as Nixify reaches it. */
export interface RustAnalyzerExtensionPort {
  /** Activates the extension (a no-op when it is active) and returns its API, if it exports one. */
  activate(): Promise<RustAnalyzerExtensionApi | undefined>;
  /** `rust-analyzer.restartServer`: the server starts again with the current configuration. */
  restartServer(): Promise<void>;
  /** The extension host's environment, which the extension's server starts from (read, never written). */
  readonly env: Readonly<EnvRecord>;
}

export interface HandOffTarget {
  /** Workspace folder path. */
  folder: string;
  delta: EnvDelta;
  /** The shell's own rust-analyzer, when it has one and the user allows using it. */
  serverPath: string | undefined;
}

/**
 * `handed`: the extension has the shell; `busy`: another folder's shell has it; `unsupported`: the
 * installed extension has no `addConfiguration`; `absent`: the extension is not installed.
 */
export type HandOffResult = 'handed' | 'busy' | 'unsupported' | 'absent';

interface Log {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * The values `delta` gives over `base`, only for the names it changes: PATH-like variables in full
 * (the shell's entries in front of the base's), `undefined` for names the shell unsets.
 */
export function changedValues(base: Readonly<EnvRecord>, delta: EnvDelta): EnvRecord {
  const applied = applyEnvDelta(base, delta);
  const out: EnvRecord = {};
  for (const name of [...Object.keys(delta.set), ...Object.keys(delta.prepend)]) {
    out[name] = applied[name];
  }
  for (const name of delta.unset) {
    out[name] = undefined;
  }
  return out;
}

/**
 * The rust-analyzer extension runs one server with one set of overrides, so at most one folder's
 * shell is handed over at a time: the first folder that asks keeps it until it gives it back.
 */
export class RustAnalyzerHandOff {
  private owner: string | undefined;

  constructor(
    private readonly port: () => RustAnalyzerExtensionPort | undefined,
    private readonly log: Log,
  ) {}

  get ownerFolder(): string | undefined {
    return this.owner;
  }

  /** Hands `target` over through the extension's API and restarts its server. */
  async apply(target: HandOffTarget): Promise<HandOffResult> {
    const port = this.port();
    if (port === undefined) return 'absent';
    if (this.owner !== undefined && this.owner !== target.folder) {
      this.log.warn(
        `rust-analyzer keeps the dev shell of ${this.owner}; the one of ${target.folder} reaches terminals only`,
      );
      return 'busy';
    }
    const api = await port.activate();
    if (typeof api?.addConfiguration !== 'function') {
      this.log.warn(
        'the installed rust-analyzer extension has no addConfiguration API: it keeps its own environment (update it to give it the dev shell)',
      );
      return 'unsupported';
    }
    const values = changedValues(port.env, target.delta);
    // Its settings take plain strings; a variable the shell unsets cannot be expressed there.
    const extraEnv = Object.fromEntries(
      Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    await api.addConfiguration(NIXIFY_EXTENSION_ID, {
      'server.extraEnv': extraEnv,
      'cargo.extraEnv': extraEnv,
      'check.extraEnv': extraEnv,
      ...(target.serverPath !== undefined && { 'server.path': target.serverPath }),
    });
    this.log.info(
      `rust-analyzer extension: ${Object.keys(values).length} variables through addConfiguration`,
    );
    this.owner = target.folder;
    await port.restartServer();
    return 'handed';
  }

  /** Undoes what `apply` did for `folder` (empty overrides), then restarts the server. */
  async remove(folder: string): Promise<void> {
    if (this.owner !== folder) return;
    this.owner = undefined;
    const port = this.port();
    if (port === undefined) return;
    const api = await port.activate();
    await api?.addConfiguration?.(NIXIFY_EXTENSION_ID, {});
    await port.restartServer();
    this.log.info('rust-analyzer extension: dev shell environment removed');
  }
}
