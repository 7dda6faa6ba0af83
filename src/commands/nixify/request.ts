// What `nixify.nixifyWorkspace` is asked to do, read from its one argument. No `vscode` here: the
// argument's shapes are matched structurally so that this file is unit-tested in plain Node.
import type { InitOptions } from '../../core/flake';

export type ConflictDecision = 'replace' | 'beside' | 'skip';

/**
 * The programmatic form of `nixify.nixifyWorkspace`, for tests and other commands: no quick pick
 * and no question is shown; the previews still open.
 *
 * ```ts
 * await vscode.commands.executeCommand('nixify.nixifyWorkspace', {
 *   folder: vscode.Uri.file('/repo'),            // or '/repo', or '/repo/Cargo.toml'
 *   projects: ['.', 'leptos-website'],            // default: every project in the folder
 *   options: { ci: false },                       // over the defaults and flake.nix's header
 *   decisions: { 'flake.nix': 'replace' },        // conflicts without one are skipped
 *   confirm: true,                                // false: preview only, write nothing
 *   postActions: { gitAdd: true, lock: false },   // both off unless asked
 * });
 * ```
 */
export interface NixifyRequest {
  /** A workspace folder, a Cargo workspace root or its Cargo.toml: a `vscode.Uri` or an absolute path. */
  folder: string;
  /**
   * The projects the flake builds, as directories relative to the flake's root (`.` for the root);
   * all but those under tests/ or fixtures/ when absent.
   */
  projects?: string[];
  options: Partial<InitOptions>;
  /** Keyed by the planned path relative to the workspace root, e.g. `flake.nix`. */
  decisions: Readonly<Record<string, ConflictDecision>>;
  confirm: boolean;
  postActions: { gitAdd: boolean; lock: boolean };
}

/** What the argument asks for: a programmatic request, a target to start the UI from, or nothing. */
export type NixifyArgument =
  { kind: 'request'; request: NixifyRequest } | { kind: 'target'; path: string } | { kind: 'none' };

const DECISIONS: readonly string[] = ['replace', 'beside', 'skip'];

/**
 * Accepts: nothing (ask), a path string, a `vscode.Uri` (`file` scheme), a Crates view node (a
 * folder node carries `path`, workspace and crate nodes `manifestPath`), or a `NixifyRequest`
 * whose `folder` is one of the first two. Throws a TypeError for a malformed request, so a typo in
 * a test fails loudly instead of falling back to the interactive path.
 */
export function parseNixifyArgument(argument: unknown): NixifyArgument {
  if (argument === undefined || argument === null) return { kind: 'none' };
  const path = pathOf(argument);
  if (path !== undefined) return { kind: 'target', path };
  if (typeof argument !== 'object' || !('folder' in argument)) {
    throw new TypeError('nixify.nixifyWorkspace: expected a path, a Uri or { folder, … }');
  }
  const raw = argument as Record<string, unknown>;
  const folder = pathOf(raw.folder);
  if (folder === undefined) {
    throw new TypeError('nixify.nixifyWorkspace: `folder` must be an absolute path or a file Uri');
  }
  const decisions = recordOf(raw.decisions, 'decisions');
  for (const [file, decision] of Object.entries(decisions)) {
    if (typeof decision !== 'string' || !DECISIONS.includes(decision)) {
      throw new TypeError(
        `nixify.nixifyWorkspace: decision for ${file} must be replace, beside or skip, not ${String(decision)}`,
      );
    }
  }
  const postActions = recordOf(raw.postActions, 'postActions');
  const projects = raw.projects;
  if (projects !== undefined && (!Array.isArray(projects) || !projects.every((p) => typeof p === 'string'))) {
    throw new TypeError('nixify.nixifyWorkspace: `projects` must be a list of directories');
  }
  return {
    kind: 'request',
    request: {
      folder,
      options: recordOf(raw.options, 'options') as Partial<InitOptions>,
      ...(projects === undefined ? {} : { projects: projects as string[] }),
      decisions: decisions as Record<string, ConflictDecision>,
      confirm: raw.confirm === undefined ? true : raw.confirm === true,
      postActions: { gitAdd: postActions.gitAdd === true, lock: postActions.lock === true },
    },
  };
}

function pathOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  // A vscode.Uri, matched by shape.
  if ('scheme' in value && 'fsPath' in value && typeof value.fsPath === 'string') {
    return value.scheme === 'file' ? value.fsPath : undefined;
  }
  if ('manifestPath' in value && typeof value.manifestPath === 'string') return value.manifestPath;
  // A folder node of the Crates view; a request has `folder`, never `path`.
  if ('kind' in value && value.kind === 'folder' && 'path' in value && typeof value.path === 'string') {
    return value.path;
  }
  return undefined;
}

function recordOf(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`nixify.nixifyWorkspace: \`${name}\` must be an object`);
  }
  return value as Record<string, unknown>;
}
