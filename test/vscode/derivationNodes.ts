// Finding a derivation in the Derivations view the way the view reads it (getChildren), for the
// suites of the `derivations` scenario.
import * as assert from 'node:assert/strict';
import type { NixifyApi } from '../../src/api';
import type { DerivationNode, ItemNode } from '../../src/views/derivationTreeModel';

/** The item labelled `label` under the group labelled `group` (a crate, "Workspace", "Other outputs"). */
export function itemNode(api: NixifyApi, group: string, label: string): ItemNode {
  const tree = api.derivationTree;
  const parent = tree
    .getChildren()
    .flatMap((root) => tree.getChildren(root))
    .find((g) => g.kind === 'group' && g.label === group);
  const node = parent ? tree.getChildren(parent).find((n: DerivationNode) => n.label === label) : undefined;
  assert.ok(node?.kind === 'item', `no ${group} / ${label}`);
  return node;
}

/** Every node of the tree, depth first. */
export function allNodes(api: NixifyApi, parent?: DerivationNode): DerivationNode[] {
  return api.derivationTree.getChildren(parent).flatMap((node) => [node, ...allNodes(api, node)]);
}
