// The Derivations view's commands get the node they were invoked on (context menu, inline action).
import type { DerivationNode, ItemNode } from '../views/derivationTreeModel';

export function derivationNodeOf(argument: unknown): DerivationNode | undefined {
  if (typeof argument !== 'object' || argument === null || !('kind' in argument) || !('folder' in argument)) {
    return undefined;
  }
  return argument as DerivationNode;
}

export function itemNodeOf(argument: unknown): ItemNode | undefined {
  const node = derivationNodeOf(argument);
  return node?.kind === 'item' ? node : undefined;
}
