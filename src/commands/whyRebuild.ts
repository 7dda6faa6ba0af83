import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { describeCause, whyRebuild as explain } from '../core/derivations';
import { itemNodeOf } from './derivationArgument';

/** Compares the item's derivation with the one last seen for the same attribute and says what changed. */
export function whyRebuild(ctx: Ctx) {
  return async (argument?: unknown): Promise<string[] | undefined> => {
    const node = itemNodeOf(argument);
    const attribute = node?.item.attributes[0] ?? node?.item.artifactsOf[0];
    if (!node || attribute === undefined) return undefined;
    const seen = ctx.derivations.lastDrvs(node.folder, attribute);
    if (!seen || seen.previous === null) {
      void vscode.window.showInformationMessage(
        `Nixify: ${attribute} has had only one derivation since Nixify first saw it; edit and refresh to compare.`,
      );
      return [];
    }
    const crateDirs = Object.fromEntries(
      Object.entries(ctx.derivations.manifests(node.folder)).map(([crate, manifest]) => [
        crate,
        path.relative(node.folder, path.dirname(manifest)),
      ]),
    );
    const explanation = await explain(seen.previous, node.item.drvPath, {
      ...ctx.derivations.nixOptions(node.folder),
      crateDirs,
      flakeInputs: seen.inputs,
    });
    const sentences = explanation.unchanged
      ? ['The derivation has not changed.']
      : explanation.causes.map((cause) => describeCause(cause));
    ctx.log.info(`why does ${attribute} rebuild:\n  ${sentences.join('\n  ')}`);
    void vscode.window.showInformationMessage(`${node.item.name} rebuilds: ${sentences.join(' ')}`);
    return sentences;
  };
}
