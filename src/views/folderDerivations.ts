// One workspace folder's derivations, for as long as the folder has a flake: its last evaluation and
// statuses, the builds running and failed, the history "why does this rebuild?" compares with, and
// when to evaluate again (on demand, on save after a pause, when next shown). The work itself is
// the core's pipeline (src/core/derivations); this class keeps its results and says when they change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { derivationSettings } from '../config';
import type { DetectResult } from '../core/cargo';
import {
  allItems,
  buildDerivations,
  CacheStatusService,
  classifyFolder,
  evaluateFolder,
  FlakeEvalError,
  readDerivationHistory,
  rememberDerivations,
  seenDerivation,
  type BuildResult,
  type DerivationGroups,
  type DerivationHistory,
  type DerivationItem,
  type FolderEvaluation,
  type ItemStatus,
  type SeenDerivation,
} from '../core/derivations';
import type { NixRunOptions } from '../core/nix/invoke';
import { errorMessage, type Log } from '../log';
import type { NixErrorReporter } from '../nixDiagnostics';
import { withCancellableProgress } from '../progress';
import { failedAfterBuild, projectsOfModel, type DerivationFolderInput } from './derivationTreeModel';

/** Where the history is kept in the workspace state (the key predates this class). */
const HISTORY_KEY = 'nixify.derivations.lastDrvs';
/** Per request to a cache, and for the store's validity query. */
const CLASSIFY_TIMEOUT_MS = 5000;
/** Saves of these files change what the flake evaluates to. */
const DERIVATION_INPUT = /^Cargo\.(toml|lock)$|\.(rs|nix)$/;

export interface FolderDerivationsDeps {
  name: string;
  /** The folder's path; its flake.nix is at the top. */
  path: string;
  /** How Nix runs for this folder; read on every use, as settings may change. */
  nixOptions(): NixRunOptions;
  /** The folder's latest Cargo detection: the projects and crates the derivations are grouped by. */
  model(): DetectResult | undefined;
  /** Evaluating runs the flake's code: only in a trusted workspace. */
  isTrusted(): boolean;
  /** Whether anyone sees the derivations now; while not, a change only marks them stale. */
  isShown(): boolean;
  log: Log;
  nixErrors: NixErrorReporter;
  /** Keeps the derivation history across sessions (the workspace state). */
  memento: vscode.Memento;
}

export class FolderDerivations implements vscode.Disposable {
  readonly name: string;
  readonly path: string;
  /** Fires after anything the tree shows of this folder changed. */
  readonly onDidChange: vscode.Event<void>;

  /** The last evaluation that succeeded: its flake's caches and the plan statuses count on. */
  private evaluation: FolderEvaluation | null = null;
  /** What the tree lists: null before the first evaluation ends and after one failed. */
  private groups: DerivationGroups | null = null;
  private statuses: ReadonlyMap<string, ItemStatus> | null = null;
  private error: string | null = null;
  private evaluating = false;
  private failedBuilds: ReadonlySet<string> = new Set();
  private readonly building = new Set<string>();
  private readonly builds = new Set<AbortController>();
  private readonly service = new CacheStatusService();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly lifetime = new AbortController();
  private readonly saveListener: vscode.Disposable;
  private refreshing: AbortController | undefined;
  private current: Promise<void> = Promise.resolve();
  private debounce: NodeJS.Timeout | undefined;
  /** Something changed while nobody looked: refreshed when next shown. */
  private stale = true;
  private cratesKey: string | undefined;

  constructor(private readonly deps: FolderDerivationsDeps) {
    this.name = deps.name;
    this.path = deps.path;
    this.onDidChange = this.changed.event;
    this.saveListener = vscode.workspace.onDidSaveTextDocument((doc) => this.onSaved(doc));
  }

  /** The folder as the tree model reads it. */
  snapshot(): DerivationFolderInput {
    const { manifests, names } = this.projects();
    return {
      name: this.name,
      path: this.path,
      manifests,
      projectNames: names,
      untrusted: !this.deps.isTrusted(),
      evaluating: this.evaluating,
      error: this.error,
      groups: this.groups,
      statuses: this.statuses,
      notes: this.evaluation?.plan.notes ?? [],
      machines: this.evaluation?.machines ?? null,
      failedBuilds: this.failedBuilds,
      building: this.building,
    };
  }

