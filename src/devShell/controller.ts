// One workspace folder's dev shell: the per-folder lifetime. It decides when to load or evaluate,
// applies the result to terminals and rust-analyzer, and keeps the last good environment through
// failures, cancellations and stale files.
import * as vscode from 'vscode';
import { devShellSettings } from '../config';
import {
  cacheKeyInputs,
  DevShellEvaluationError,
  forgetDevShell,
  evaluateDevShell,
  isStale,
  nextStatus,
  offStatus,
  shellSourceFor,
  usableCachedDevShell,
  type DevShellEvent,
  type DevShellStatus,
  type EvalOptions,
} from '../core/devenv';
import { sourceFile } from '../core/devenv/source';
import type { DevShellEnv, ShellSource } from '../core/devenv/types';
import { CommandNotFoundError } from '../core/process';
import { errorMessage, type Log } from '../log';
import type { NixErrorReporter } from '../nixDiagnostics';
import type { NixRunner } from '../nixRunner';
import { withCancellableProgress } from '../progress';
import type { FolderRustAnalyzer } from './rustAnalyzer';
import { formatDuration, sameShell, shellLabel, summarizeDelta } from './summary';
import { applyToTerminals, removeFromTerminals } from './terminalEnv';

export interface ControllerDeps {
  log: Log;
  storageDir: string;
  workspaceState: vscode.Memento;
  terminals: vscode.EnvironmentVariableCollection;
  /** The folder's rust-analyzer, which follows the shell. */
  rustAnalyzer: FolderRustAnalyzer;
  /** How this folder runs Nix. */
  nix: NixRunner;
  /** Where Nix's evaluation errors become Problems. */
  nixErrors: NixErrorReporter;
  isTrusted(): boolean;
  onDidChange(controller: DevShellController): void;
}

/**
 * Why a run starts: `user` asked (toggle, pick), `startup` restores last session's shell,
 * `background` follows changed files, `trust` resumes after the workspace was trusted.
 */
export type Trigger = 'user' | 'startup' | 'background' | 'trust';

// A cache hit takes milliseconds: a notification only for runs still going after this long.
const PROGRESS_DELAY_MS = 400;
// Editors and git write several files at once: one staleness check for the burst.
const STALE_CHECK_DEBOUNCE_MS = 300;
const UNTRUSTED =
  'This workspace is not trusted: Nixify does not evaluate its Nix files (they can run code). Trust the workspace to turn the dev shell on.';

