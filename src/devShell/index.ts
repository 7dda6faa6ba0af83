// Every folder's dev shell, in the extension's lifetime: creates and disposes one controller per
// workspace folder, shows the active folder's shell in the status bar, and routes settings, trust
// and commands to the right folder.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { onDidChangeNixifyConfiguration } from '../config';
import { ContextKey } from '../contextKeys';
import type { Ctx } from '../ctx';
import { NixRunner } from '../nixRunner';
import { DevShellStatusBar, type StatusBarSnapshot } from '../views/devShellStatusBar';
import { DevShellController } from './controller';
import type { RustAnalyzerExtensionPort } from './handOff';
import { RustAnalyzerService } from './rustAnalyzer';
import { isActive } from './status';
import { renderEnvironment } from './summary';
import { removeFromTerminals } from './terminalEnv';

/** Read-only documents that show a shell's variables, opened only on the user's request. */
export const ENVIRONMENT_SCHEME = 'nixify-devshell';

export class DevShells implements vscode.Disposable {
  private readonly controllers = new Map<string, DevShellController>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly statusBar = new DevShellStatusBar();
  private readonly rustAnalyzer: RustAnalyzerService;
  private readonly environmentChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly changed = new vscode.EventEmitter<DevShellController>();
  /** The folder the status item follows (the active editor's), by URI. */
  private statusFolder: string | undefined;
  private restored: Promise<void> | undefined;

  /** Fires after any folder's shell status changed. */
  readonly onDidChange = this.changed.event;
  readonly storageDir: string;

  constructor(private readonly ctx: Ctx) {
    const context = ctx.extensionContext;
    // Restored terminals get the shell before activation; `restore()` drops it where it is not wanted.
    context.environmentVariableCollection.persistent = true;
    this.storageDir = path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'devshell');
    this.rustAnalyzer = new RustAnalyzerService(ctx.log);
    this.disposables.push(
      this.statusBar,
      this.environmentChanged,
      this.changed,
      this.rustAnalyzer,
      vscode.workspace.onDidChangeWorkspaceFolders((event) => this.onFoldersChanged(event)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      onDidChangeNixifyConfiguration((event) => this.onSettingsChanged(event)),
      vscode.extensions.onDidChange(() =>
        this.controllers.forEach((controller) => controller.onExtensionsChanged()),
      ),
      ctx.onDidGrantWorkspaceTrust(() =>
        this.controllers.forEach((controller) => controller.onTrustGranted()),
      ),
      vscode.workspace.registerTextDocumentContentProvider(ENVIRONMENT_SCHEME, {
        onDidChange: this.environmentChanged.event,
        provideTextDocumentContent: (uri) => this.environmentText(uri),
      }),
    );
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.add(folder);
    this.follow(vscode.window.activeTextEditor);
    this.render();
  }

  /**
   * Startup: each folder whose shell was on last time gets it back, from the cache when its files
   * are unchanged (no nix process at all). The first call starts it.
   */
  restore(): Promise<void> {
    this.restored ??= this.restoreAll();
    return this.restored;
  }

  private async restoreAll(): Promise<void> {
    // Hashing the shell's files is synchronous I/O: let `activate` return first.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([...this.controllers.values()].map((controller) => controller.restore()));
  }

