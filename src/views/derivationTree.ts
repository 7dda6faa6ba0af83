import * as vscode from 'vscode';
import { devShellSettings } from '../config';
import type { Ctx } from '../ctx';
import {
  allItems,
  CacheStatusService,
  evalFlakeDerivations,
  FlakeEvalError,
  flakeInputPaths,
  groupDerivations,
  historyKeys,
  type DerivationItem,
  type FlakeDerivations,
} from '../core/derivations';
import { runProcess } from '../core/process';
import { buildInstallables, BuildProgressParser, formatBuildProgress } from '../core/nix/buildProgress';
import { dialectOf, type NixRunOptions } from '../core/nix/invoke';
import { nixArgs } from '../core/nix/nixCommand';
import { readNixConfig } from '../core/nix/nixConfig';
import { planSubstituters } from '../core/nix/substituters';
import { errorMessage } from '../log';
import type { NixErrorReporter } from '../nixDiagnostics';
import {
  buildDerivationTree,
  cratesOfModel,
  newFolderInput,
  viewDescription,
  type DerivationFolderInput,
  type DerivationNode,
  type FolderNode,
} from './derivationTreeModel';

export const DERIVATION_VIEW_ID = 'nixify.derivations';
const LAST_DRVS_KEY = 'nixify.derivations.lastDrvs';

interface FolderState extends DerivationFolderInput {
  flake: FlakeDerivations | null;
  failedBuilds: Set<string>;
  building: Set<string>;
}

/**
 * Attribute key → the derivation seen now and the one before it (for "why does this rebuild"), and
 * the store paths of flake inputs seen so far (path → input name).
 */
type LastDrvs = Record<string, { current: string; previous: string | null; inputs: Record<string, string> }>;

export interface BuildOutcome {
  ok: boolean;
  cancelled: boolean;
  message: string;
}

/**
 * The Derivations view: keeps each flake folder's groups and statuses, re-evaluates on demand and
 * on save (debounced), cancels a refresh that a newer one replaces, and builds derivations.
 */
export class DerivationTree implements vscode.TreeDataProvider<DerivationNode>, vscode.Disposable {
  private readonly states = new Map<string, FolderState>();
  private roots: FolderNode[] = [];
  private readonly changed = new vscode.EventEmitter<DerivationNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly service = new CacheStatusService();
  private readonly nixErrors: NixErrorReporter;
  private readonly view: vscode.TreeView<DerivationNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshing: AbortController | undefined;
  private current: Promise<void> = Promise.resolve();
  private debounce: NodeJS.Timeout | undefined;
  /** Set while the view is hidden and something changed: refreshed when it becomes visible. */
  private stale = true;
  private crateKey = '';
  private readonly builds = new Set<AbortController>();

