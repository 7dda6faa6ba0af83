import type * as vscode from 'vscode';
import type { DetectResult } from './core/cargo';

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
}
