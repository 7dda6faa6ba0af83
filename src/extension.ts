import * as vscode from 'vscode';
import type { NixifyApi } from './api';
import { registerCommands } from './commands';
import { ContextKey } from './contextKeys';
import { onProcessStart } from './core/process';
import { Ctx } from './ctx';
import { devShellApi } from './devShell/api';
import { setupProblemDiagnostics } from './diagnostics';
import { createLog, errorMessage, showErrorWithLog } from './log';
import { setupNixSyntaxCheck } from './nixSyntax';
import { migrateNixPathSetting } from './settingsMigration';
import { setupCrateTree } from './views/crateTree';

export function activate(context: vscode.ExtensionContext): NixifyApi {
  const started = performance.now();
  const log = createLog();
  context.subscriptions.push(log);
  try {
    const ctx = new Ctx(context, log);
    context.subscriptions.push(ctx);
    registerCommands(ctx);
    const crateTree = setupCrateTree(ctx);
    setupProblemDiagnostics(ctx);
    setupNixSyntaxCheck(ctx);
    migrateNixPathSetting(log).catch((error: unknown) =>
      log.warn('moving nixify.devShell.nixPath to nixify.nix.path failed:', error),
    );
    // Starts detection without waiting for it: it yields first, so activation finishes before it.
    const ready = ctx.ready();
    // Applies last session's dev shells from the cache; evaluates only what changed.
    const devShellsRestored = ctx.devShells.restore();
    ctx.setContext(ContextKey.activated, true);
    const activationMs = performance.now() - started;
    log.info(`activated in ${activationMs.toFixed(1)} ms`);
    return {
      ready,
      models: () => ctx.models(),
      contextKeys: () => ctx.contextKeys(),
      crateTree,
      derivationTree: ctx.derivations,
      activationMs,
      devShell: devShellApi(ctx.devShells, devShellsRestored),
      onProcessStart,
    };
  } catch (error) {
    log.error('activation failed:', error);
    void showErrorWithLog(log, `Nixify failed to start: ${errorMessage(error)}`);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is owned by `context.subscriptions`, which VS Code disposes.
}