  /** The controller for a command argument (Uri, path, workspace folder), else the status item's. */
  controllerFor(arg?: unknown): DevShellController | undefined {
    const uri = toUri(arg);
    if (uri !== undefined) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      return folder && this.controllers.get(folder.uri.toString());
    }
    return this.statusController();
  }

  all(): DevShellController[] {
    return [...this.controllers.values()];
  }

  statusBarSnapshot(): StatusBarSnapshot {
    return this.statusBar.snapshot();
  }

  serverPid(controller: DevShellController): number | undefined {
    return this.rustAnalyzer.serverPid(controller.folder);
  }

  useRustAnalyzerExtensionForTests(port: RustAnalyzerExtensionPort | undefined): void {
    this.rustAnalyzer.useExtensionPortForTests(port);
  }

  /** The read-only document of a folder's variables, values included; only on explicit request. */
  environmentUri(controller: DevShellController): vscode.Uri {
    return vscode.Uri.from({
      scheme: ENVIRONMENT_SCHEME,
      path: `/${controller.folder.name} dev shell.sh`,
      query: controller.folder.uri.toString(),
    });
  }

  /**
   * What a window reload does to the dev shells, without reloading: every folder's lifetime ends
   * (servers stop; terminal collections persist) and starts again from the remembered state.
   * Resolves with how long the restart took, in milliseconds (servers starting not included).
   */
  async reactivate(): Promise<number> {
    const folders = [...this.controllers.values()].map((controller) => controller.folder);
    for (const controller of this.controllers.values()) {
      controller.dispose();
      await this.rustAnalyzer.remove(controller.folder);
    }
    this.controllers.clear();
    this.restored = undefined;
    const started = performance.now();
    for (const folder of folders) this.add(folder);
    this.render();
    await this.restore();
    return performance.now() - started;
  }

  private add(folder: vscode.WorkspaceFolder): void {
    if (folder.uri.scheme !== 'file') return;
    const controller = new DevShellController(folder, {
      log: this.ctx.log,
      storageDir: this.storageDir,
      workspaceState: this.ctx.extensionContext.workspaceState,
      terminals: this.ctx.extensionContext.environmentVariableCollection.getScoped({
        workspaceFolder: folder,
      }),
      rustAnalyzer: this.rustAnalyzer,
      nix: new NixRunner(folder.uri),
      nixErrors: this.ctx.nixDiagnostics.producer('devShell'),
      isTrusted: () => this.ctx.isTrusted,
      onDidChange: (changed) => this.onControllerChanged(changed),
    });
    this.controllers.set(folder.uri.toString(), controller);
  }

  private onFoldersChanged(event: vscode.WorkspaceFoldersChangeEvent): void {
    for (const folder of event.removed) {
      const key = folder.uri.toString();
      const controller = this.controllers.get(key);
      if (controller === undefined) continue;
      this.controllers.delete(key);
      controller.dispose();
      // The folder is gone from this window: nothing of its shell may stay behind.
      removeFromTerminals(
        this.ctx.extensionContext.environmentVariableCollection.getScoped({ workspaceFolder: folder }),
      );
      void this.rustAnalyzer.remove(folder);
    }
    for (const folder of event.added) {
      this.add(folder);
      void this.controllers.get(folder.uri.toString())?.restore();
    }
    this.render();
  }

  private onSettingsChanged(event: vscode.ConfigurationChangeEvent): void {
    for (const controller of this.controllers.values()) {
      if (event.affectsConfiguration('nixify.devShell', controller.folder.uri))
        controller.onSettingsChanged();
    }
  }

  private onControllerChanged(controller: DevShellController): void {
    this.environmentChanged.fire(this.environmentUri(controller));
    this.changed.fire(controller);
    this.render();
  }

  private follow(editor: vscode.TextEditor | undefined): void {
    const folder = editor && vscode.workspace.getWorkspaceFolder(editor.document.uri);
    if (folder === undefined || !this.controllers.has(folder.uri.toString())) return;
    this.statusFolder = folder.uri.toString();
    this.render();
  }

  private statusController(): DevShellController | undefined {
    const followed = this.statusFolder && this.controllers.get(this.statusFolder);
    if (followed) return followed;
    const all = [...this.controllers.values()];
    return all.find((controller) => controller.status.source !== null) ?? all[0];
  }

  private render(): void {
    const controller = this.statusController();
    this.statusBar.show(controller?.folder, controller?.status, this.controllers.size > 1);
    this.ctx.setContext(ContextKey.devShellActive, controller !== undefined && isActive(controller.status));
  }

  private environmentText(uri: vscode.Uri): string {
    const controller = this.controllers.get(uri.query);
    const env = controller?.status.applied?.env;
    if (controller === undefined) return '# This folder is no longer open.\n';
    if (env === undefined) return `# The dev shell of ${controller.folder.name} is off.\n`;
    return renderEnvironment(env);
  }

  dispose(): void {
    for (const controller of this.controllers.values()) controller.dispose();
    this.controllers.clear();
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
  }
}

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '')
    return path.isAbsolute(arg) ? vscode.Uri.file(arg) : vscode.Uri.parse(arg);
  if (typeof arg === 'object' && arg !== null && 'uri' in arg && arg.uri instanceof vscode.Uri)
    return arg.uri;
  return undefined;
}
