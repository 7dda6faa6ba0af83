import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { errorMessage, showErrorWithLog } from '../log';
import { buildDerivation, buildDerivationDependencies } from './buildDerivation';
import { checkHealth } from './checkHealth';
import { copyStorePath, refreshDerivations, showBuildLog } from './derivationActions';
import { cancelDevShellEvaluation, forgetDevShell, reloadDevShell, toggleDevShell } from './devShell';
import { devShellMenu } from './devShellMenu';
import type { CommandId } from './ids';
import { nixifyWorkspace } from './nixifyWorkspace';
import { openWalkthrough } from './openWalkthrough';
import { pickDevShell } from './pickDevShell';
import { pushToCachix } from './pushToCachix';
import { refreshWorkspaces } from './refreshWorkspaces';
import { revealManifest } from './revealManifest';
import { showDetectedWorkspaces } from './showDetectedWorkspaces';
import { showDevShellEnvironment } from './showDevShellEnvironment';
import { whyRebuild } from './whyRebuild';

/** Builds a command's callback once the context exists. */
export type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

/** The command table. Typed by `CommandId`, so a command missing here fails to compile. */
export function createCommands(): Record<CommandId, CommandFactory> {
  return {
    'nixify.refreshWorkspaces': refreshWorkspaces,
    'nixify.showDetectedWorkspaces': showDetectedWorkspaces,
    'nixify.revealManifest': revealManifest,
    'nixify.nixifyWorkspace': nixifyWorkspace,
    'nixify.showLog': (ctx) => () => ctx.log.show(),
    'nixify.toggleDevShell': toggleDevShell,
    'nixify.reloadDevShell': reloadDevShell,
    'nixify.pickDevShell': pickDevShell,
    'nixify.showDevShellEnvironment': showDevShellEnvironment,
    'nixify.devShellMenu': devShellMenu,
    'nixify.cancelDevShellEvaluation': cancelDevShellEvaluation,
    'nixify.forgetDevShell': forgetDevShell,
    'nixify.refreshDerivations': refreshDerivations,
    'nixify.buildDerivation': (ctx) => buildDerivation(ctx),
    'nixify.buildDerivationDependencies': buildDerivationDependencies,
    // From the view's title: every folder's derivations that are not local.
    'nixify.buildMissingDerivations': (ctx) => () => buildDerivation(ctx)(),
    'nixify.showBuildLog': showBuildLog,
    'nixify.copyStorePath': copyStorePath,
    'nixify.pushToCachix': pushToCachix,
    'nixify.whyRebuild': whyRebuild,
    'nixify.checkHealth': checkHealth,
    'nixify.openWalkthrough': openWalkthrough,
  };
}

/** Registers every command; the subscriptions belong to the extension's lifetime. */
export function registerCommands(
  ctx: Ctx,
  commands: Record<string, CommandFactory> = createCommands(),
): void {
  for (const [id, factory] of Object.entries(commands)) {
    const callback = factory(ctx);
    ctx.own(
      vscode.commands.registerCommand(id, (...args: unknown[]) =>
        runReportingErrors(ctx, id, callback, args),
      ),
    );
  }
}

// A failed command otherwise only shows up in the developer console; say so and offer the log.
async function runReportingErrors(
  ctx: Ctx,
  id: string,
  callback: (...args: unknown[]) => unknown,
  args: unknown[],
): Promise<unknown> {
  try {
    return await callback(...args);
  } catch (error) {
    ctx.log.error(`${id} failed:`, error);
    void showErrorWithLog(ctx.log, `Nixify: ${errorMessage(error)}`);
    return undefined;
  }
}
