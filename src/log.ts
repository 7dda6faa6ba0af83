import * as vscode from 'vscode';
import { hideUrlCredentials } from './core/redact';

export type Log = vscode.LogOutputChannel;

/**
 * The one output channel of the extension. Log paths, counts and timings freely, but never
 * environment values: a dev shell's environment may hold tokens and other secrets.
 */
export function createLog(): Log {
  return withoutUrlCredentials(vscode.window.createOutputChannel('Nixify', { log: true }));
}

const WRITERS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/** The channel, with credentials in URLs (a private cache's `https://user:token@…`) hidden in every line. */
function withoutUrlCredentials(channel: Log): Log {
  return new Proxy(channel, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !WRITERS.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        Reflect.apply(
          value,
          target,
          args.map((arg) =>
            typeof arg === 'string'
              ? hideUrlCredentials(arg)
              : arg instanceof Error
                ? hideUrlCredentials(arg.stack ?? arg.message)
                : arg,
          ),
        );
    },
  });
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
