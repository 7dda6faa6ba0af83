// Syntax errors of the Nix file being edited, as the user types: Nix's own parser on the buffer
// (src/core/nix/syntaxCheck.ts), into the same Problems collection as evaluation errors, so an error
// both report shows once. Parsing runs no code from the workspace, so it works untrusted too.
import * as vscode from 'vscode';
import { checkNixSyntax } from './core/nix/syntaxCheck';
import { CommandNotFoundError } from './core/process';
import type { Ctx } from './ctx';
import { NixRunner } from './nixRunner';

// Long enough to not parse on every keystroke; a parse takes ~10 ms.
const DEBOUNCE_MS = 300;

export function setupNixSyntaxCheck(ctx: Ctx): void {
  const reporter = ctx.nixDiagnostics.producer('syntax');
  const pending = new Map<string, { timer: NodeJS.Timeout; abort: AbortController }>();
  let missingReported = false;

  const stop = (file: string) => {
    const entry = pending.get(file);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.abort.abort();
    pending.delete(file);
  };
  const isNix = (doc: vscode.TextDocument) =>
    doc.uri.scheme === 'file' && (doc.languageId === 'nix' || doc.fileName.endsWith('.nix'));
  const enabled = (doc: vscode.TextDocument) =>
    vscode.workspace.getConfiguration('nixify.nix', doc.uri).get<boolean>('syntaxCheck', true);

  const check = async (doc: vscode.TextDocument, abort: AbortController) => {
    const file = doc.uri.fsPath;
    const version = doc.version;
    try {
      const stderr = await checkNixSyntax(
        doc.getText(),
        file,
        new NixRunner(doc.uri).options({ signal: abort.signal }),
      );
      // A newer edit has its own check coming; this result describes text that is gone.
      if (abort.signal.aborted || doc.isClosed || doc.version !== version) return;
      if (stderr === null) reporter.clear(file);
      else reporter.report(file, stderr, file);
    } catch (error) {
      if (abort.signal.aborted) return;
      if (error instanceof CommandNotFoundError) {
        // Once per session: without Nix there is nothing to check with, and the health check says why.
        if (!missingReported) ctx.log.info('nix syntax check off: nix-instantiate was not found');
        missingReported = true;
        return;
      }
      ctx.log.warn(`nix syntax check of ${file} failed:`, error);
    } finally {
      if (pending.get(file)?.abort === abort) pending.delete(file);
    }
  };

  const schedule = (doc: vscode.TextDocument) => {
    if (!isNix(doc)) return;
    const file = doc.uri.fsPath;
    stop(file);
    if (!enabled(doc)) {
      reporter.clear(file);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => void check(doc, abort), DEBOUNCE_MS);
    pending.set(file, { timer, abort });
  };

  ctx.own(
    vscode.workspace.onDidOpenTextDocument(schedule),
    vscode.workspace.onDidChangeTextDocument((event) => schedule(event.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (!isNix(doc)) return;
      stop(doc.uri.fsPath);
      // Closed: what the file on disk holds is for the evaluations to report.
      reporter.clear(doc.uri.fsPath);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('nixify.nix.syntaxCheck')) return;
      for (const doc of vscode.workspace.textDocuments) schedule(doc);
    }),
    { dispose: () => [...pending.keys()].forEach(stop) },
  );
  for (const doc of vscode.workspace.textDocuments) schedule(doc);
}
