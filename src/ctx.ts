import * as vscode from 'vscode';
import { onDidChangeNixifyConfiguration } from './config';
import { detectionContextKeys } from './contextKeys';
import type { DetectResult } from './core/cargo';
import { DevShells } from './devShell';
import { FolderModel } from './folderModel';
import type { Log } from './log';
import { NixDiagnostics } from './nixDiagnostics';
import type { FolderInput } from './views/crateTreeModel';
import { DerivationFolders } from './views/derivationFolders';
import { DerivationTree } from './views/derivationTree';

/**
 * Owns everything the extension creates, in two lifetimes: the whole extension (commands, views,
 * the output channel; disposed with the extension) and one workspace folder (its `FolderModel`;
 * disposed when the folder leaves the workspace).
 */
export class Ctx implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly folderModels = new Map<string, FolderModel>();
  private readonly contextKeyValues = new Map<string, unknown>();
  private readonly modelsChanged = new vscode.EventEmitter<void>();
  private readonly trustGranted = new vscode.EventEmitter<void>();
  private firstDetection: Promise<void> | undefined;

  /** Fires after any folder was detected again, added or removed. */
  readonly onDidChangeModels = this.modelsChanged.event;
  /** For features that evaluate Nix: they stay off until the workspace is trusted. */
  readonly onDidGrantWorkspaceTrust = this.trustGranted.event;
  /** Nix's evaluation errors in Problems, per folder and per feature that ran Nix. */
  readonly nixDiagnostics = new NixDiagnostics();
  /** Each folder's dev shell (its controller is the per-folder lifetime of that feature). */
  readonly devShells: DevShells;
  /** The Derivations view and its evaluations and builds. */
  readonly derivations: DerivationTree;

  constructor(
    readonly extensionContext: vscode.ExtensionContext,
    readonly log: Log,
  ) {
    this.own(this.modelsChanged, this.trustGranted);
    this.own(vscode.workspace.onDidChangeWorkspaceFolders((event) => this.onFoldersChanged(event)));
    this.own(onDidChangeNixifyConfiguration(() => void this.detectAll('settings changed')));
    this.own(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.log.info('workspace trusted');
        this.trustGranted.fire();
      }),
    );
    this.own({ dispose: () => this.disposeFolderModels() });
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      this.addFolder(folder);
    }
    this.log.info(`workspace is ${this.isTrusted ? 'trusted' : 'not trusted: only manifests are read'}`);
    this.own(this.nixDiagnostics);
    this.devShells = new DevShells(this);
    this.own(this.devShells);
    // Until folder sessions own each folder's derivations, this registry does.
    const derivationFolders = new DerivationFolders(
      this,
      this.nixDiagnostics.producer('derivations'),
      extensionContext.workspaceState,
      // Read only once detection finds a flake, after the tree exists.
      () => this.derivations?.visible ?? false,
    );
    this.own(derivationFolders);
    this.derivations = new DerivationTree(derivationFolders);
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
    return detectEach([...this.folderModels.values()], reason);
  }

  /** The latest result of each folder that has been detected, keyed by the folder's fsPath. */
  models(): ReadonlyMap<string, DetectResult> {
    const models = new Map<string, DetectResult>();
    for (const model of this.orderedFolderModels()) {
      if (model.result) {
        models.set(model.root, model.result);
      }
    }
    return models;
  }

  /** The folders in workspace order, as plain data for the views. */
  folders(): FolderInput[] {
    return this.orderedFolderModels().map((model) => ({
      name: vscode.workspace.getWorkspaceFolder(model.folder.uri)?.name ?? model.folder.name,
      path: model.root,
      result: model.result,
      hasFlake: model.hasFlake,
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

  /** Folder models in the order the workspace lists its folders (which the user can change). */
  private orderedFolderModels(): FolderModel[] {
    const position = new Map(
      (vscode.workspace.workspaceFolders ?? []).map((f, index) => [f.uri.toString(), index]),
    );
    const rank = (key: string) => position.get(key) ?? Number.MAX_SAFE_INTEGER;
    return [...this.folderModels.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([, model]) => model);
  }

  private addFolder(folder: vscode.WorkspaceFolder): FolderModel | undefined {
    if (folder.uri.scheme !== 'file') {
      this.log.warn(`skipping ${folder.uri.toString()}: only folders on disk can be searched for Cargo.toml`);
      return undefined;
    }
    const model = new FolderModel(folder, this.log, () => this.onModelChanged());
    this.folderModels.set(folder.uri.toString(), model);
    return model;
  }

  private onFoldersChanged(event: vscode.WorkspaceFoldersChangeEvent): void {
    for (const folder of event.removed) {
      const key = folder.uri.toString();
      this.folderModels.get(key)?.dispose();
      this.folderModels.delete(key);
    }
    const added = event.added.map((folder) => this.addFolder(folder));
    this.onModelChanged();
    void detectEach(
      added.filter((model) => model !== undefined),
      'folder added',
    );
  }

  private onModelChanged(): void {
    const facts = this.orderedFolderModels().map((model) => ({
      result: model.result,
      hasFlake: model.hasFlake,
    }));
    for (const [key, value] of Object.entries(detectionContextKeys(facts))) {
      this.setContext(key, value);
    }
    this.modelsChanged.fire();
  }

  private disposeFolderModels(): void {
    for (const model of this.folderModels.values()) {
      model.dispose();
    }
    this.folderModels.clear();
  }

  dispose(): void {
    // Last in, first out: what was registered later may depend on what came before.
    for (const disposable of this.subscriptions.splice(0).reverse()) {
      disposable.dispose();
    }
  }
}

async function detectEach(models: readonly FolderModel[], reason: string): Promise<void> {
  for (const model of models) {
    // Detection is synchronous: yielding keeps the extension host responsive between folders
    // and guarantees that `activate` has returned before the first detection starts.
    await yieldToEventLoop();
    model.detect(reason);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
