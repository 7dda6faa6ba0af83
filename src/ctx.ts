import * as path from 'node:path';
import * as vscode from 'vscode';
import { onDidChangeNixifyConfiguration } from './config';
import { detectionContextKeys } from './contextKeys';
import type { DetectResult } from './core/cargo';
import { DevShells } from './devShell';
import { RustAnalyzerService } from './devShell/rustAnalyzer';
import { FolderSession } from './folderSession';
import type { Log } from './log';
import { NixDiagnostics } from './nixDiagnostics';
import type { FolderInput } from './views/crateTreeModel';
import { DerivationTree } from './views/derivationTree';

/**
 * Owns everything the extension creates, in two lifetimes: the whole extension (commands, views,
 * the output channel, the services below; disposed with the extension) and one workspace folder
 * (its `FolderSession`; created here when the folder appears, disposed here when it leaves).
 */
export class Ctx implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Folder URI → its session: the only per-folder state of the extension. */
  private readonly folderSessions = new Map<string, FolderSession>();
  private readonly contextKeyValues = new Map<string, unknown>();
  private readonly modelsChanged = new vscode.EventEmitter<void>();
  private readonly trustGranted = new vscode.EventEmitter<void>();
  private readonly derivationsChanged = new vscode.EventEmitter<void>();
  private firstDetection: Promise<void> | undefined;

  /** Fires after any folder was detected again, added or removed. */
  readonly onDidChangeModels = this.modelsChanged.event;
  /** For features that evaluate Nix: they stay off until the workspace is trusted. */
  readonly onDidGrantWorkspaceTrust = this.trustGranted.event;
  /** Nix's evaluation errors in Problems, per folder and per feature that ran Nix. */
  readonly nixDiagnostics = new NixDiagnostics();
  /** Where dev shells are cached, with their GC roots. */
  readonly devShellStorage: string;
  /** The dev shells' status bar item and command routing. */
  readonly devShells: DevShells;
  /** The Derivations view and its evaluations and builds. */
  readonly derivations: DerivationTree;
  private readonly rustAnalyzer: RustAnalyzerService;

  constructor(
    readonly extensionContext: vscode.ExtensionContext,
    readonly log: Log,
  ) {
    // Restored terminals get the shell before activation; a session's restore drops it where unwanted.
    extensionContext.environmentVariableCollection.persistent = true;
    this.devShellStorage = path.join(
      (extensionContext.storageUri ?? extensionContext.globalStorageUri).fsPath,
      'devshell',
    );
    this.own(this.modelsChanged, this.trustGranted, this.derivationsChanged, this.nixDiagnostics);
    this.rustAnalyzer = new RustAnalyzerService(log);
    this.own(this.rustAnalyzer);
    this.devShells = new DevShells({
      sessions: () => this.sessions(),
      session: (uri) => this.folderSessions.get(uri),
      rustAnalyzer: this.rustAnalyzer,
      setContext: (key, value) => this.setContext(key, value),
      onDidGrantWorkspaceTrust: this.onDidGrantWorkspaceTrust,
    });
    this.own(this.devShells);
    this.own(vscode.workspace.onDidChangeWorkspaceFolders((event) => this.onFoldersChanged(event)));
    this.own(onDidChangeNixifyConfiguration(() => void this.detectAll('settings changed')));
    this.own(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.log.info('workspace trusted');
        for (const session of this.sessions()) void session.derivations?.refresh('workspace trusted');
        this.trustGranted.fire();
      }),
    );
    // Sessions end before the services they use.
    this.own({ dispose: () => this.disposeSessions() });
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      this.addFolder(folder);
    }
    this.devShells.changedIn(undefined);
    this.log.info(`workspace is ${this.isTrusted ? 'trusted' : 'not trusted: only manifests are read'}`);
    this.derivations = new DerivationTree({
      folders: () => this.sessions().flatMap((session) => session.derivations ?? []),
      onDidChange: this.derivationsChanged.event,
    });
    this.own(this.derivations);
  }

  /** Ties disposables to the extension's lifetime. */
  own(...disposables: vscode.Disposable[]): void {
    this.subscriptions.push(...disposables);
  }

  get isTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /**
   * Resolves when the first detection of every folder has finished; the first call starts it.
   * `activate` calls it last, so every listener of `onDidChangeModels` is in place by then.
   */
  ready(): Promise<void> {
    this.firstDetection ??= this.detectAll('startup');
    return this.firstDetection;
  }

  /** Detects every folder, one after the other, yielding to the event loop before each. */
  detectAll(reason: string): Promise<void> {
    return detectEach(this.sessions(), reason);
  }

  /** The open folders' sessions, in the order the workspace lists its folders (the user can change it). */
  sessions(): FolderSession[] {
    const position = new Map(
      (vscode.workspace.workspaceFolders ?? []).map((f, index) => [f.uri.toString(), index]),
    );
    const rank = (key: string) => position.get(key) ?? Number.MAX_SAFE_INTEGER;
    return [...this.folderSessions.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([, s]) => s);
  }

  /** The session of the workspace folder holding `uri`. */
  sessionFor(uri: vscode.Uri): FolderSession | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder && this.folderSessions.get(folder.uri.toString());
  }

  /** The latest result of each folder that has been detected, keyed by the folder's fsPath. */
  models(): ReadonlyMap<string, DetectResult> {
    const models = new Map<string, DetectResult>();
    for (const session of this.sessions()) {
      if (session.model.result) {
        models.set(session.root, session.model.result);
      }
    }
    return models;
  }

  /** The folders in workspace order, as plain data for the views. */
  folders(): FolderInput[] {
    return this.sessions().map((session) => ({
      name: session.name,
      path: session.root,
      result: session.model.result,
      hasFlake: session.model.hasFlake,
      flakeText: session.model.flakeText,
    }));
  }

  contextKeys(): Readonly<Record<string, unknown>> {
    return Object.fromEntries(this.contextKeyValues);
  }

  setContext(key: string, value: unknown): void {
    if (this.contextKeyValues.has(key) && this.contextKeyValues.get(key) === value) {
      return;
    }
    this.contextKeyValues.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  private addFolder(folder: vscode.WorkspaceFolder): FolderSession | undefined {
    if (folder.uri.scheme !== 'file') {
      this.log.warn(`skipping ${folder.uri.toString()}: only folders on disk can be searched for Cargo.toml`);
      return undefined;
    }
    const session = new FolderSession(folder, {
      log: this.log,
      devShellStorage: this.devShellStorage,
      workspaceState: this.extensionContext.workspaceState,
      terminals: (f) => this.extensionContext.environmentVariableCollection.getScoped({ workspaceFolder: f }),
      rustAnalyzer: this.rustAnalyzer,
      nixDiagnostics: this.nixDiagnostics,
      isTrusted: () => this.isTrusted,
      // The tree exists once the first session detects: detection starts after construction.
      derivationsShown: () => this.derivations?.visible ?? false,
      onModelChanged: () => this.onModelChanged(),
      onDevShellChanged: (changed) => this.devShells.changedIn(changed),
      onDerivationsChanged: () => this.derivationsChanged.fire(),
    });
    this.folderSessions.set(folder.uri.toString(), session);
    return session;
  }

  private onFoldersChanged(event: vscode.WorkspaceFoldersChangeEvent): void {
    for (const folder of event.removed) {
      const key = folder.uri.toString();
      this.folderSessions.get(key)?.close();
      this.folderSessions.delete(key);
    }
    // A closed folder's derivations say nothing more: the tree must drop its root now.
    if (event.removed.length > 0) this.derivationsChanged.fire();
    const added = event.added.flatMap((folder) => this.addFolder(folder) ?? []);
    this.devShells.changedIn(undefined);
    this.onModelChanged();
    for (const session of added) void session.devShell.restore();
    void detectEach(added, 'folder added');
  }

  private onModelChanged(): void {
    const facts = this.sessions().map((session) => ({
      result: session.model.result,
      hasFlake: session.model.hasFlake,
    }));
    for (const [key, value] of Object.entries(detectionContextKeys(facts))) {
      this.setContext(key, value);
    }
    this.modelsChanged.fire();
  }

  private disposeSessions(): void {
    for (const session of this.folderSessions.values()) {
      session.dispose();
    }
    this.folderSessions.clear();
  }

  dispose(): void {
    // Last in, first out: what was registered later may depend on what came before.
    for (const disposable of this.subscriptions.splice(0).reverse()) {
      disposable.dispose();
    }
  }
}

async function detectEach(sessions: readonly FolderSession[], reason: string): Promise<void> {
  for (const session of sessions) {
    // Detection is synchronous: yielding keeps the extension host responsive between folders
    // and guarantees that `activate` has returned before the first detection starts.
    await yieldToEventLoop();
    session.model.detect(reason);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
