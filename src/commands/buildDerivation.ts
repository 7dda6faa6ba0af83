import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { buildTargets, type DerivationNode } from '../views/derivationTreeModel';
import { derivationNodeOf } from './derivationArgument';

/**
 * Builds what the node stands for: one derivation, a crate's derivations that are not local (or only
 * its dependency artifacts), or, from the view's title or without a node, everything missing.
 */
export function buildDerivation(ctx: Ctx, scope: 'all' | 'dependencies' = 'all') {
  return async (argument?: unknown): Promise<boolean> => {
    const node = derivationNodeOf(argument);
    const roots: readonly DerivationNode[] = node ? [node] : ctx.derivations.nodes();
    let ok = true;
    for (const root of roots) {
      const items = buildTargets(root, scope);
      const folder = ctx.derivations.folder(root.folder);
      if (items.length === 0 || !folder) continue;
      const outcome = await folder.build(items);
      ok &&= outcome.ok;
      if (outcome.cancelled) {
        void vscode.window.showInformationMessage(`Nixify: ${outcome.message}`);
        return false;
      }
      if (!outcome.ok) {
        const choice = await vscode.window.showErrorMessage(`Nixify: ${outcome.message}`, 'Show Log');
        if (choice === 'Show Log') ctx.log.show();
      }
    }
    return ok;
  };
}

export const buildDerivationDependencies = (ctx: Ctx) => buildDerivation(ctx, 'dependencies');