  /** Resolves when the latest refresh (evaluation and classification) has finished. */
  whenIdle(): Promise<void> {
    return this.current;
  }

  /** Evaluates the flake again (cancelling a refresh still running), then classifies. */
  refresh(reason: string, options: { fresh?: boolean } = {}): Promise<void> {
    this.refreshing?.abort();
    const controller = new AbortController();
    this.refreshing = controller;
    this.stale = false;
    this.deps.log.info(`derivations: refresh of ${this.name} (${reason})`);
    this.current = this.evaluate(controller.signal, options);
    return this.current;
  }

  /** Something the derivations depend on changed: refresh now if they are shown, else when they are. */
  invalidate(reason: string): void {
    if (this.deps.isShown()) void this.refresh(reason);
    else this.stale = true;
  }

  refreshIfStale(reason: string): void {
    if (this.stale) void this.refresh(reason);
  }

  /** The folder was detected again: a refresh if its projects or crates changed (or were never seen). */
  onModelChanged(): void {
    const key = JSON.stringify(this.projects().projects);
    if (key === this.cratesKey) return;
    this.cratesKey = key;
    this.invalidate('crates changed');
  }

  /**
   * Classifies the current derivations again after a build. Everything is asked again (one batch
   * query), not only the targets: a build also fetches or builds their dependencies.
   */
  async reclassify(): Promise<void> {
    // No groups: nothing is listed (the last evaluation failed), so nothing to classify.
    if (!this.evaluation || !this.groups) return;
    this.service.invalidate();
    await this.classify(this.evaluation, this.lifetime.signal, {});
  }

  /** Builds `items` through `nix build`, with progress and Cancel, then classifies again. */
  async build(items: readonly DerivationItem[]): Promise<BuildResult> {
    if (items.length === 0) return buildDerivations([]);
    const drvPaths = items.map((i) => i.drvPath);
    const title =
      items.length === 1 ? `Building ${items[0]?.name ?? ''}` : `Building ${items.length} derivations`;
    const abort = new AbortController();
    this.builds.add(abort);
    for (const d of drvPaths) this.building.add(d);
    this.changed.fire();
    this.deps.log.info(`derivations: nix build of ${drvPaths.length} derivation(s) in ${this.path}`);
    let result: BuildResult;
    try {
      result = await withCancellableProgress(
        title,
        (signal, report) =>
          buildDerivations(drvPaths, {
            ...this.nixOptions(),
            signal,
            names: new Map(items.map((i) => [i.drvPath, i.name])),
            onProgress: report,
            onLog: (line) => this.deps.log.info(`[build] ${line}`),
          }),
        abort,
      );
    } catch (error) {
      // nix could not start: the nodes must not stay "building".
      this.endBuild(abort, drvPaths);
      this.changed.fire();
      throw error;
    }
    this.endBuild(abort, drvPaths);
    const how = result.ok
      ? 'succeeded'
      : result.cancelled
        ? 'was cancelled'
        : `failed (exit ${String(result.exitCode)})`;
    this.deps.log.info(`derivations: build ${how} in ${result.durationMs} ms`);
    await this.reclassify();
    this.failedBuilds = failedAfterBuild(this.failedBuilds, drvPaths, result, this.statuses);
    this.changed.fire();
    return result;
  }

  /** Cancels every running build, as the notification's Cancel button does. */
  cancelBuilds(): void {
    for (const build of this.builds) build.abort();
  }

  /** The current and previous derivation seen under a key of `historyKeys`. */
  lastDrvs(key: string): SeenDerivation | undefined {
    return seenDerivation(this.history(), this.path, key);
  }

  /** The caches the flake declares in its nixConfig. */
  flakeSubstituters(): string[] {
    return this.evaluation?.flake.cache.substituters ?? [];
  }

  /** Crate output name (`packages.<name>`) → its Cargo.toml. */
  manifests(): Readonly<Record<string, string>> {
    return this.projects().manifests;
  }

  nixOptions(): NixRunOptions {
    return this.deps.nixOptions();
  }

