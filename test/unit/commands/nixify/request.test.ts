import * as assert from 'node:assert/strict';
import { parseNixifyArgument } from '../../../../src/commands/nixify/request';
import { optionsSummary } from '../../../../src/core/flake';
import type { InitOptions } from '../../../../src/core/flake';

describe('parseNixifyArgument', () => {
  it('asks when there is no argument (palette, view title, welcome link)', () => {
    assert.deepEqual(parseNixifyArgument(undefined), { kind: 'none' });
    assert.deepEqual(parseNixifyArgument(null), { kind: 'none' });
  });

  it('starts the interactive path at a path, a file Uri or a Crates view node', () => {
    assert.deepEqual(parseNixifyArgument('/w/a'), { kind: 'target', path: '/w/a' });
    assert.deepEqual(parseNixifyArgument({ scheme: 'file', fsPath: '/w/a', path: '/w/a' }), {
      kind: 'target',
      path: '/w/a',
    });
    assert.deepEqual(parseNixifyArgument({ kind: 'folder', path: '/w', label: 'w' }), {
      kind: 'target',
      path: '/w',
    });
    assert.deepEqual(parseNixifyArgument({ kind: 'workspace', manifestPath: '/w/a/Cargo.toml' }), {
      kind: 'target',
      path: '/w/a/Cargo.toml',
    });
  });

  it('reads a request with defaults: write, skip conflicts, no git add, no lock', () => {
    assert.deepEqual(parseNixifyArgument({ folder: '/w/a' }), {
      kind: 'request',
      request: {
        folder: '/w/a',
        options: {},
        decisions: {},
        confirm: true,
        postActions: { gitAdd: false, lock: false },
      },
    });
  });

  it('reads every field of a request', () => {
    const parsed = parseNixifyArgument({
      folder: { scheme: 'file', fsPath: '/w/a', path: '/w/a' },
      options: { ci: false },
      decisions: { 'flake.nix': 'beside', '.envrc': 'replace' },
      confirm: false,
      postActions: { gitAdd: true, lock: true },
    });
    assert.deepEqual(parsed, {
      kind: 'request',
      request: {
        folder: '/w/a',
        options: { ci: false },
        decisions: { 'flake.nix': 'beside', '.envrc': 'replace' },
        confirm: false,
        postActions: { gitAdd: true, lock: true },
      },
    });
  });

  it('refuses a malformed request instead of falling back to the questions', () => {
    for (const argument of [
      {},
      42,
      { folder: '' },
      { folder: { scheme: 'untitled', fsPath: 'x' } },
      { folder: '/w', decisions: { 'flake.nix': 'write' } },
      { folder: '/w', options: 'ci=no' },
      { folder: '/w', postActions: [] },
    ]) {
      assert.throws(() => parseNixifyArgument(argument), TypeError, JSON.stringify(argument));
    }
  });
});

describe('optionsSummary', () => {
  const options: InitOptions = {
    toolchain: 'rust-overlay',
    deps: 'per-crate',
    wasm: false,
    ci: true,
    ciMode: 'planned',
    ciMaxJobs: 8,
    cachix: null,
    cachixPublicKey: null,
    oci: false,
    envrc: true,
    gitignore: true,
    nextest: false,
  };

  it('names the choices that are on, in one line', () => {
    assert.equal(
      optionsSummary(options),
      'rust-overlay toolchain · per-crate deps · planned CI (≤ 8 jobs) · .envrc · .gitignore',
    );
    assert.match(optionsSummary({ ...options, ciMode: 'single' }), / · single-job CI · /);
  });

  it('names the Cachix cache', () => {
    const summary = optionsSummary({
      ...options,
      toolchain: 'nixpkgs',
      deps: 'workspace',
      cachix: 'mycache',
      ci: false,
    });
    assert.equal(summary, 'nixpkgs toolchain · workspace deps · Cachix mycache · .envrc · .gitignore');
  });
});
