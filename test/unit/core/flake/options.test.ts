import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { detectWorkspaces } from '../../../../src/core/cargo';
import {
  defaultOptions,
  optionsHeader,
  optionsProblem,
  parseOptionsHeader,
} from '../../../../src/core/flake/options';
import type { InitOptions } from '../../../../src/core/flake/types';
import { REPO_ROOT } from '../../helpers/repo';

function workspaceOf(dir: string) {
  const ws = detectWorkspaces(dir, {}).workspaces[0];
  assert.ok(ws, `no workspace in ${dir}`);
  return ws;
}

describe('flake options', () => {
  it('defaults to rust-overlay and per-crate artifacts for the wasm example workspace', () => {
    const options = defaultOptions(workspaceOf(path.join(REPO_ROOT, 'examples')));
    assert.equal(options.toolchain, 'rust-overlay');
    assert.equal(options.deps, 'per-crate');
    assert.equal(options.wasm, true);
    assert.equal(options.cachix, null);
  });

  it("defaults to nixpkgs' toolchain and shared artifacts for a single crate without a toolchain file", () => {
    const options = defaultOptions(workspaceOf(path.join(REPO_ROOT, 'test/fixtures/binaries')));
    assert.equal(options.toolchain, 'nixpkgs');
    assert.equal(options.deps, 'shared');
    assert.equal(options.wasm, false);
  });

  it('round-trips every option through the header line', () => {
    const options: InitOptions = {
      toolchain: 'fenix',
      deps: 'shared',
      wasm: false,
      ci: true,
      cachix: 'my-cache',
      cachixPublicKey: null,
      oci: true,
      envrc: false,
      gitignore: true,
      nextest: true,
    };
    const text = `# Generated\n${optionsHeader(options)}\n{ }\n`;
    const { cachixPublicKey: _unused, ...recorded } = options;
    assert.deepEqual(parseOptionsHeader(text), recorded);
  });

  it('reads the Cachix key back from nixConfig', () => {
    const key = 'my-cache.cachix.org-1:' + 'A'.repeat(43) + '=';
    const text = `${optionsHeader({ ...baseOptions(), cachix: 'my-cache' })}\n  extra-trusted-public-keys = [ "${key}" ];\n`;
    assert.equal(parseOptionsHeader(text).cachixPublicKey, key);
  });

  it('ignores a hand-edited header it cannot read instead of failing', () => {
    const parsed = parseOptionsHeader('# nixify: toolchain=gcc deps= wasm=maybe ci=no junk\n');
    assert.deepEqual(parsed, { ci: false });
    assert.deepEqual(parseOptionsHeader('{ outputs = _: { }; }'), {});
  });

  it("refuses nixpkgs' toolchain for wasm crates and bad Cachix names", () => {
    const ws = workspaceOf(path.join(REPO_ROOT, 'examples'));
    assert.match(optionsProblem(ws, { ...baseOptions(), toolchain: 'nixpkgs', wasm: true }) ?? '', /wasm32/);
    assert.equal(optionsProblem(ws, { ...baseOptions(), toolchain: 'nixpkgs', wasm: false }), null);
    assert.match(optionsProblem(ws, { ...baseOptions(), cachix: 'Bad_Name' }) ?? '', /Cachix/);
  });
});

function baseOptions(): InitOptions {
  return {
    toolchain: 'rust-overlay',
    deps: 'per-crate',
    wasm: true,
    ci: false,
    cachix: null,
    cachixPublicKey: null,
    oci: false,
    envrc: false,
    gitignore: false,
    nextest: false,
  };
}
