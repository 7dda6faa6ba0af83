import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { detectOptions } from './config';
import { detectWorkspaces, type DetectResult } from './core/cargo';
import { allProblems, countOf } from './describe';
import type { Log } from './log';

// Files whose change can change the detected model. One watcher per folder with a brace glob.
const WATCHED_FILES = '**/{Cargo.toml,Cargo.lock,rust-toolchain*,flake.nix}';
// `cargo` rewrites Cargo.lock and a branch switch touches many manifests at once: wait for quiet.
const DEBOUNCE_MS = 300;

/**
 * The per-folder lifetime: the latest detection result of one workspace folder and the watcher
 * that keeps it fresh. Created when the folder appears, disposed when it is removed.
 */
export class FolderModel implements vscode.Disposable {
  private latest: DetectResult | undefined;
  private flake = false;
  private flakeSource: string | null = null;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly log: Log,
    private readonly onDetected: (model: FolderModel) => void,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(folder, WATCHED_FILES),
    );
    const schedule = (uri: vscode.Uri) => this.scheduleDetect(path.relative(this.root, uri.fsPath));
    this.disposables.push(
      watcher,
      watcher.onDidCreate(schedule),
      watcher.onDidChange(schedule),
      watcher.onDidDelete(schedule),
      { dispose: () => clearTimeout(this.pending) },
    );
  }

  get root(): string {
    return this.folder.uri.fsPath;
  }

  get result(): DetectResult | undefined {
    return this.latest;
  }

  get hasFlake(): boolean {
    return this.flake;
  }

  /** The folder's flake.nix as last read, null when it has none. */
  get flakeText(): string | null {
    return this.flakeSource;
  }

  /** Detects now. Synchronous: the core reads the manifests with blocking I/O. */
  detect(reason: string): void {
    if (this.disposed) {
      return;
    }
    clearTimeout(this.pending);
    this.pending = undefined;
    const started = performance.now();
    try {
      this.latest = detectWorkspaces(this.root, detectOptions(this.folder.uri));
      this.flakeSource = readFlake(this.root);
      this.flake = this.flakeSource !== null;
    } catch (error) {
      // The core promises never to throw; if it does anyway, keep the previous model and say so.
      this.log.error(`detection in ${this.root} failed:`, error);
      return;
    }
    const ms = (performance.now() - started).toFixed(1);
    const problems = allProblems(this.latest).length;
    this.log.info(
      `detected ${countOf(this.latest.workspaces.length, 'workspace')} and ${countOf(problems, 'problem')} in ${this.root} (${reason}, ${ms} ms)`,
    );
    this.onDetected(this);
  }

  private scheduleDetect(changedFile: string): void {
    if (this.disposed) {
      return;
    }
    clearTimeout(this.pending);
    this.pending = setTimeout(() => this.detect(`${changedFile} changed`), DEBOUNCE_MS);
  }

  dispose(): void {
    this.disposed = true;
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }
}

function readFlake(root: string): string | null {
  try {
    return fs.readFileSync(path.join(root, 'flake.nix'), 'utf8');
  } catch {
    return null;
  }
}
