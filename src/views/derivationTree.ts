import * as vscode from 'vscode';
import {
  buildDerivationTree,
  viewDescription,
  type DerivationNode,
  type FolderNode,
} from './derivationTreeModel';
import type { FolderDerivations } from './folderDerivations';

export const DERIVATION_VIEW_ID = 'nixify.derivations';

/** What the view renders: every flake folder's derivations (each owned by its folder's session). */
export interface DerivationFolderSource {
  /** In workspace order. */
  folders(): readonly FolderDerivations[];
  /** Fires when a folder's derivations came or went, or anything one of them shows changed. */
  readonly onDidChange: vscode.Event<void>;
}

/**
 * The Derivations view: renders the folders' derivations it is given (the nodes come from the pure
 * model in derivationTreeModel.ts) and refreshes the stale ones when it is shown. Evaluating,
 * classifying and building are each folder's (FolderDerivations).
 */
export class DerivationTree implements vscode.TreeDataProvider<DerivationNode>, vscode.Disposable {
  private roots: FolderNode[] = [];
  private readonly changed = new vscode.EventEmitter<DerivationNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<DerivationNode>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly source: DerivationFolderSource) {
    this.view = vscode.window.createTreeView(DERIVATION_VIEW_ID, {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility((e) => {
        if (e.visible) for (const folder of source.folders()) folder.refreshIfStale('view shown');
      }),
      source.onDidChange(() => this.render()),
    );
    this.render();
  }

  get visible(): boolean {
    return this.view.visible;
  }

  /** The derivations of the flake folder at `folderPath`. */
  folder(folderPath: string): FolderDerivations | undefined {
    return this.source.folders().find((f) => f.path === folderPath);
  }

  /** Resolves when every folder's latest refresh (evaluation and classification) has finished. */
  async whenIdle(): Promise<void> {
    await Promise.all(this.source.folders().map((f) => f.whenIdle()));
  }

  /** Evaluates every flake folder again (cancelling refreshes still running) and classifies. */
  async refresh(reason: string, options: { fresh?: boolean } = {}): Promise<void> {
    await Promise.all(this.source.folders().map((f) => f.refresh(reason, options)));
  }

  /** Cancels every running build, as the notifications' Cancel buttons do. */
  cancelBuilds(): void {
    for (const folder of this.source.folders()) folder.cancelBuilds();
  }

  nodes(): readonly FolderNode[] {
    return this.roots;
  }

  get description(): string {
    return this.view.description ?? '';
  }

  getChildren(node?: DerivationNode): DerivationNode[] {
    if (!node) return this.roots;
    return node.kind === 'folder' || node.kind === 'group' ? node.children : [];
  }

  getTreeItem(node: DerivationNode): vscode.TreeItem {
    const collapsible =
      node.kind === 'folder'
        ? vscode.TreeItemCollapsibleState.Expanded
        : node.kind === 'group'
          ? node.group === 'other'
            ? vscode.TreeItemCollapsibleState.Collapsed
            : vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(
      node.icon,
      node.color !== null ? new vscode.ThemeColor(node.color) : undefined,
    );
    if (node.kind === 'message' && node.location !== null) {
      const at = new vscode.Position(node.location.line - 1, node.location.column - 1);
      item.command = {
        command: 'vscode.open',
        title: 'Go to Error',
        arguments: [vscode.Uri.file(node.location.file), { selection: new vscode.Range(at, at) }],
      };
    }
    return item;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }

  private render(): void {
    const folders = this.source.folders().map((f) => f.snapshot());
    this.roots = buildDerivationTree(folders);
    this.view.description = viewDescription(folders);
    this.changed.fire(undefined);
  }
}
