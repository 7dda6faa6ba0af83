import * as vscode from 'vscode';
import { DevShellController } from './devShell/controller';
import type { FolderRustAnalyzer, RustAnalyzerService } from './devShell/rustAnalyzer';
import { removeFromTerminals } from './devShell/terminalEnv';
import { FolderModel } from './folderModel';
import type { Log } from './log';
import type { NixDiagnostics } from './nixDiagnostics';
import { NixRunner } from './nixRunner';
import { FolderDerivations } from './views/folderDerivations';

/** What every session shares: the extension's lifetime, given piece by piece (never the whole Ctx). */
export interface SessionServices {
  log: Log;
  /** Where dev shells are cached (with their GC roots). */
  devShellStorage: string;
  workspaceState: vscode.Memento;
  /** The terminal environment collection of one folder. */
  terminals(folder: vscode.WorkspaceFolder): vscode.EnvironmentVariableCollection;
  rustAnalyzer: RustAnalyzerService;
  nixDiagnostics: NixDiagnostics;
  isTrusted(): boolean;
  /** Whether the Derivations view is visible: hidden derivations only go stale. */
  derivationsShown(): boolean;
  /** The folder was detected again. */
  onModelChanged(session: FolderSession): void;
  /** The folder's dev shell status changed. */
  onDevShellChanged(session: FolderSession): void;
  /** The folder's derivations came, went, or changed what the view shows. */
  onDerivationsChanged(session: FolderSession): void;
}

/**
 * Everything Nixify keeps for one workspace folder, created when the folder appears and disposed
 * when it leaves: its detection model, how it runs Nix, its dev shell, its rust-analyzer, its
 * derivations (while it has a flake.nix) and the Nix errors its features reported. No other object
 * keeps per-folder state.
 */
export class FolderSession implements vscode.Disposable {
  readonly nix: NixRunner;
  readonly model: FolderModel;
  readonly rustAnalyzer: FolderRustAnalyzer;
  private shell: DevShellController;
  private flakeDerivations: FolderDerivations | undefined;
  private disposed = false;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly services: SessionServices,
  ) {
    this.nix = new NixRunner(folder.uri);
    this.model = new FolderModel(folder, services.log, () => this.onDetected());
    this.rustAnalyzer = services.rustAnalyzer.forFolder(folder);
    this.shell = this.newDevShell();
  }

  get root(): string {
    return this.folder.uri.fsPath;
  }

  /** The folder's name as the workspace shows it (a .code-workspace may rename it). */
  get name(): string {
    return vscode.workspace.getWorkspaceFolder(this.folder.uri)?.name ?? this.folder.name;
  }

  get devShell(): DevShellController {
    return this.shell;
  }

  /** The flake's derivations; undefined while the folder has no flake.nix. */
  get derivations(): FolderDerivations | undefined {
    return this.flakeDerivations;
  }

  /**
   * Ends the dev shell's lifetime and starts a new one from the remembered state, as a window reload
   * does (terminal collections persist; the server stops and starts again).
   */
  async restartDevShell(): Promise<void> {
    this.shell.dispose();
    await this.rustAnalyzer.stop();
    this.shell = this.newDevShell();
  }

  /**
   * The folder left the workspace: nothing of its shell or its errors may stay behind. (Disposing
   * alone, as on a window reload, keeps the terminals' persisted environment for the next start.)
   */
  close(): void {
    this.dispose();
    removeFromTerminals(this.services.terminals(this.folder));
    this.services.nixDiagnostics.clearFolder(this.root);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.shell.dispose();
    this.model.dispose();
    this.flakeDerivations?.dispose();
    this.flakeDerivations = undefined;
    // Servers die with their stdin when the extension host goes; stop them properly when it stays.
    void this.rustAnalyzer.stop();
  }

  private onDetected(): void {
    this.syncDerivations();
    this.services.onModelChanged(this);
  }

  /** Derivations exist exactly while flake.nix does; a new detection may change their crates. */
  private syncDerivations(): void {
    const { services } = this;
    if (this.model.hasFlake && this.flakeDerivations === undefined) {
      const derivations = new FolderDerivations({
        name: this.name,
        path: this.root,
        nixOptions: () => this.nix.options(),
        model: () => this.model.result,
        isTrusted: () => services.isTrusted(),
        isShown: () => services.derivationsShown(),
        log: services.log,
        nixErrors: services.nixDiagnostics.producer('derivations'),
        memento: services.workspaceState,
      });
      derivations.onDidChange(() => services.onDerivationsChanged(this));
      this.flakeDerivations = derivations;
    } else if (!this.model.hasFlake && this.flakeDerivations !== undefined) {
      this.flakeDerivations.dispose();
      this.flakeDerivations = undefined;
    }
    this.flakeDerivations?.onModelChanged();
    services.onDerivationsChanged(this);
  }

  private newDevShell(): DevShellController {
    const { services } = this;
    return new DevShellController(this.folder, {
      log: services.log,
      storageDir: services.devShellStorage,
      workspaceState: services.workspaceState,
      terminals: services.terminals(this.folder),
      rustAnalyzer: this.rustAnalyzer,
      nix: this.nix,
      nixErrors: services.nixDiagnostics.producer('devShell'),
      isTrusted: () => services.isTrusted(),
      onDidChange: () => services.onDevShellChanged(this),
    });
  }
}
