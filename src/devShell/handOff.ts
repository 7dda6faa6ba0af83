// Handing a dev shell's environment to the rust-analyzer extension (rust-lang.rust-analyzer) without
// restarting the extension host. Every call to that extension goes through `RustAnalyzerExtensionPort`,
// so the tests can observe the calls (the extension itself cannot be installed where they run).
// No `vscode` here.
import type { EnvDelta } from '../core/devenv/types';
import { changedValues, EnvBackup, patchEnv, pristineEnv, restoreEnv, type EnvRecord } from './processEnv';

export const RUST_ANALYZER_EXTENSION_ID = 'rust-lang.rust-analyzer';
/** What rust-analyzer's `addConfiguration` keys our overrides by. */
export const NIXIFY_EXTENSION_ID = 'nixify.nixify';

/** The part of the rust-analyzer extension's exported API that Nixify uses (recent versions). */
export interface RustAnalyzerExtensionApi {
  addConfiguration?(extensionId: string, configuration: Record<string, unknown>): Promise<void>;
}

/** The rust-analyzer extension as Nixify reaches it. */
export interface RustAnalyzerExtensionPort {
  /** Activates the extension (a no-op when it is active) and returns its API, if it exports one. */
  activate(): Promise<RustAnalyzerExtensionApi | undefined>;
  /** `rust-analyzer.restartServer`: the server starts again with the current environment. */
  restartServer(): Promise<void>;
  /** The folder-level `rust-analyzer.server.path`, undefined when not set there. */
  serverPath(folder: string): string | undefined;
  setServerPath(folder: string, value: string | undefined): Promise<void>;
  /** The extension host's environment, which the extension's server inherits. */
  readonly env: EnvRecord;
}

export interface HandOffTarget {
  /** Workspace folder path. */
  folder: string;
  delta: EnvDelta;
  /** The shell's own rust-analyzer, when it has one and the user allows using it. */
  serverPath: string | undefined;
}

interface Log {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * One extension host has one `process.env` and the rust-analyzer extension one server, so at most
 * one folder's shell is handed over at a time: the first folder that asks keeps it until it gives
 * it back.
 */
export class RustAnalyzerHandOff {
  private readonly backup = new EnvBackup();
  private owner: string | undefined;
  private viaApi = false;
  /** The record `patchEnv` wrote to, so it is restored even if the extension is uninstalled meanwhile. */
  private patched: EnvRecord | undefined;
  private serverPathWritten: { folder: string; previous: string | undefined; written: string } | undefined;

  constructor(
    private readonly port: () => RustAnalyzerExtensionPort | undefined,
    private readonly log: Log,
  ) {}

  get ownerFolder(): string | undefined {
    return this.owner;
  }

  /** The extension host's environment without our changes, for everything that must not see them. */
  pristineEnv(env: Readonly<EnvRecord>): EnvRecord {
    return pristineEnv(env, this.backup);
  }

  /** Hands `target` over; false when another folder holds the hand-off or the extension is gone. */
  async apply(target: HandOffTarget): Promise<boolean> {
    const port = this.port();
    if (port === undefined) return false;
    if (this.owner !== undefined && this.owner !== target.folder) {
      this.log.warn(
        `rust-analyzer keeps the dev shell of ${this.owner}; the one of ${target.folder} reaches terminals only`,
      );
      return false;
    }
    const api = await port.activate();
    const values = changedValues(pristineEnv(port.env, this.backup), target.delta);
    const names = Object.keys(values).length;
    if (typeof api?.addConfiguration === 'function') {
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
      this.viaApi = true;
      this.log.info(`rust-analyzer extension: ${names} variables through addConfiguration`);
    } else {
      patchEnv(port.env, values, this.backup);
      this.patched = port.env;
      await this.handServerPath(port, target);
      this.log.info(`rust-analyzer extension: ${names} variables through the extension host's environment`);
    }
    this.owner = target.folder;
    await port.restartServer();
    return true;
  }

  /** Undoes what `apply` did for `folder`: environment, server path, API overrides; then restarts. */
  async remove(folder: string): Promise<void> {
    if (this.owner !== folder) return;
    this.owner = undefined;
    const port = this.port();
    if (this.viaApi) {
      this.viaApi = false;
      const api = await port?.activate();
      await api?.addConfiguration?.(NIXIFY_EXTENSION_ID, {});
    }
    if (this.patched !== undefined) {
      restoreEnv(this.patched, this.backup);
      this.patched = undefined;
    }
    if (port !== undefined) {
      await this.restoreServerPath(port);
      await port.restartServer();
    }
    this.log.info('rust-analyzer extension: dev shell environment removed');
  }

  private async handServerPath(port: RustAnalyzerExtensionPort, target: HandOffTarget): Promise<void> {
    if (target.serverPath === undefined) {
      await this.restoreServerPath(port);
      return;
    }
    const current = port.serverPath(target.folder);
    if (current === target.serverPath) return;
    const previous =
      this.serverPathWritten?.folder === target.folder && current === this.serverPathWritten.written
        ? this.serverPathWritten.previous
        : current;
    await port.setServerPath(target.folder, target.serverPath);
    this.serverPathWritten = { folder: target.folder, previous, written: target.serverPath };
  }

  private async restoreServerPath(port: RustAnalyzerExtensionPort): Promise<void> {
    const written = this.serverPathWritten;
    this.serverPathWritten = undefined;
    // A path the user chose after ours stays.
    if (written !== undefined && port.serverPath(written.folder) === written.written) {
      await port.setServerPath(written.folder, written.previous);
    }
  }
}
