// `nixify.revealManifest` is called from a tree item's click (with the node), from its inline
// menu action (with the node) and possibly by other extensions or keybindings (with a path or a Uri).

/** The manifest path carried by a command argument, if any. */
export function manifestPathOf(argument: unknown): string | undefined {
  if (typeof argument === 'string') {
    return argument.length > 0 ? argument : undefined;
  }
  if (typeof argument !== 'object' || argument === null) {
    return undefined;
  }
  if ('manifestPath' in argument && typeof argument.manifestPath === 'string') {
    return argument.manifestPath;
  }
  // A vscode.Uri, matched by shape so this file stays free of `vscode`.
  if (
    'scheme' in argument &&
    argument.scheme === 'file' &&
    'fsPath' in argument &&
    typeof argument.fsPath === 'string'
  ) {
    return argument.fsPath;
  }
  return undefined;
}
