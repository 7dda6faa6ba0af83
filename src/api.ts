import type * as vscode from 'vscode';
import type { DetectResult } from './core/cargo';
import type { ProcessStartEvent } from './core/process';
import type { DevShellApi } from './devShell/api';
import type { DerivationTree } from './views/derivationTree';

/** What `activate()` returns. The tests in a real VS Code drive the extension through exactly this. */
export interface NixifyApi {
  /** Resolves when the first detection of every workspace folder has finished. */
  ready: Promise<void>;
  /** The latest detection result of each workspace folder, keyed by the folder's fsPath. */
  models(): ReadonlyMap<string, DetectResult>;
  /** The values this extension last passed to `setContext`. */
  contextKeys(): Readonly<Record<string, unknown>>;
  crateTree: vscode.TreeDataProvider<unknown>;
  activationMs: number;
  /** The Derivations view: its provider (nodes, statuses), refresh, builds and `whenIdle()`. */
  derivationTree: DerivationTree;
  /** Each folder's dev shell: status, status item, language server, and the rust-analyzer hand-off seam. */
  devShell: DevShellApi;
  /** Hears of every process the extension starts (nix, git), e.g. to count nix runs; never the environment. */
  onProcessStart(listener: (event: ProcessStartEvent) => void): vscode.Disposable;
}
