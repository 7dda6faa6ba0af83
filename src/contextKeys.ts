// The `when`-clause context keys derived from the detection results (pure, tested in plain Node).
import type { DetectResult } from './core/cargo';
import { isCargoWorkspace } from './describe';

export const ContextKey = {
  activated: 'nixify.activated',
  /** Every folder has been searched once; before that "no Cargo.toml here" would be a guess. */
  detected: 'nixify.detected',
  inCargoWorkspace: 'nixify.inCargoWorkspace',
  hasFlake: 'nixify.hasFlake',
  /** The dev shell of the folder the status item shows is applied (on, stale or reloading). */
  devShellActive: 'nixify.devShellActive',
} as const;

export interface FolderFacts {
  result: DetectResult | undefined;
  /** A `flake.nix` sits at the folder's root. */
  hasFlake: boolean;
}

export function detectionContextKeys(folders: readonly FolderFacts[]): Record<string, boolean> {
  return {
    [ContextKey.detected]: folders.length > 0 && folders.every((folder) => folder.result !== undefined),
    [ContextKey.inCargoWorkspace]: folders.some(
      (folder) => folder.result?.workspaces.some(isCargoWorkspace) ?? false,
    ),
    [ContextKey.hasFlake]: folders.some((folder) => folder.hasFlake),
  };
}
