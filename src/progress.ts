import * as vscode from 'vscode';

export interface ProgressPlace {
  title: string;
  /**
   * `notification` (the default) has a Cancel button; `window` is a spinner in the status bar,
   * which VS Code gives no Cancel button: its caller offers another way to cancel.
   */
  location?: 'notification' | 'window';
}

/**
 * Runs `task` behind a progress indicator. Cancel aborts `abort` (a new controller unless the caller
 * passes the one its own cancel paths use), whose signal the task hands to the process it runs; the
 * cancel listener is disposed when the task settles, however it settles.
 */
export function withCancellableProgress<T>(
  place: string | ProgressPlace,
  task: (signal: AbortSignal, report: (message: string) => void) => PromiseLike<T>,
  abort: AbortController = new AbortController(),
): Thenable<T> {
  const { title, location = 'notification' } = typeof place === 'string' ? { title: place } : place;
  const notification = location === 'notification';
  return vscode.window.withProgress(
    {
      title,
      location: notification ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
      cancellable: notification,
    },
    async (progress, token) => {
      const listener = token.onCancellationRequested(() => abort.abort());
      try {
        return await task(abort.signal, (message) => progress.report({ message }));
      } finally {
        listener.dispose();
      }
    },
  );
}
