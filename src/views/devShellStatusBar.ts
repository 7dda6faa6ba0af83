// The dev shell's status bar item: one item that shows the folder of the active editor. What it says
// comes from `presentStatus` (pure); this file only copies it onto the item.
import * as vscode from 'vscode';
import type { CommandId } from '../commands/ids';
import type { DevShellStatus } from '../core/devenv/status';
import { presentStatus, type StatusAction } from '../devShell/status';

/** What the tests read back: exactly what the item shows. */
export interface StatusBarSnapshot {
  visible: boolean;
  text: string;
  tooltip: string;
  command: string | undefined;
  /** fsPath of the folder the item stands for. */
  folder: string | undefined;
}

const ACTIONS: Record<StatusAction, CommandId> = {
  toggle: 'nixify.toggleDevShell',
  cancel: 'nixify.cancelDevShellEvaluation',
  showLog: 'nixify.showLog',
};

// The tooltip's links: the menu's entries one click away.
const LINKS: readonly [string, CommandId][] = [
  ['Reload', 'nixify.reloadDevShell'],
  ['Pick shell', 'nixify.pickDevShell'],
  ['Show environment', 'nixify.showDevShellEnvironment'],
  ['More…', 'nixify.devShellMenu'],
];

export class DevShellStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'nixify.devShell',
    vscode.StatusBarAlignment.Left,
    20,
  );
  private last: StatusBarSnapshot = {
    visible: false,
    text: '',
    tooltip: '',
    command: undefined,
    folder: undefined,
  };

  constructor() {
    this.item.name = 'Nixify Dev Shell';
  }

  /** Shows `status` of `folder`; hides the item for a folder without a shell that is off. */
  show(
    folder: vscode.WorkspaceFolder | undefined,
    status: DevShellStatus | undefined,
    multiRoot: boolean,
  ): void {
    if (folder === undefined || status === undefined || (status.source === null && status.phase === 'off')) {
      this.item.hide();
      this.last = { ...this.last, visible: false, folder: folder?.uri.fsPath };
      return;
    }
    const view = presentStatus(status, multiRoot);
    const args = [folder.uri];
    // Links carry the path as a string: arguments of a command link travel as JSON.
    const links = LINKS.map(([title, id]) => `[${title}](${commandUri(id, [folder.uri.fsPath])})`).join(
      ' · ',
    );
    const tooltip = new vscode.MarkdownString(`${view.tooltip}\n\n${links}`);
    tooltip.isTrusted = { enabledCommands: LINKS.map(([, id]) => id) };
    tooltip.supportThemeIcons = true;
    this.item.text = view.text;
    this.item.tooltip = tooltip;
    this.item.command = { title: view.action, command: ACTIONS[view.action], arguments: args };
    this.item.backgroundColor =
      view.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : view.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]*\)\s*/g, '') };
    this.item.show();
    this.last = {
      visible: true,
      text: view.text,
      tooltip: view.tooltip,
      command: ACTIONS[view.action],
      folder: folder.uri.fsPath,
    };
  }

  snapshot(): StatusBarSnapshot {
    return { ...this.last };
  }

  dispose(): void {
    this.item.dispose();
  }
}

function commandUri(id: string, args: unknown[]): string {
  return `command:${id}?${encodeURIComponent(JSON.stringify(args))}`;
}