export class DevShellController implements vscode.Disposable {
  private current: DevShellStatus;
  /** The user's wish, remembered per folder; the status says what actually happened. */
  private wanted = false;
  /** Bumped by every request: an older run that finishes late sees it and drops its result. */
  private generation = 0;
  private inflight: AbortController | undefined;
  private running: Promise<void> | undefined;
  private recheckAfterRun = false;
  /** The shell last asked for (it may be loading, applied, failed or cancelled). */
  private requested: ShellSource | undefined;
  private watchers: vscode.Disposable[] = [];
  private watchedKey: string | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly lifetime: vscode.Disposable[] = [];

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly deps: ControllerDeps,
  ) {
    this.current = offStatus(folder.name, this.source());
    this.wanted = deps.workspaceState.get<boolean>(this.stateKey) === true;
    // The status item shows once a shell file appears, even while the shell is off.
    const sources = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(folder, '{flake.nix,shell.nix,default.nix}'),
      false,
      true,
      false,
    );
    const refresh = () => this.onSourceFilesChanged();
    this.lifetime.push(sources, sources.onDidCreate(refresh), sources.onDidDelete(refresh));
  }

  get status(): DevShellStatus {
    return this.current;
  }

  /** Whether the user wants this folder's shell on (it may still be loading or have failed). */
  get isWanted(): boolean {
    return this.wanted;
  }

  /** The folder's shell as the settings select it now; null without flake.nix/shell.nix/default.nix. */
  source(): ShellSource | null {
    return shellSourceFor(this.folder.uri.fsPath, { attr: devShellSettings(this.folder.uri).attribute });
  }

  /** Startup: turns the shell back on when it was on last time, from the cache when possible. */
  async restore(): Promise<void> {
    if (!this.deps.isTrusted()) {
      // Terminals restored with the window would otherwise get last session's shell unasked.
      removeFromTerminals(this.deps.terminals);
    }
    if (this.wanted && devShellSettings(this.folder.uri).autoActivate) {
      await this.turnOn('startup');
    } else {
      // The collection persists across sessions; without a shell to restore, drop what it kept.
      removeFromTerminals(this.deps.terminals);
    }
  }

  async toggle(): Promise<void> {
    await (this.wanted ? this.turnOff() : this.turnOn('user'));
  }

  // On, off and reload change the state synchronously and only then wait (for the memento and the
  // evaluation): quick toggles can then never interleave half-done transitions.
  async turnOn(trigger: Trigger): Promise<void> {
    const saved = this.setWanted(true);
    await Promise.all([saved, this.run('cache-first', trigger)]);
  }

  /** Re-evaluates now; the current environment stays until the new one succeeds. */
  async reload(): Promise<void> {
    const saved = this.setWanted(true);
    await Promise.all([saved, this.run('evaluate', 'user')]);
  }

  /** Removes everything the shell added. The cache and its GC root stay, so turning on is instant. */
  async turnOff(): Promise<void> {
    this.generation++;
    this.inflight?.abort();
    this.inflight = undefined;
    this.requested = undefined;
    const saved = this.setWanted(false);
    this.unapply();
    // Nothing evaluates the shell any more, so nothing would clear them.
    this.deps.nixErrors.clear(this.folder.uri.fsPath);
    this.transition({ type: 'turnedOff', source: this.source() });
    await saved;
  }

  /** Turns off and deletes the cached environment and its GC root: the next start evaluates afresh. */
  async forget(): Promise<void> {
    const source = this.current.applied?.env.source ?? this.source();
    await this.turnOff();
    if (source !== null) {
      forgetDevShell(source, this.deps.storageDir);
      this.deps.log.info(`forgot the cached dev shell ${shellLabel(source)} of ${this.folder.uri.fsPath}`);
    }
  }

  /** Cancels a running evaluation; true when there was one. */
  cancel(): boolean {
    if (this.inflight === undefined) return false;
    this.inflight.abort();
    return true;
  }

  /** Resolves when no evaluation runs and rust-analyzer has caught up (for tests and commands). */
  async whenIdle(): Promise<void> {
    while (this.running !== undefined) await this.running;
    await this.deps.rustAnalyzer.settled();
  }

  /** Extensions changed (rust-analyzer's installed or removed): hand the shell to whichever runs now. */
  onExtensionsChanged(): void {
    if (this.current.applied) this.syncRustAnalyzer(this.current.applied.env);
  }

  /** `nixify.devShell.*` changed for this folder: follow a new attribute, refresh the rest. */
  onSettingsChanged(): void {
    const source = this.source();
    // Compared with the last request, not with what is applied: a pick already asked for this shell,
    // and a cancelled one must not start again because the settings event came late.
    if (
      this.wanted &&
      source !== null &&
      (this.requested === undefined || !sameShell(this.requested, source))
    ) {
      void this.run('cache-first', 'user');
      return;
    }
    if (this.current.applied) {
      // useShellRustAnalyzer may have changed; the reconciler ignores a request that changes nothing.
      this.syncRustAnalyzer(this.current.applied.env);
    }
    this.transition({ type: 'sourceChanged', source });
    // reloadOnChange turned on over a stale shell: the files already changed, so no watcher event
    // will come to reload it; check (and reload) now.
    if (this.current.phase === 'stale' && devShellSettings(this.folder.uri).reloadOnChange) {
      this.scheduleStaleCheck();
    }
  }

  /** A shell file appeared or went away: the status item shows or hides. */
  private onSourceFilesChanged(): void {
    this.transition({ type: 'sourceChanged', source: this.source() });
  }

  onTrustGranted(): void {
    if (this.wanted) void this.turnOn('trust');
  }

  private get stateKey(): string {
    return `nixify.devShell.on:${this.folder.uri.toString()}`;
  }

  private setWanted(wanted: boolean): Thenable<void> {
    this.wanted = wanted;
    return this.deps.workspaceState.update(this.stateKey, wanted);
  }

  private run(policy: 'cache-first' | 'evaluate', trigger: Trigger): Promise<void> {
    const run = this.load(policy, trigger).finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async load(policy: 'cache-first' | 'evaluate', trigger: Trigger): Promise<void> {
    const log = this.deps.log;
    const source = this.source();
    if (source === null) {
      this.fail(`There is no flake.nix, shell.nix or default.nix in ${this.folder.uri.fsPath}.`);
      return;
    }
    if (!this.deps.isTrusted()) {
      log.info(`dev shell of ${this.folder.uri.fsPath} not loaded: the workspace is not trusted`);
      this.transition({ type: 'failed', error: UNTRUSTED });
      if (trigger === 'user') void this.offerTrust();
      return;
    }
    // One evaluation per folder: a newer request supersedes (and kills) an older one.
    const generation = ++this.generation;
    this.requested = source;
    this.inflight?.abort();
    this.inflight = undefined;
    if (policy === 'cache-first') {
      const cached = usableCachedDevShell(source, this.deps.storageDir, (line) => log.warn(line));
      if (cached) {
        // Applied before anything else: terminals and rust-analyzer get a working environment at
        // once; whether it is stale needs a walk of the folder's files, which comes after.
        this.apply(cached, true);
        const stale = await this.checkStale({ evaluateIfStale: trigger === 'user' });
        // Evaluated from the very files there are now: no error is left in them.
        if (stale === false) this.deps.nixErrors.clear(this.folder.uri.fsPath);
        return;
      }
    }
    const abort = new AbortController();
    this.inflight = abort;
    this.transition({ type: 'loading', source });
    const options: EvalOptions = {
      storageDir: this.deps.storageDir,
      ...this.deps.nix.options({ signal: abort.signal }),
    };
    try {
      const env = await this.withProgress(source, abort, trigger, (onStderrLine) =>
        evaluateDevShell(source, { ...options, onStderrLine }),
      );
      if (generation !== this.generation) return;
      this.apply(env, false);
      if (this.recheckAfterRun) this.scheduleStaleCheck();
    } catch (error) {
      if (generation !== this.generation) return;
      if (abort.signal.aborted) {
        log.info(`dev shell evaluation of ${this.folder.uri.fsPath} cancelled`);
        const hadShell = this.current.applied !== undefined;
        this.transition({ type: 'cancelled', source });
        if (!hadShell) {
          // Nothing was on before: cancelling the first evaluation turns the shell off.
          this.requested = undefined;
          await this.setWanted(false);
        }
        return;
      }
      this.fail(describeError(error), error);
    } finally {
      if (this.inflight === abort) this.inflight = undefined;
    }
  }

  /** Whether a cached environment is stale is `checkStale`'s to find out, after this. */
  private apply(env: DevShellEnv, fromCache: boolean): void {
    const previousKey = this.current.applied?.env.key;
    this.recheckAfterRun = false;
    // A fresh evaluation: no error is left in the files it read.
    if (!fromCache) this.deps.nixErrors.clear(this.folder.uri.fsPath);
    applyToTerminals(this.deps.terminals, env);
    this.transition({ type: 'applied', applied: { env, fromCache } });
    this.syncRustAnalyzer(env);
    this.watch(env.source);
    if (previousKey !== env.key || !fromCache) {
      const summary = summarizeDelta(env.delta);
      this.deps.log.info(
        `dev shell ${shellLabel(env.source)} of ${this.folder.uri.fsPath} on: ${summary.variables} variables, ` +
          `${summary.pathEntries} PATH entries, ${fromCache ? 'from the cache' : `evaluated in ${formatDuration(env.durationMs)}`}`,
      );
      this.deps.log.debug(`dev shell variables: ${summary.names.join(' ')}`);
    }
  }

  private unapply(): void {
    clearTimeout(this.staleTimer);
    this.unwatch();
    removeFromTerminals(this.deps.terminals);
    void this.deps.rustAnalyzer.set(undefined, false);
  }

  private syncRustAnalyzer(env: DevShellEnv): void {
    const { useShellRustAnalyzer } = devShellSettings(this.folder.uri);
    void this.deps.rustAnalyzer.set(env, useShellRustAnalyzer);
  }

  private fail(message: string, error?: unknown): void {
    const log = this.deps.log;
    log.error(`dev shell of ${this.folder.uri.fsPath}: ${message}`);
    // Nix's progress lines before its error help tell what it was doing; the error alone is above.
    if (error instanceof DevShellEvaluationError && !['', message.trim()].includes(error.stderr.trim())) {
      log.error(`nix said:\n${error.stderr.trimEnd()}`);
    }
    this.transition({ type: 'failed', error: message });
    // Cancelled runs never get here. Other failures (no Nix, no flake) locate nothing in the files.
    const source = this.requested ?? this.source();
    if (error instanceof DevShellEvaluationError && !error.cancelled && source !== null) {
      this.deps.nixErrors.report(this.folder.uri.fsPath, error.stderr, sourceFile(source));
    } else {
      this.deps.nixErrors.clear(this.folder.uri.fsPath);
    }
    const kept = this.current.applied ? ' The last good environment stays in effect.' : '';
    const actions = error instanceof CommandNotFoundError ? ['Show Log', 'Open Settings'] : ['Show Log'];
    void vscode.window
      .showErrorMessage(`Nixify dev shell (${this.folder.name}): ${firstLine(message)}${kept}`, ...actions)
      .then((choice) => {
        if (choice === 'Show Log') log.show();
        if (choice === 'Open Settings') {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'nixify.nix.path');
        }
      });
  }

  private async offerTrust(): Promise<void> {
    const choice = await vscode.window.showWarningMessage(UNTRUSTED, 'Manage Workspace Trust');
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  }

  /**
   * Runs `work`; when it is still going after `PROGRESS_DELAY_MS`, shows its progress: a cancellable
   * notification for what the user asked for, the status bar's spinner for background runs.
   */
  private async withProgress<T>(
    source: ShellSource,
    abort: AbortController,
    trigger: Trigger,
    work: (onStderrLine: (line: string) => void) => Promise<T>,
  ): Promise<T> {
    let report: ((message: string) => void) | undefined;
    let lastLine: string | undefined;
    const onStderrLine = (line: string) => {
      // Nix's progress ("building '/nix/store/…'"), never environment values.
      this.deps.log.debug(`nix: ${line}`);
      lastLine = line.trim() === '' ? lastLine : line.trim();
      if (lastLine !== undefined) report?.(lastLine);
    };
    const promise = work(onStderrLine);
    let timer: NodeJS.Timeout | undefined;
    const delayed = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(true), PROGRESS_DELAY_MS)),
    );
    const slow = await Promise.race([
      promise.then(
        () => false,
        () => false,
      ),
      delayed,
    ]);
    clearTimeout(timer);
    if (slow && !abort.signal.aborted) {
      // Runs the user did not ask for spin in the status bar; its item offers the Cancel.
      const background = trigger === 'background' || trigger === 'startup';
      void withCancellableProgress(
        {
          title: `Nix dev shell ${shellLabel(source)} (${this.folder.name})`,
          location: background ? 'window' : 'notification',
        },
        (_signal, reportProgress) => {
          report = (message) => reportProgress(message.slice(0, 120));
          if (lastLine !== undefined) report(lastLine);
          return promise.then(
            () => undefined,
            () => undefined,
          );
        },
        abort,
      );
    }
    return promise;
  }

  private watch(source: ShellSource): void {
    const patterns = cacheKeyInputs(source);
    const key = `${source.folder}\n${patterns.join('\n')}`;
    if (key === this.watchedKey) return;
    this.unwatch();
    this.watchedKey = key;
    const schedule = () => this.scheduleStaleCheck();
    for (const pattern of patterns) {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(source.folder), pattern),
      );
      this.watchers.push(
        watcher,
        watcher.onDidCreate(schedule),
        watcher.onDidChange(schedule),
        watcher.onDidDelete(schedule),
      );
    }
  }

  private unwatch(): void {
    for (const disposable of this.watchers.splice(0)) disposable.dispose();
    this.watchedKey = undefined;
  }

  private scheduleStaleCheck(): void {
    clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => void this.checkStale(), STALE_CHECK_DEBOUNCE_MS);
  }

  /**
   * Compares the applied environment's key with the files now; no nix process runs for this. A stale
   * environment is re-evaluated when the setting says so, or when the user just asked for the shell.
   * Resolves with whether it is stale; undefined when that was not (or no longer) worth checking.
   */
  private async checkStale({ evaluateIfStale = false } = {}): Promise<boolean | undefined> {
    const applied = this.current.applied;
    if (this.disposed || !this.wanted || applied === undefined) return undefined;
    if (this.inflight !== undefined) {
      // The running evaluation may have read the files before they changed: check after it.
      this.recheckAfterRun = true;
      return undefined;
    }
    const generation = this.generation;
    const settings = devShellSettings(this.folder.uri);
    let stale: boolean;
    try {
      stale = await isStale(applied.env, this.deps.nix.options());
    } catch (error) {
      this.deps.log.warn(
        `could not check whether the dev shell of ${this.folder.uri.fsPath} is stale:`,
        error,
      );
      return undefined;
    }
    if (generation !== this.generation || this.current.applied !== applied) return undefined;
    this.transition({ type: 'staleChecked', stale });
    if (stale) {
      this.deps.log.info(`dev shell of ${this.folder.uri.fsPath} is stale: its files changed`);
      if (settings.reloadOnChange || evaluateIfStale) void this.run('evaluate', 'background');
    }
    return stale;
  }

  /** Every status change goes through the reducer; listeners hear only of real changes. */
  private transition(event: DevShellEvent): void {
    if (this.disposed) return;
    const next = nextStatus(this.current, event);
    if (next === this.current) return;
    this.current = next;
    this.deps.onDidChange(this);
  }

  /** Ends the folder's lifetime. Terminals and rust-analyzer are the owner's to clean up. */
  dispose(): void {
    this.generation++;
    this.inflight?.abort();
    clearTimeout(this.staleTimer);
    this.unwatch();
    for (const disposable of this.lifetime.splice(0)) disposable.dispose();
    this.deps.nixErrors.clear(this.folder.uri.fsPath);
    this.disposed = true;
  }
}

function describeError(error: unknown): string {
  if (error instanceof CommandNotFoundError) {
    return `${error.message}. Install Nix or set nixify.nix.path.`;
  }
  return errorMessage(error);
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}
