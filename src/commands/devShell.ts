// The small dev-shell commands; each takes an optional folder (Uri, path or workspace folder) and
// otherwise acts on the folder the status item shows.
import type { Ctx } from '../ctx';
import type { DevShellController } from '../devShell/controller';

export function devShellFor(ctx: Ctx, arg?: unknown): DevShellController {
  const controller = ctx.devShells.controllerFor(arg);
  if (controller === undefined) {
    throw new Error('No workspace folder on disk is open, so there is no dev shell to act on.');
  }
  return controller;
}

export function toggleDevShell(ctx: Ctx) {
  return (arg?: unknown) => devShellFor(ctx, arg).toggle();
}

export function reloadDevShell(ctx: Ctx) {
  return (arg?: unknown) => devShellFor(ctx, arg).reload();
}

export function cancelDevShellEvaluation(ctx: Ctx) {
  return (arg?: unknown) => devShellFor(ctx, arg).cancel();
}

export function forgetDevShell(ctx: Ctx) {
  return (arg?: unknown) => devShellFor(ctx, arg).forget();
}
