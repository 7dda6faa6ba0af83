// "Nixify: Check Nix Health": the core's checks behind a cancellable progress notification, the
// report in the log, and the results in a quick pick where each fix is one click: nix.conf lines
// and commands are copied, a setting opens, a missing flake starts "Nixify Workspace". The full
// report opens as a read-only Markdown document. Returns the report (the tests read it).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  bySeverity,
  fixClipboardText,
  formatHealthReport,
  healthReportMarkdown,
  runHealthChecks,
  summarize,
  type HealthFix,
  type HealthItem,
  type HealthReport,
  type HealthStatus,
} from '../core/health';
import type { Ctx } from '../ctx';
import { NixRunner } from '../nixRunner';
import { withCancellableProgress } from '../progress';

export const HEALTH_SCHEME = 'nixify-health';
const REPORT_URI = vscode.Uri.from({ scheme: HEALTH_SCHEME, path: '/Nixify Health.md' });

const ICONS: Readonly<Record<HealthStatus, vscode.ThemeIcon>> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  skipped: new vscode.ThemeIcon('circle-slash'),
};

/** What clicking a result does; undefined for results without a fix. */
interface Action {
  tooltip: string;
  icon: string;
  run(): Thenable<unknown>;
}

interface ResultPick extends vscode.QuickPickItem {
  action?: Action;
}

export function checkHealth(ctx: Ctx) {
  let latest = '';
  const changed = new vscode.EventEmitter<vscode.Uri>();
  ctx.own(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(HEALTH_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: () => latest,
    }),
  );
  return async (): Promise<HealthReport | undefined> => {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    // The machine's nix is one setting; the first folder's value counts, as for the dev shell.
    // Without a setting the runner leaves `nix` unset: the report then says "nix on PATH".
    const nix = new NixRunner(folders[0]?.uri);
    const report = await withCancellableProgress('Nixify: checking Nix health', (signal) =>
      runHealthChecks({
        ...nix.options({ signal }),
        folders: folders.map((f) => f.uri.fsPath),
        trusted: ctx.isTrusted,
      }).then((result) => (signal.aborted ? undefined : result)),
    );
    if (report === undefined) return undefined;
    ctx.log.info(
      `health check (${ctx.isTrusted ? 'trusted' : 'untrusted'} workspace):\n${formatHealthReport(report)}`,
    );
    latest = healthReportMarkdown(report);
    changed.fire(REPORT_URI);
    showResults(ctx, report);
    return report;
  };
}

function showResults(ctx: Ctx, report: HealthReport): void {
  const pick = vscode.window.createQuickPick<ResultPick>();
  pick.title = `Nixify Health: ${summarize(report.items)}`;
  pick.placeholder = 'Select a result to apply its fix (copy the lines or command, or open the setting)';
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  const openReport: ResultPick = {
    label: '$(markdown) Open the full report',
    detail: 'Every check with its details and fixes, as a read-only Markdown document',
    action: { tooltip: 'Open the full report', icon: 'markdown', run: () => openReportDocument() },
  };
  const picks: (ResultPick | vscode.QuickPickItem)[] = [openReport];
  let section: HealthStatus | undefined;
  for (const item of bySeverity(report.items)) {
    if (item.status !== section) {
      section = item.status;
      picks.push({ label: SECTION_LABEL[section], kind: vscode.QuickPickItemKind.Separator });
    }
    picks.push(resultPick(ctx, item));
  }
  pick.items = picks as ResultPick[];
  const run = (target: ResultPick | undefined) => {
    if (!target?.action) return;
    pick.hide();
    void Promise.resolve(target.action.run()).then(undefined, (error: unknown) =>
      ctx.log.error('health fix failed:', error),
    );
  };
  pick.onDidAccept(() => run(pick.selectedItems[0]));
  pick.onDidTriggerItemButton((event) => run(event.item));
  pick.onDidHide(() => pick.dispose());
  pick.show();
}

const SECTION_LABEL: Readonly<Record<HealthStatus, string>> = {
  error: 'Errors',
  warning: 'Warnings',
  ok: 'OK',
  skipped: 'Skipped',
};

function resultPick(ctx: Ctx, item: HealthItem): ResultPick {
  const action = item.status === 'ok' ? undefined : actionFor(ctx, item);
  const folder =
    item.folder === undefined ? undefined : vscode.workspace.getWorkspaceFolder(vscode.Uri.file(item.folder));
  return {
    label: item.title,
    iconPath: ICONS[item.status],
    description: folder?.name ?? item.folder,
    detail: item.detail,
    ...(action && {
      action,
      buttons: [{ iconPath: new vscode.ThemeIcon(action.icon), tooltip: action.tooltip }],
    }),
  };
}

function actionFor(ctx: Ctx, item: HealthItem): Action | undefined {
  if (item.id === 'workspace.flake' && item.status === 'warning') {
    return {
      tooltip: 'Nixify this workspace',
      icon: 'wand',
      run: () => vscode.commands.executeCommand('nixify.nixifyWorkspace'),
    };
  }
  if (item.id === 'flake.substituters' && !ctx.isTrusted) {
    return {
      tooltip: 'Manage workspace trust',
      icon: 'shield',
      run: () => vscode.commands.executeCommand('workbench.trust.manage'),
    };
  }
  return item.fix === undefined ? undefined : fixAction(item.fix);
}

function fixAction(fix: HealthFix): Action {
  switch (fix.kind) {
    case 'setting':
      return {
        tooltip: `Open the setting ${fix.setting}`,
        icon: 'gear',
        run: () => vscode.commands.executeCommand('workbench.action.openSettings', fix.setting),
      };
    case 'command':
      return { tooltip: 'Copy the command', icon: 'copy', run: () => copy(fix, `Copied: ${fix.command}`) };
    case 'nixConf':
      return {
        tooltip: `Copy the lines for ${fix.file}`,
        icon: 'copy',
        run: () =>
          copy(
            fix,
            `Copied ${fix.lines.length === 1 ? 'a line' : `${fix.lines.length} lines`} for ${fix.file}.${fix.then === null ? '' : ` ${fix.then}`}`,
          ),
      };
  }
}

async function copy(fix: HealthFix, message: string): Promise<void> {
  await vscode.env.clipboard.writeText(fixClipboardText(fix));
  const file = fix.kind === 'nixConf' ? fix.file.replace(/^~(?=\/)/, os.homedir()) : undefined;
  const open =
    file !== undefined && fs.existsSync(file) ? `Open ${fix.kind === 'nixConf' ? fix.file : ''}` : undefined;
  const choice = await vscode.window.showInformationMessage(message, ...(open ? [open] : []));
  if (choice === open && file !== undefined) await vscode.window.showTextDocument(vscode.Uri.file(file));
}

async function openReportDocument(): Promise<void> {
  const document = await vscode.workspace.openTextDocument(REPORT_URI);
  await vscode.languages.setTextDocumentLanguage(document, 'markdown');
  try {
    await vscode.commands.executeCommand('markdown.showPreview', REPORT_URI);
  } catch {
    // Without the built-in Markdown extension the source is still readable.
    await vscode.window.showTextDocument(document, { preview: true });
  }
}
