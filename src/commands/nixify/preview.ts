// Showing a plan before anything is written: every file Nixify would create opens read-only, every
// file it would change opens as a diff against the file on disk. Then the questions: what to do
// with each conflict, and whether to write at all. Quick picks rather than modal dialogs: a modal
// dialog blocks the editors, and the point of the question is to read the diff first.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { besidePath, type InitPlan, type PlannedFile } from '../../core/flake';
import { countOf } from '../../describe';
import type { ConflictDecision } from './request';

export const PROPOSED_SCHEME = 'nixify-proposed';

/**
 * Read-only documents holding what Nixify proposes to write. A document's uri is the target's
 * absolute path in the `nixify-proposed` scheme, with a query that changes every run so that an
 * editor still open from an earlier run never shows stale text. Registered once, owned by ctx.
 */
export class ProposedContent implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private run = 0;

  static register(): { provider: ProposedContent; disposable: vscode.Disposable } {
    const provider = new ProposedContent();
    const registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, provider);
    return { provider, disposable: vscode.Disposable.from(registration, provider) };
  }

  /** Forgets the previous run's proposals and returns a uri for each file of this one. */
  startRun(plan: InitPlan): Map<PlannedFile, vscode.Uri> {
    this.contents.clear();
    this.run += 1;
    const uris = new Map<PlannedFile, vscode.Uri>();
    for (const file of plan.files) {
      const uri = vscode.Uri.from({
        scheme: PROPOSED_SCHEME,
        path: vscode.Uri.file(path.join(plan.root, file.path)).path,
        query: `run=${this.run}`,
      });
      this.contents.set(uri.toString(), file.content);
      uris.set(file, uri);
    }
    return uris;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.contents.clear();
  }
}

// Without an extension that knows `.envrc`, VS Code shows it as plain text.
const LANGUAGES: Readonly<Record<string, string>> = { '.envrc': 'shellscript' };

/**
 * Opens every file that would change: new files as read-only documents, conflicts and merges as
 * diffs (left: on disk, right: proposed). flake.nix opens last so that it is the one in front.
 */
export async function openPreviews(
  plan: InitPlan,
  uris: ReadonlyMap<PlannedFile, vscode.Uri>,
): Promise<void> {
  const shown = plan.files.filter((file) => file.status !== 'unchanged');
  const order = [
    ...shown.filter((f) => f.path !== 'flake.nix'),
    ...shown.filter((f) => f.path === 'flake.nix'),
  ];
  for (const file of order) {
    const proposed = uris.get(file);
    if (!proposed) continue;
    const options: vscode.TextDocumentShowOptions = {
      preview: false,
      preserveFocus: file.path !== 'flake.nix',
    };
    if (file.status === 'create') {
      const document = await vscode.workspace.openTextDocument(proposed);
      const language = LANGUAGES[path.basename(file.path)];
      await vscode.window.showTextDocument(
        language ? await vscode.languages.setTextDocumentLanguage(document, language) : document,
        options,
      );
    } else {
      const onDisk = vscode.Uri.file(path.join(plan.root, file.path));
      const what = file.status === 'update' ? 'lines Nixify adds' : 'proposed by Nixify';
      await vscode.commands.executeCommand(
        'vscode.diff',
        onDisk,
        proposed,
        `${file.path} ↔ ${what}`,
        options,
      );
    }
  }
}

/** Closes the proposal editors (plain and diff) of the given files, or of every file when none are given. */
export async function closePreviews(only?: ReadonlySet<string>): Promise<void> {
  const matches = (uri: vscode.Uri) =>
    uri.scheme === PROPOSED_SCHEME && (only === undefined || only.has(vscode.Uri.file(uri.path).fsPath));
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => {
      const input = tab.input;
      if (input instanceof vscode.TabInputText) return matches(input.uri);
      if (input instanceof vscode.TabInputTextDiff) return matches(input.modified);
      return false;
    });
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

/** Asks what to do with each conflict; undefined when the user dismisses a question (cancel). */
export async function askConflicts(
  root: string,
  conflicts: readonly PlannedFile[],
): Promise<Map<string, ConflictDecision> | undefined> {
  const decisions = new Map<string, ConflictDecision>();
  for (const [index, file] of conflicts.entries()) {
    const choices: Choice<ConflictDecision>[] = [
      {
        value: 'replace',
        label: 'Replace (keep a backup)',
        description: `the current file is kept as ${path.basename(file.path)}.nixify-backup`,
      },
      {
        value: 'beside',
        label: 'Write beside',
        description: `${path.relative(root, besidePath(path.join(root, file.path)))}: merge by hand, ${file.path} stays as it is`,
      },
      { value: 'skip', label: 'Skip', description: `leave ${file.path} alone` },
    ];
    const picked = await vscode.window.showQuickPick(choices, {
      title: `${file.path} already exists and differs (${index + 1}/${conflicts.length})`,
      placeHolder: 'See the diff in the editor; Escape cancels without writing anything',
      // The user reads the diff while the question waits.
      ignoreFocusOut: true,
    });
    if (picked === undefined) return undefined;
    decisions.set(file.path, picked.value);
  }
  return decisions;
}

/** The last question: write these files (planned paths) into workspace `name`? */
export async function confirmWrite(name: string, files: readonly string[]): Promise<boolean> {
  const write: vscode.QuickPickItem = {
    label: `$(check) Write ${countOf(files.length, 'file')}`,
    detail: files.join(', '),
  };
  const cancel: vscode.QuickPickItem = { label: '$(close) Cancel', detail: 'Nothing is written' };
  const picked = await vscode.window.showQuickPick([write, cancel], {
    title: `Nixify ${name}`,
    placeHolder: 'Review the files in the editors, then write them',
    ignoreFocusOut: true,
  });
  return picked === write;
}
