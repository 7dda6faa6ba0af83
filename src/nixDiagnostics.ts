import * as vscode from 'vscode';
import { parseNixEvalErrors, type NixEvalDiagnostic } from './core/nix/evalError';

/**
 * What ran Nix on a folder: each keeps its own errors, cleared when its next evaluation succeeds.
 * `syntax` parses one open file at a time, so its reports are keyed by that file instead of a folder.
 */
export type NixErrorProducer = 'devShell' | 'derivations' | 'flakeLock' | 'syntax';

/** One producer's view of the Problems entries that Nix's evaluation errors become. */
export interface NixErrorReporter {
  /**
   * Replaces this producer's errors for `folder` with those in Nix's `stderr`; returns them. An error
   * Nix names no place in the folder for goes to line 1 of `fallbackFile` (default: flake.nix).
   */
  report(folder: string, stderr: string, fallbackFile?: string): readonly NixEvalDiagnostic[];
  /** Its evaluation succeeded (or no longer applies): nothing of it stays in Problems. */
  clear(folder: string): void;
}

/**
 * Nix's evaluation errors in the Problems panel (collection `nixify-nix`, source "nix"), from every
 * Nix call Nixify makes on a flake, at the file, line and column Nix named (mapped from its store
 * copy back to the folder). Kept per (folder, producer); the same error from two producers shows once.
 */
export class NixDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('nixify-nix');
  /** `[folder, producer]` as JSON → that producer's errors for that folder. */
  private readonly entries = new Map<string, readonly NixEvalDiagnostic[]>();

  producer(producer: NixErrorProducer): NixErrorReporter {
    return {
      report: (folder, stderr, fallbackFile) => {
        const diagnostics = parseNixEvalErrors(stderr, folder, fallbackFile ? { fallbackFile } : {});
        this.set(folder, producer, diagnostics);
        return diagnostics;
      },
      clear: (folder) => this.set(folder, producer, []),
    };
  }

  /** Every producer's errors for `folder` (its session ended). */
  clearFolder(folder: string): void {
    let changed = false;
    for (const key of [...this.entries.keys()]) {
      if ((JSON.parse(key) as [string, string])[0] === folder) changed = this.entries.delete(key) || changed;
    }
    if (changed) this.render();
  }

  dispose(): void {
    this.entries.clear();
    this.collection.dispose();
  }

  private set(folder: string, producer: NixErrorProducer, diagnostics: readonly NixEvalDiagnostic[]): void {
    const key = JSON.stringify([folder, producer]);
    if (diagnostics.length === 0 && !this.entries.has(key)) return;
    if (diagnostics.length === 0) this.entries.delete(key);
    else this.entries.set(key, diagnostics);
    this.render();
  }

  // Rebuilt whole on each change: a handful of errors at most.
  private render(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const seen = new Set<string>();
    for (const diagnostics of this.entries.values()) {
      for (const d of diagnostics) {
        const key = JSON.stringify([d.file, d.line, d.column, d.message]);
        if (seen.has(key)) continue;
        seen.add(key);
        byFile.set(d.file, [...(byFile.get(d.file) ?? []), toDiagnostic(d)]);
      }
    }
    this.collection.clear();
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }
}

function toDiagnostic(d: NixEvalDiagnostic): vscode.Diagnostic {
  const start = new vscode.Position(d.line - 1, d.column - 1);
  const end =
    d.endLine !== undefined && d.endColumn !== undefined
      ? new vscode.Position(d.endLine - 1, d.endColumn - 1)
      : start.translate(0, 1);
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(start, end),
    d.message,
    d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'nix';
  // The trace's places in the folder (innermost first): how evaluation got to the error.
  diagnostic.relatedInformation = d.trace.flatMap((frame) =>
    frame.location === null
      ? []
      : [
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(
              vscode.Uri.file(frame.location.file),
              new vscode.Position(frame.location.line - 1, frame.location.column - 1),
            ),
            frame.message.split('\n')[0] ?? frame.message,
          ),
        ],
  );
  return diagnostic;
}
