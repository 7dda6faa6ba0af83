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

export interface DevShellSettings {
  /** Flake dev shell attribute: `devShells.<system>.<attribute>`. */
  attribute: string;
  /** Turn the shell back on at startup when it was on when the folder was last open. */
  autoActivate: boolean;
  /** Re-evaluate in the background when the shell's files change; swap only on success. */
  reloadOnChange: boolean;
  /** Use the shell's rust-analyzer binary (server.path hand-off, or Nixify's own client). */
  useShellRustAnalyzer: boolean;
}

/** Read on every use, like every setting, so a change applies to the next evaluation. */
export function devShellSettings(scope?: vscode.ConfigurationScope): DevShellSettings {
  const devShell = vscode.workspace.getConfiguration(`${SECTION}.devShell`, scope);
  const attribute = devShell.get<unknown>('attribute');
  return {
    attribute: typeof attribute === 'string' && attribute.trim() !== '' ? attribute.trim() : 'default',
    autoActivate: devShell.get<unknown>('autoActivate') !== false,
    reloadOnChange: devShell.get<unknown>('reloadOnChange') !== false,
    useShellRustAnalyzer: devShell.get<unknown>('useShellRustAnalyzer') !== false,
  };
}

/** `nixify.nix.path`: the `nix` every feature runs; undefined means `nix` on PATH. */
export const NIX_PATH = { section: `${SECTION}.nix`, key: 'path' } as const;
/** Its predecessor, read until `migrateNixPathSetting` has moved it. */
export const DEPRECATED_NIX_PATH = { section: `${SECTION}.devShell`, key: 'nixPath' } as const;

export function nixProgram(scope?: vscode.ConfigurationScope): string | undefined {
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  const setting = (where: { section: string; key: string }) =>
    text(vscode.workspace.getConfiguration(where.section, scope).get<unknown>(where.key));
  return setting(NIX_PATH) ?? setting(DEPRECATED_NIX_PATH);
}

export interface DerivationSettings {
  /** Re-evaluate a folder's derivations when a Cargo, Rust or Nix file of it is saved. */
  refreshOnSave: boolean;
  /** How long saves must pause before that re-evaluation starts. */
  debounceMs: number;
}

export function derivationSettings(scope?: vscode.ConfigurationScope): DerivationSettings {
  const derivations = vscode.workspace.getConfiguration(`${SECTION}.derivations`, scope);
  const debounceMs = derivations.get<unknown>('debounceMs');
  return {
    refreshOnSave: derivations.get<unknown>('refreshOnSave') !== false,
    debounceMs:
      typeof debounceMs === 'number' && Number.isFinite(debounceMs) ? Math.max(0, debounceMs) : 1500,
  };
}
