import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { describeCause, historyKeys, whyRebuild as explain } from '../core/derivations';
import { itemNodeOf } from './derivationArgument';

/**
 * Compares the item's derivation with the one seen before it for the same attribute and says what
 * changed; returns the sentences shown (none when there is nothing to compare with).
 */
export function whyRebuild(ctx: Ctx) {
  return async (argument?: unknown): Promise<string[] | undefined> => {
    const node = itemNodeOf(argument);
    const key = node ? historyKeys(node.item)[0] : undefined;
    const folder = node && ctx.derivations.folder(node.folder);
    if (!node || !folder || key === undefined) return undefined;
    const seen = folder.lastDrvs(key);
    const previous = seen?.previous ?? null;
    if (!seen || previous === null) {
      void vscode.window.showInformationMessage(
        `Nixify: ${key} has had only one derivation since Nixify first saw it; edit and refresh to compare.`,
      );
      return [];
    }
    const crateDirs = Object.fromEntries(
      Object.entries(folder.manifests()).map(([crate, manifest]) => [
        crate,
        path.relative(node.folder, path.dirname(manifest)),
      ]),
    );
    const explanation = await explain(previous, node.item.drvPath, {
      ...folder.nixOptions(),
      crateDirs,
      flakeInputs: seen.inputs,
    });
    const sentences = explanation.unchanged
      ? ['The derivation has not changed.']
      : explanation.causes.map((cause) => describeCause(cause));
    ctx.log.info(`why does ${key} rebuild:\n  ${sentences.join('\n  ')}`);
    void vscode.window.showInformationMessage(`${node.item.name} rebuilds: ${sentences.join(' ')}`);
    return sentences;
  };
}
