// Who owns each folder's FolderDerivations until a per-folder session does: one per workspace folder
// with a flake.nix, created when detection first finds the flake, disposed when the folder or its
// flake goes. The tree only reads `DerivationFolderSource`, so an owner that creates FolderDerivations
// elsewhere (a folder session) can replace this class without the tree changing.
import * as vscode from 'vscode';
import { derivationNixOptions } from '../config';
import type { Ctx } from '../ctx';
import type { NixErrorReporter } from '../nixDiagnostics';
import { FolderDerivations } from './folderDerivations';

/** What the Derivations view renders: every flake folder's derivations, in workspace order. */
export interface DerivationFolderSource {
  folders(): readonly FolderDerivations[];
  /** Fires when a folder was added or removed, or anything one of them shows changed. */
  readonly onDidChange: vscode.Event<void>;
}

/** The few parts of the extension's context the registry reads. */
export type DerivationFoldersOwner = Pick<
  Ctx,
  'folders' | 'isTrusted' | 'log' | 'onDidChangeModels' | 'onDidGrantWorkspaceTrust'
>;

interface Entry {
  derivations: FolderDerivations;
  listener: vscode.Disposable;
}

export class DerivationFolders implements DerivationFolderSource, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidChange = this.changed.event;

  /**
   * @param memento Where every folder keeps its derivation history (the workspace state).
   * @param isShown Whether the Derivations view is visible: hidden folders only go stale.
   */
  constructor(
    private readonly owner: DerivationFoldersOwner,
    private readonly nixErrors: NixErrorReporter,
    private readonly memento: vscode.Memento,
    private readonly isShown: () => boolean,
  ) {
    this.disposables.push(
      this.changed,
      owner.onDidChangeModels(() => this.sync()),
      owner.onDidGrantWorkspaceTrust(() => {
        for (const folder of this.folders()) void folder.refresh('workspace trusted');
      }),
    );
    this.sync();
  }

  folders(): FolderDerivations[] {
    return this.owner.folders().flatMap((f) => this.entries.get(f.path)?.derivations ?? []);
  }

  dispose(): void {
    for (const path of [...this.entries.keys()]) this.remove(path);
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }

  /** Brings the folders in line with the workspace: one per folder with a flake.nix. */
  private sync(): void {
    const flakes = this.owner.folders().filter((f) => f.hasFlake === true);
    const keep = new Set(flakes.map((f) => f.path));
    for (const path of [...this.entries.keys()]) if (!keep.has(path)) this.remove(path);
    for (const { name, path } of flakes) {
      let entry = this.entries.get(path);
      if (!entry) {
        const derivations = new FolderDerivations({
          name,
          path,
          nixOptions: () => derivationNixOptions(path),
          model: () => this.owner.folders().find((f) => f.path === path)?.result,
          isTrusted: () => this.owner.isTrusted,
          isShown: this.isShown,
          log: this.owner.log,
          nixErrors: this.nixErrors,
          memento: this.memento,
        });
        entry = { derivations, listener: derivations.onDidChange(() => this.changed.fire()) };
        this.entries.set(path, entry);
      }
      entry.derivations.onModelChanged();
    }
    // Crates' manifests may have moved even when nothing is evaluated again.
    this.changed.fire();
  }

  private remove(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.entries.delete(path);
    entry.listener.dispose();
    entry.derivations.dispose();
  }
}
