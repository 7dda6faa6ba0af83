import * as vscode from 'vscode';
import type { DetectOptions } from './core/cargo';
import { toDetectOptions } from './detectOptions';

const SECTION = 'nixify';

/** Read on every use, never cached, so a changed setting applies to the next detection. */
export function detectOptions(scope?: vscode.ConfigurationScope): DetectOptions {
  const detect = vscode.workspace.getConfiguration(`${SECTION}.detect`, scope);
  return toDetectOptions({
    ignoredDirectories: detect.get<unknown>('ignoredDirectories'),
    maxDepth: detect.get<unknown>('maxDepth'),
  });
}

/** Calls `listener` only when a `nixify.*` setting changed. */
export function onDidChangeNixifyConfiguration(
  listener: (event: vscode.ConfigurationChangeEvent) => void,
): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration(SECTION)) {
      return;
    }
    listener(event);
  });
}
