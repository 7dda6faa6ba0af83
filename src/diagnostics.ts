import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { allProblems, zeroBasedStart } from './describe';

/** Mirrors every detection problem into the Problems panel, under the source "nixify". */
export function setupProblemDiagnostics(ctx: Ctx): void {
  const collection = vscode.languages.createDiagnosticCollection('nixify');
  // Rebuilding everything on each change is simplest and cheap: there are a handful of problems.
  const update = () => {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    // Nested workspace folders see the same manifests; report each problem once.
    const seen = new Set<string>();
    for (const result of ctx.models().values()) {
      for (const problem of allProblems(result)) {
        const key = JSON.stringify([problem.file, problem.line, problem.column, problem.message]);
        if (seen.has(key)) {
          continue;
        }
        seen.add(key);
        const start = zeroBasedStart(problem);
        const position = new vscode.Position(start.line, start.character);
        const diagnostic = new vscode.Diagnostic(
          new vscode.Range(position, position),
          problem.message,
          problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        diagnostic.source = 'nixify';
        byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), diagnostic]);
      }
    }
    collection.clear();
    for (const [file, diagnostics] of byFile) {
      collection.set(vscode.Uri.file(file), diagnostics);
    }
  };
  ctx.own(collection, ctx.onDidChangeModels(update));
  update();
}
