// Plain dev-shell values for the unit tests of src/devShell's pure modules.
import type { DevShellEnv, EnvDelta, ShellSource } from '../../../src/core/devenv/types';

export function source(overrides: Partial<ShellSource> = {}): ShellSource {
  return { kind: 'flake', folder: '/ws', attr: 'default', system: 'x86_64-linux', ...overrides };
}

export function delta(overrides: Partial<EnvDelta> = {}): EnvDelta {
  return {
    set: { RUST_LOG: 'debug', SECRET_TOKEN: 'hunter2' },
    prepend: { PATH: '/nix/store/aaa-tool/bin:/nix/store/bbb-ra/bin', XDG_DATA_DIRS: '/nix/store/ccc/share' },
    unset: [],
    ...overrides,
  };
}

export function devShellEnv(overrides: Partial<DevShellEnv> = {}): DevShellEnv {
  return {
    source: source(),
    delta: delta(),
    key: 'k1',
    profile: '/storage/profile',
    evaluatedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 1234,
    nixVersion: 'nix (Nix) 2.8.0',
    ...overrides,
  };
}
