// The dev shells' extension-wide part: shows the active folder's shell in the status bar, and routes
// settings, trust, extension changes and commands to the right folder's controller. Each controller
// belongs to its folder's session (src/folderSession.ts), which creates and disposes it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { onDidChangeNixifyConfiguration } from '../config';
import { ContextKey } from '../contextKeys';
import type { FolderSession } from '../folderSession';
import { DevShellStatusBar, type StatusBarSnapshot } from '../views/devShellStatusBar';
import type { DevShellController } from './controller';
import type { RustAnalyzerExtensionPort } from './handOff';
import type { RustAnalyzerService } from './rustAnalyzer';
import { isActive } from './status';
import { renderEnvironment } from './summary';

/** Read-only documents that show a shell's variables, opened only on the user's request. */
export const ENVIRONMENT_SCHEME = 'nixify-devshell';

/** What the dev shells need from the extension, piece by piece. */
export interface DevShellsDeps {
  /** The open folders' sessions, in workspace order. */
  sessions(): readonly FolderSession[];
  /** The session of the folder at `uri` (the URI as a string). */
  session(uri: string): FolderSession | undefined;
  rustAnalyzer: RustAnalyzerService;
  setContext(key: string, value: unknown): void;
  onDidGrantWorkspaceTrust: vscode.Event<void>;
}

export class DevShells implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly statusBar = new DevShellStatusBar();
  private readonly environmentChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly changed = new vscode.EventEmitter<DevShellController>();
  /** The folder the status item follows (the active editor's), by URI. */
  private statusFolder: string | undefined;
  private restored: Promise<void> | undefined;

  /** Fires after any folder's shell status changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: DevShellsDeps) {
    this.disposables.push(
      this.statusBar,
      this.environmentChanged,
      this.changed,
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      onDidChangeNixifyConfiguration((event) => this.onSettingsChanged(event)),
      vscode.extensions.onDidChange(() => this.controllers().forEach((c) => c.onExtensionsChanged())),
      deps.onDidGrantWorkspaceTrust(() => this.controllers().forEach((c) => c.onTrustGranted())),
      vscode.workspace.registerTextDocumentContentProvider(ENVIRONMENT_SCHEME, {
        onDidChange: this.environmentChanged.event,
        provideTextDocumentContent: (uri) => this.environmentText(uri),
      }),
    );
    this.follow(vscode.window.activeTextEditor);
    this.render();
  }

  /** A folder's shell status changed (its session calls this); also after folders came or went. */
  changedIn(session: FolderSession | undefined): void {
    if (session !== undefined) {
      this.environmentChanged.fire(this.environmentUri(session.devShell));
      this.changed.fire(session.devShell);
    }
    // Sessions are created after this object: the first call finds the active editor's folder.
    if (this.statusFolder === undefined) this.follow(vscode.window.activeTextEditor);
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
    await Promise.all(this.controllers().map((controller) => controller.restore()));
  }

  /** The controller for a command argument (Uri, path, workspace folder), else the status item's. */
  controllerFor(arg?: unknown): DevShellController | undefined {
    const uri = toUri(arg);
    if (uri !== undefined) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      return folder && this.deps.session(folder.uri.toString())?.devShell;
    }
    return this.statusController();
  }

  all(): DevShellController[] {
    return this.controllers();
  }

  statusBarSnapshot(): StatusBarSnapshot {
    return this.statusBar.snapshot();
  }

  serverPid(controller: DevShellController): number | undefined {
    return this.deps.session(controller.folder.uri.toString())?.rustAnalyzer.serverPid;
  }

  useRustAnalyzerExtensionForTests(port: RustAnalyzerExtensionPort | undefined): void {
    this.deps.rustAnalyzer.useExtensionPortForTests(port);
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
    const sessions = this.deps.sessions();
    for (const session of sessions) await session.restartDevShell();
    this.restored = undefined;
    const started = performance.now();
    this.render();
    await this.restore();
    return performance.now() - started;
  }

  private controllers(): DevShellController[] {
    return this.deps.sessions().map((session) => session.devShell);
  }

  private onSettingsChanged(event: vscode.ConfigurationChangeEvent): void {
    for (const controller of this.controllers()) {
      if (event.affectsConfiguration('nixify.devShell', controller.folder.uri))
        controller.onSettingsChanged();
    }
  }

  private follow(editor: vscode.TextEditor | undefined): void {
    const folder = editor && vscode.workspace.getWorkspaceFolder(editor.document.uri);
    if (folder === undefined || this.deps.session(folder.uri.toString()) === undefined) return;
    this.statusFolder = folder.uri.toString();
    this.render();
  }

  private statusController(): DevShellController | undefined {
    const followed = this.statusFolder && this.deps.session(this.statusFolder)?.devShell;
    if (followed) return followed;
    const all = this.controllers();
    return all.find((controller) => controller.status.source !== null) ?? all[0];
  }

  private render(): void {
    const controller = this.statusController();
    this.statusBar.show(controller?.folder, controller?.status, this.controllers().length > 1);
    this.deps.setContext(ContextKey.devShellActive, controller !== undefined && isActive(controller.status));
  }

  private environmentText(uri: vscode.Uri): string {
    const controller = this.deps.session(uri.query)?.devShell;
    const env = controller?.status.applied?.env;
    if (controller === undefined) return '# This folder is no longer open.\n';
    if (env === undefined) return `# The dev shell of ${controller.folder.name} is off.\n`;
    return renderEnvironment(env);
  }

  dispose(): void {
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
