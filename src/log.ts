import * as vscode from 'vscode';

export type Log = vscode.LogOutputChannel;

/**
 * The one output channel of the extension. Log paths, counts and timings freely, but never
 * environment values: a dev shell's environment may hold tokens and other secrets.
 */
export function createLog(): Log {
  return vscode.window.createOutputChannel('Nixify', { log: true });
}

/** Shows an error with the next step one click away: the log that says what happened. */
export async function showErrorWithLog(log: Log, message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Show Log');
  if (choice === 'Show Log') {
    log.show();
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