  constructor(private readonly ctx: Ctx) {
    this.nixErrors = ctx.nixDiagnostics.producer('derivations');
    this.view = vscode.window.createTreeView(DERIVATION_VIEW_ID, {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility((e) => {
        if (e.visible && this.stale) void this.refresh('view shown');
      }),
      ctx.onDidChangeModels(() => this.onModelsChanged()),
      ctx.onDidGrantWorkspaceTrust(() => void this.refresh('workspace trusted')),
      vscode.workspace.onDidSaveTextDocument((doc) => this.onSaved(doc)),
      { dispose: () => this.refreshing?.abort() },
      { dispose: () => clearTimeout(this.debounce) },
      { dispose: () => this.cancelBuilds() },
    );
  }

  /** Resolves when the latest refresh (evaluation and classification) has finished. */
  whenIdle(): Promise<void> {
    return this.current;
  }

  nodes(): readonly FolderNode[] {
    return this.roots;
  }

  get description(): string {
    return this.view.description ?? '';
  }

  getChildren(node?: DerivationNode): DerivationNode[] {
    if (!node) return this.roots;
    return node.kind === 'folder' || node.kind === 'group' ? node.children : [];
  }

  getTreeItem(node: DerivationNode): vscode.TreeItem {
    const collapsible =
      node.kind === 'folder'
        ? vscode.TreeItemCollapsibleState.Expanded
        : node.kind === 'group'
          ? node.group === 'other'
            ? vscode.TreeItemCollapsibleState.Collapsed
            : vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(
      node.icon,
      node.color !== null ? new vscode.ThemeColor(node.color) : undefined,
    );
    if (node.kind === 'message' && node.location !== null) {
      const at = new vscode.Position(node.location.line - 1, node.location.column - 1);
      item.command = {
        command: 'vscode.open',
        title: 'Go to Error',
        arguments: [vscode.Uri.file(node.location.file), { selection: new vscode.Range(at, at) }],
      };
    }
    return item;
  }

  /** Evaluates every flake folder again (cancelling a refresh still running) and classifies. */
  refresh(reason: string, options: { fresh?: boolean } = {}): Promise<void> {
    this.refreshing?.abort();
    const controller = new AbortController();
    this.refreshing = controller;
    this.stale = false;
    this.ctx.log.info(`derivations: refresh (${reason})`);
    const run = this.syncFolders().map((state) => this.refreshFolder(state, controller.signal, options));
    this.current = Promise.all(run).then(() => undefined);
    this.render();
    return this.current;
  }

  /**
   * Classifies a folder's current derivations again after a build. Everything is asked again (one
   * batch query), not only the targets: a build also fetches or builds their dependencies.
   */
  async reclassify(folderPath: string): Promise<void> {
    const state = this.states.get(folderPath);
    if (!state?.groups) return;
    this.service.invalidate();
    await this.classify(state, new AbortController().signal, {});
  }

  /** Builds `items` of the folder through `nix build`, with progress, then reclassifies them. */
  async build(folderPath: string, items: readonly DerivationItem[]): Promise<BuildOutcome> {
    const state = this.states.get(folderPath);
    if (!state || items.length === 0) return { ok: true, cancelled: false, message: 'Nothing to build' };
    const drvPaths = items.map((i) => i.drvPath);
    const title =
      items.length === 1 ? `Building ${items[0]?.name ?? ''}` : `Building ${items.length} derivations`;
    const options = this.nixOptions(folderPath);
    const modern = (await dialectOf(options)) === 'modern';
    const parser = new BuildProgressParser();
    const names = new Map(items.map((i) => [i.drvPath, i.name]));
    for (const d of drvPaths) state.building.add(d);
    this.render();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        this.builds.add(abort);
        const listener = token.onCancellationRequested(() => abort.abort());
        let shown = '';
        // `-L` before `--log-format`: on Nix 2.8 a later `-L` switches back to the text format.
        const args = nixArgs([
          'build',
          '--no-link',
          '-L',
          '--log-format',
          'internal-json',
          ...buildInstallables(drvPaths, modern),
        ]);
        this.ctx.log.info(`derivations: nix build of ${drvPaths.length} derivation(s) in ${folderPath}`);
        try {
          return await runProcess(options.nix ?? 'nix', args, {
            cwd: folderPath,
            signal: abort.signal,
            onStderrLine: (line) => {
              const event = parser.push(line);
              if (event?.kind === 'log') {
                const name = event.drvPath ? (names.get(event.drvPath) ?? event.drvPath.slice(44)) : 'nix';
                this.ctx.log.info(`[build] ${name}> ${event.line}`);
              } else if (event?.kind === 'message' && event.level <= 3) {
                this.ctx.log.info(`[build] ${event.text}`);
              } else if (event?.kind === 'progress') {
                const text = formatBuildProgress(parser.progress);
                if (text !== shown) {
                  shown = text;
                  progress.report({ message: text });
                }
              }
            },
          });
        } finally {
          this.builds.delete(abort);
          listener.dispose();
        }
      },
    );
    for (const d of drvPaths) state.building.delete(d);
    const cancelled = result.cancelled;
    const ok = result.exitCode === 0 && !cancelled;
    this.ctx.log.info(
      `derivations: build ${ok ? 'succeeded' : cancelled ? 'was cancelled' : `failed (exit ${String(result.exitCode)})`} in ${result.durationMs} ms`,
    );
    await this.reclassify(folderPath);
    for (const d of drvPaths) {
      const local = state.statuses?.get(d)?.status === 'local';
      if (local || cancelled) state.failedBuilds.delete(d);
      else if (!ok) state.failedBuilds.add(d);
    }
    this.render();
    const message = ok
      ? `Built ${formatBuildProgress(parser.progress)}`
      : cancelled
        ? 'Build cancelled'
        : `Build failed: ${lastError(result.stderr)}`;
    return { ok, cancelled, message };
  }

  /** Cancels every running build, as the notification's Cancel button does. */
  cancelBuilds(): void {
    for (const build of this.builds) build.abort();
  }

  /** The current and previous derivation seen under a key of `historyKeys`. */
  lastDrvs(folderPath: string, attribute: string): LastDrvs[string] | undefined {
    return this.readLastDrvs()[`${folderPath}#${attribute}`];
  }

  /** The caches the folder's flake declares in its nixConfig. */
  flakeSubstituters(folderPath: string): string[] {
    return this.states.get(folderPath)?.flake?.cache.substituters ?? [];
  }

  /** Crate name → Cargo.toml of the folder. */
  manifests(folderPath: string): Readonly<Record<string, string>> {
    return this.states.get(folderPath)?.manifests ?? {};
  }

  /** How Nix runs for this folder: the configured `nix`, in the folder. */
  nixOptions(folderPath: string): NixRunOptions {
    const nix = devShellSettings(vscode.Uri.file(folderPath)).nixPath;
    return { ...(nix !== undefined && { nix }), cwd: folderPath };
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }

  private onModelsChanged(): void {
    const key = JSON.stringify(
      this.ctx.folders().map((f) => [f.path, f.hasFlake, cratesOfModel(f.result).crates]),
    );
    if (key === this.crateKey) return;
    this.crateKey = key;
    if (this.view.visible) void this.refresh('crates changed');
    else {
      this.stale = true;
      this.syncFolders();
      this.render();
    }
  }

  private onSaved(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file') return;
    const name = doc.uri.path.split('/').pop() ?? '';
    if (!/^Cargo\.(toml|lock)$|\.(rs|nix)$/.test(name)) return;
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (!folder || !this.states.has(folder.uri.fsPath)) return;
    const settings = vscode.workspace.getConfiguration('nixify.derivations', folder.uri);
    if (settings.get<boolean>('refreshOnSave') === false) return;
    const delay = Math.max(0, Number(settings.get<number>('debounceMs') ?? 1500));
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      if (this.view.visible) void this.refresh(`${name} saved`);
      else this.stale = true;
    }, delay);
  }

  /** Brings `states` in line with the workspace: folders with a flake.nix, their crates. */
  private syncFolders(): FolderState[] {
    const folders = this.ctx.folders().filter((f) => f.hasFlake === true);
    const keep = new Set(folders.map((f) => f.path));
    for (const key of [...this.states.keys()]) {
      if (!keep.has(key)) {
        this.states.delete(key);
        this.nixErrors.clear(key);
      }
    }
    return folders.map((f) => {
      const { manifests } = cratesOfModel(f.result);
      const existing = this.states.get(f.path);
      const state: FolderState = existing ?? { ...newFolderInput(f.name, f.path, manifests), flake: null };
      state.manifests = manifests;
      state.untrusted = !this.ctx.isTrusted;
      this.states.set(f.path, state);
      return state;
    });
  }

  private async refreshFolder(
    state: FolderState,
    signal: AbortSignal,
    options: { fresh?: boolean },
  ): Promise<void> {
    if (state.untrusted) return;
    const folder = this.ctx.folders().find((f) => f.path === state.path);
    const { crates } = cratesOfModel(folder?.result);
    state.evaluating = true;
    state.error = null;
    this.render();
    const nixOptions = { ...this.nixOptions(state.path), signal };
    const started = performance.now();
    try {
      const [flake, config] = await Promise.all([
        evalFlakeDerivations(state.path, nixOptions),
        readNixConfig(nixOptions),
      ]);
      if (signal.aborted) return;
      state.flake = flake;
      state.groups = groupDerivations(flake, crates);
      state.notes = planSubstituters(config, flake.cache).notes;
      this.rememberDrvs(state);
      this.nixErrors.clear(state.path);
      this.ctx.log.info(
        `derivations: ${allItems(state.groups).length} derivations of ${state.name} evaluated in ${(performance.now() - started).toFixed(0)} ms`,
      );
      this.render();
      await this.classify(state, signal, options);
    } catch (error) {
      if (signal.aborted) return;
      state.error = errorMessage(error);
      state.groups = null;
      state.statuses = null;
      this.ctx.log.warn(`derivations: evaluating ${state.name} failed: ${state.error}`);
      // The whole stderr: the message holds only its tail.
      this.nixErrors.report(state.path, error instanceof FlakeEvalError ? error.stderr : state.error);
    } finally {
      if (!signal.aborted) {
        state.evaluating = false;
        this.render();
      }
    }
  }

  private async classify(
    state: FolderState,
    signal: AbortSignal,
    options: { fresh?: boolean },
  ): Promise<void> {
    if (!state.groups || !state.flake) return;
    const nixOptions = { ...this.nixOptions(state.path), signal };
    const plan = planSubstituters(await readNixConfig(nixOptions), state.flake.cache);
    const started = performance.now();
    const statuses = await this.service.classify(allItems(state.groups), plan, {
      ...nixOptions,
      timeoutMs: 5000,
      ...(options.fresh !== undefined && { fresh: options.fresh }),
    });
    if (signal.aborted) return;
    state.statuses = statuses;
    this.ctx.log.info(
      `derivations: statuses of ${state.name} in ${(performance.now() - started).toFixed(0)} ms`,
    );
    this.render();
  }

  private render(): void {
    const folders = [...this.states.values()];
    this.roots = buildDerivationTree(folders);
    this.view.description = viewDescription(folders);
    this.changed.fire(undefined);
  }

  private readLastDrvs(): LastDrvs {
    return this.ctx.extensionContext.workspaceState.get<LastDrvs>(LAST_DRVS_KEY) ?? {};
  }

  /** Remembers each attribute's derivation, keeping the one before it when it changed. */
  private rememberDrvs(state: FolderState): void {
    if (!state.groups || !state.flake) return;
    const last = this.readLastDrvs();
    for (const item of allItems(state.groups)) {
      for (const attribute of historyKeys(item)) {
        const key = `${state.path}#${attribute}`;
        const seen = last[key];
        if (seen?.current === item.drvPath) continue;
        last[key] = {
          current: item.drvPath,
          previous: seen?.current ?? null,
          inputs: { ...(seen?.inputs ?? {}), ...flakeInputPaths(state.flake.inputs) },
        };
      }
    }
    void this.ctx.extensionContext.workspaceState.update(LAST_DRVS_KEY, last);
  }
}

function lastError(stderr: string): string {
  const parser = new BuildProgressParser();
  const errors = stderr
    .split('\n')
    .map((line) => parser.push(line))
    .flatMap((e) => (e?.kind === 'message' && e.level === 0 && e.text.startsWith('error') ? [e.text] : []));
  return (errors.at(-1) ?? 'see the log').replace(/^error:\s*/, '').split('\n')[0] ?? '';
}
