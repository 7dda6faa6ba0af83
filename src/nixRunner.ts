import * as vscode from 'vscode';
import type { NixRunOptions } from './core/nix/invoke';
import { nixProgram } from './config';

/**
 * How every feature runs Nix for one folder: the `nix` of `nixify.nix.path` (read on each use, so a
 * changed setting applies to the next process) with the extension host's environment passed whole.
 * Nixify never changes `process.env`: a dev shell reaches terminals and rust-analyzer through their
 * own channels, so nothing started here inherits it.
 */
export class NixRunner {
  constructor(private readonly folder?: vscode.Uri) {}

  /** NixRunOptions for one run; `extra` adds the signal, timeout… of that run. */
  options(extra: Omit<NixRunOptions, 'nix' | 'env' | 'replaceEnv'> = {}): NixRunOptions {
    const nix = nixProgram(this.folder);
    return {
      ...(nix !== undefined && { nix }),
      env: { ...process.env },
      replaceEnv: true,
      ...(this.folder !== undefined && { cwd: this.folder.fsPath }),
      ...extra,
    };
  }
}
