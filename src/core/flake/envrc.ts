// `.envrc` for direnv: the flake's dev shell in every terminal and editor that enters the folder.

/** The whole `.envrc`, ending in a newline. */
export function renderEnvrc(): string {
  return [
    "# The flake's dev shell on `cd`; nix-direnv caches it and keeps it from garbage collection.",
    "# Reload when Nixify's nix/*.nix change; watched first, as nix-direnv ignores later watches.",
    'watch_file nix/*.nix',
    'use flake',
    '',
  ].join('\n');
}
