import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { zeroBasedStart } from '../describe';
import {
  buildCrateTree,
  crateTreeMessage,
  type CrateIcon,
  type CrateTreeNode,
  type FolderInput,
  type ProblemNode,
} from './crateTreeModel';

export const CRATE_TREE_VIEW_ID = 'nixify.crates';

const CRATE_ICONS: Record<CrateIcon, string> = { package: 'package', library: 'library', wasm: 'globe' };

/** Shows the detected workspaces; the nodes come ready-made from `buildCrateTree`. */
export class CrateTreeProvider implements vscode.TreeDataProvider<CrateTreeNode>, vscode.Disposable {
  private roots: CrateTreeNode[] = [];
  /** The line above the tree (see `crateTreeMessage`); the view shows it. */
  message: string | undefined;
  private readonly changed = new vscode.EventEmitter<CrateTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  /** Rebuilds the nodes from the folders' latest models and asks VS Code to redraw. */
  refresh(folders: readonly FolderInput[]): void {
    this.roots = buildCrateTree(folders);
    this.message = crateTreeMessage(folders);
    this.changed.fire(undefined);
  }

  getChildren(node?: CrateTreeNode): CrateTreeNode[] {
    if (!node) {
      return this.roots;
    }
    return node.kind === 'folder' || node.kind === 'workspace' ? node.children : [];
  }

  getTreeItem(node: CrateTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.label, expandedIf(node.children.length > 0));
        item.resourceUri = vscode.Uri.file(node.path);
        item.iconPath = vscode.ThemeIcon.Folder;
        return withCommon(item, node, 'nixify.folder');
      }
      case 'workspace': {
        const item = new vscode.TreeItem(node.label, expandedIf(node.children.length > 0));
        item.resourceUri = vscode.Uri.file(node.manifestPath);
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.tooltip = node.tooltip;
        return withCommon(item, node, 'nixify.workspace');
      }
      case 'crate': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(CRATE_ICONS[node.icon]);
        item.tooltip = node.tooltip;
        item.command = { command: 'nixify.revealManifest', title: 'Open Cargo.toml', arguments: [node] };
        return withCommon(item, node, 'nixify.crate');
      }
      case 'problem':
        return problemItem(node);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function problemItem(node: ProblemNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.iconPath =
    node.severity === 'error'
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
      : new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.tooltip = node.tooltip;
  const start = zeroBasedStart(node);
  const position = new vscode.Position(start.line, start.character);
  item.command = {
    command: 'vscode.open',
    title: 'Go to Problem',
    arguments: [vscode.Uri.file(node.file), { selection: new vscode.Range(position, position) }],
  };
  return withCommon(item, node, 'nixify.problem');
}

function withCommon(
  item: vscode.TreeItem,
  node: { id: string; description: string },
  contextValue: string,
): vscode.TreeItem {
  item.id = node.id;
  item.description = node.description;
  item.contextValue = contextValue;
  return item;
}

function expandedIf(hasChildren: boolean): vscode.TreeItemCollapsibleState {
  return hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
}

/** Registers the Crates view and keeps it in step with the models. */
export function setupCrateTree(ctx: Ctx): CrateTreeProvider {
  const provider = new CrateTreeProvider();
  const view = vscode.window.createTreeView(CRATE_TREE_VIEW_ID, {
    treeDataProvider: provider,
    showCollapseAll: true,
  });
  const refresh = () => {
    provider.refresh(ctx.folders());
    view.message = provider.message;
  };
  ctx.own(provider, view, ctx.onDidChangeModels(refresh));
  refresh();
  return provider;
}