  dispose(): void {
    this.lifetime.abort();
    this.refreshing?.abort();
    clearTimeout(this.debounce);
    this.cancelBuilds();
    this.saveListener.dispose();
    this.changed.dispose();
    this.deps.nixErrors.clear(this.path);
  }

  /** The flake's projects as its text names them (every one of the folder, before there is a flake). */
  private projects(): ReturnType<typeof projectsOfModel> {
    let flakeText: string | null = null;
    try {
      flakeText = fs.readFileSync(path.join(this.path, 'flake.nix'), 'utf8');
    } catch {
      // No flake.nix (yet): the projects a Nixify flake here would have.
    }
    return projectsOfModel(this.path, this.deps.model(), flakeText);
  }

  private onSaved(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file') return;
    const name = path.basename(doc.uri.fsPath);
    if (!DERIVATION_INPUT.test(name)) return;
    if (vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath !== this.path) return;
    const settings = derivationSettings(doc.uri);
    if (!settings.refreshOnSave) return;
    // Editors and formatters save several files at once: one evaluation once the saves pause.
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.invalidate(`${name} saved`), settings.debounceMs);
  }

  private endBuild(abort: AbortController, drvPaths: readonly string[]): void {
    this.builds.delete(abort);
    for (const d of drvPaths) this.building.delete(d);
  }

  private async evaluate(signal: AbortSignal, options: { fresh?: boolean }): Promise<void> {
    if (!this.deps.isTrusted()) return;
    const { projects } = this.projects();
    this.evaluating = true;
    this.error = null;
    this.changed.fire();
    const started = performance.now();
    try {
      const evaluation = await evaluateFolder(this.path, projects, { ...this.nixOptions(), signal });
      if (signal.aborted) return;
      this.evaluation = evaluation;
      this.groups = evaluation.groups;
      this.remember(evaluation);
      this.deps.nixErrors.clear(this.path);
      this.deps.log.info(
        `derivations: ${allItems(evaluation.groups).length} derivations of ${this.name} evaluated in ${(performance.now() - started).toFixed(0)} ms`,
      );
      this.changed.fire();
      await this.classify(evaluation, signal, options);
    } catch (error) {
      if (signal.aborted) return;
      this.error = errorMessage(error);
      this.groups = null;
      this.statuses = null;
      this.deps.log.warn(`derivations: evaluating ${this.name} failed: ${this.error}`);
      // The whole stderr: the message holds only its tail.
      this.deps.nixErrors.report(this.path, error instanceof FlakeEvalError ? error.stderr : this.error);
    } finally {
      if (!signal.aborted) {
        this.evaluating = false;
        this.changed.fire();
      }
    }
  }

  private async classify(
    evaluation: FolderEvaluation,
    signal: AbortSignal,
    options: { fresh?: boolean },
  ): Promise<void> {
    const started = performance.now();
    const statuses = await classifyFolder(evaluation, {
      ...this.nixOptions(),
      signal,
      timeoutMs: CLASSIFY_TIMEOUT_MS,
      service: this.service,
      ...(options.fresh !== undefined && { fresh: options.fresh }),
    });
    if (signal.aborted) return;
    this.statuses = statuses;
    this.deps.log.info(
      `derivations: statuses of ${this.name} in ${(performance.now() - started).toFixed(0)} ms`,
    );
    this.changed.fire();
  }

  /**
   * What an earlier session (maybe an older Nixify) stored, without the entries that do not fit;
   * those are logged once and the cleaned history stored, so that the next read is quiet.
   */
  private history(): DerivationHistory {
    const { history, dropped } = readDerivationHistory(this.deps.memento.get<unknown>(HISTORY_KEY));
    if (dropped.length > 0) {
      this.deps.log.warn(
        `derivations: left out of the stored history (another Nixify's or edited by hand): ${dropped.slice(0, 3).join('; ')}${dropped.length > 3 ? `; and ${dropped.length - 3} more` : ''}`,
      );
      void this.deps.memento.update(HISTORY_KEY, history);
    }
    return history;
  }

  private remember(evaluation: FolderEvaluation): void {
    const history = this.history();
    const next = rememberDerivations(
      history,
      this.path,
      allItems(evaluation.groups),
      evaluation.flake.inputs,
    );
    if (next !== history) void this.deps.memento.update(HISTORY_KEY, next);
  }
}
