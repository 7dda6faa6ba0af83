// The dev-shell part of the extension's API (`NixifyApi.devShell`): what the suites in a real VS Code
// read and drive. Plain snapshots; environment values appear only in `status().applied.env`, as in memory.
import type * as vscode from 'vscode';
import type { StatusBarSnapshot } from '../views/devShellStatusBar';
import type { RustAnalyzerExtensionPort } from './handOff';
import type { DevShells } from './index';
import type { DevShellStatus } from '../core/devenv/status';

export interface DevShellSnapshot extends DevShellStatus {
  /** The user's wish (remembered per folder); `phase` says what happened. */
  wanted: boolean;
}

export interface DevShellApi {
  /** Resolves when the startup restore of every folder's dev shell has finished. */
  restored: Promise<void>;
  /** The shell of the folder holding `folder` (fsPath or Uri). */
  status(folder: string | vscode.Uri): DevShellSnapshot | undefined;
  statusBar(): StatusBarSnapshot;
  /** Fires with the folder's path on every status change of its shell (read it with `status`). */
  onDidChangeStatus: vscode.Event<string>;
  /** Resolves when the folder's evaluation (if any) ended and rust-analyzer caught up. */
  whenIdle(folder: string | vscode.Uri): Promise<void>;
  /** pid of the rust-analyzer Nixify started for the folder from its shell. */
  serverPid(folder: string | vscode.Uri): number | undefined;
  /** Ends and restarts every folder's dev-shell lifetime, as a window reload would; resolves with the restart's ms. */
  reactivate(): Promise<number>;
  /**
   * Replaces the rust-analyzer extension (which cannot be installed where the tests run) with `port`,
   * so a suite can observe the hand-off calls; `undefined` goes back to the real lookup.
   */
  useRustAnalyzerExtension(port: RustAnalyzerExtensionPort | undefined): void;
}

export function devShellApi(devShells: DevShells, restored: Promise<void>): DevShellApi {
  const controller = (folder: string | vscode.Uri) => devShells.controllerFor(folder);
  return {
    restored,
    status: (folder) => {
      const found = controller(folder);
      return found && { ...found.status, wanted: found.isWanted };
    },
    statusBar: () => devShells.statusBarSnapshot(),
    onDidChangeStatus: (listener, thisArg, disposables) =>
      devShells.onDidChange(
        (changed) => listener.call(thisArg, changed.folder.uri.fsPath),
        null,
        disposables,
      ),
    whenIdle: async (folder) => {
      await controller(folder)?.whenIdle();
    },
    serverPid: (folder) => {
      const found = controller(folder);
      return found && devShells.serverPid(found);
    },
    reactivate: () => devShells.reactivate(),
    useRustAnalyzerExtension: (port) => devShells.useRustAnalyzerExtensionForTests(port),
  };
}
