import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { detectWorkspaces } from '../../../../src/core/cargo';
import {
  defaultOptions,
  LAYOUTS,
  leptosFrontCrates,
  wasm32Crates,
  wasmCrates,
  optionsHeader,
  optionsProblem,
  parseCiMaxJobs,
  parseLayout,
  parseOptionsHeader,
  readOptionsHeader,
} from '../../../../src/core/flake/options';
import type { InitOptions } from '../../../../src/core/flake/types';
import { REPO_ROOT } from '../../helpers/repo';

function workspaceOf(dir: string) {
  const ws = detectWorkspaces(dir, {}).workspaces[0];
  assert.ok(ws, `no workspace in ${dir}`);
  return ws;
}

describe('flake options', () => {
  it('defaults to rust-overlay and the workspace layout for the wasm example workspace', () => {
    const ws = workspaceOf(path.join(REPO_ROOT, 'examples'));
    assert.ok(ws.workspace_members.length > 1, 'the examples workspace has several crates');
    const options = defaultOptions(ws);
    assert.equal(options.toolchain, 'rust-overlay');
    assert.equal(options.deps, 'workspace');
    assert.equal(options.wasm, true);
    assert.equal(options.cachix, null);
  });

  it('defaults to the workspace layout for a multi-crate workspace without wasm', () => {
    const ws = workspaceOf(path.join(REPO_ROOT, 'test/fixtures/virtual-manifest'));
    assert.ok(ws.workspace_members.length > 1, 'the fixture has several crates');
    assert.equal(defaultOptions(ws).deps, 'workspace');
  });

  it("defaults to nixpkgs' toolchain and the workspace layout for a single crate without a toolchain file", () => {
    const options = defaultOptions(workspaceOf(path.join(REPO_ROOT, 'test/fixtures/binaries')));
    assert.equal(options.toolchain, 'nixpkgs');
    assert.equal(options.deps, 'workspace');
    assert.equal(options.wasm, false);
  });

  it('a Leptos site is no wasm crate, but its front needs wasm32: wasm on, rust-overlay, nixpkgs refused', () => {
    const ws = workspaceOf(path.join(REPO_ROOT, 'test/fixtures/leptos-workspace'));
    assert.deepEqual(wasmCrates(ws), []);
    assert.deepEqual(leptosFrontCrates(ws), ['frontend']);
    assert.deepEqual(wasm32Crates(ws), ['frontend']);
    const options = defaultOptions(ws);
    assert.equal(options.wasm, true);
    assert.equal(options.toolchain, 'rust-overlay');
    assert.match(
      optionsProblem(ws, { ...options, toolchain: 'nixpkgs' }) ?? '',
      /no wasm32 standard library/,
    );
    const cdylib = workspaceOf(path.join(REPO_ROOT, 'test/fixtures/wasm-bindgen-cdylib'));
    assert.deepEqual([wasmCrates(cdylib), leptosFrontCrates(cdylib)], [['wasm-widget'], []]);
  });

  it('round-trips every option through the header line', () => {
    const options: InitOptions = {
      toolchain: 'fenix',
      deps: 'workspace',
      wasm: false,
      ci: true,
      ciMode: 'planned',
      ciMaxJobs: 12,
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

  it('records the CI mode and job limit only when there is a workflow', () => {
    const single = optionsHeader({ ...baseOptions(), ci: true, ciMode: 'single' });
    assert.match(single, / ci=yes ci-mode=single cachix=/);
    assert.deepEqual(
      [parseOptionsHeader(single).ciMode, parseOptionsHeader(single).ciMaxJobs],
      ['single', undefined],
    );
    assert.match(optionsHeader({ ...baseOptions(), ci: true }), / ci=yes ci-mode=planned ci-max-jobs=8 /);
    assert.doesNotMatch(optionsHeader(baseOptions()), /ci-/);
  });

  it('ignores a CI mode or job limit in the header it cannot use', () => {
    for (const entry of [
      'ci-mode=matrix',
      'ci-max-jobs=0',
      'ci-max-jobs=257',
      'ci-max-jobs=2x',
      'ci-max-jobs=',
    ]) {
      assert.deepEqual(parseOptionsHeader(`# nixify: ${entry} ci=yes\n`), { ci: true }, entry);
    }
    assert.equal(parseCiMaxJobs('256'), 256);
    assert.equal(parseCiMaxJobs('1'), 1);
    assert.equal(parseCiMaxJobs('01'), 1);
  });

  it('round-trips the per-crate layout through the header line', () => {
    const text = `${optionsHeader({ ...baseOptions(), deps: 'per-crate' })}\n{ }\n`;
    assert.match(text, /deps=per-crate/);
    assert.equal(parseOptionsHeader(text).deps, 'per-crate');
  });

  it('reads the layouts, the old name shared as the workspace layout, and nothing else', () => {
    assert.deepEqual(LAYOUTS, ['workspace', 'per-crate']);
    assert.equal(parseLayout('workspace'), 'workspace');
    assert.equal(parseLayout('per-crate'), 'per-crate');
    assert.equal(parseLayout('shared'), 'workspace');
    for (const unknown of ['bogus', '', 'Workspace', 'SHARED', 'per_crate', ' shared']) {
      assert.equal(parseLayout(unknown), null, `'${unknown}'`);
    }
  });

  it("reads an old header's deps=shared as the workspace layout and writes it back as deps=workspace", () => {
    const old = '# nixify: toolchain=fenix deps=shared wasm=no ci=yes\n{ }\n';
    const parsed = parseOptionsHeader(old);
    assert.deepEqual(parsed, { toolchain: 'fenix', deps: 'workspace', wasm: false, ci: true });
    const rewritten = optionsHeader({ ...baseOptions(), ...parsed });
    assert.match(rewritten, /deps=workspace/);
    assert.doesNotMatch(rewritten, /shared/);
  });

  it('ignores an unknown layout in the header', () => {
    assert.deepEqual(parseOptionsHeader('# nixify: deps=bogus ci=yes\n'), { ci: true });
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

  it('says what of a header it cannot read, and which keys it lacks', () => {
    assert.deepEqual(readOptionsHeader('{ }\n'), { found: false, options: {}, unread: [], missing: [] });
    const reading = readOptionsHeader('# nixify: toolchain=gcc deps= wasm=maybe ci=no ci=yes junk cachix=\n');
    assert.deepEqual(reading.options, { ci: true });
    assert.deepEqual(reading.unread, [
      'toolchain=gcc',
      'deps=',
      'wasm=maybe',
      'ci=yes (ci given twice)',
      'junk',
      'cachix=',
    ]);
    assert.deepEqual(reading.missing, ['nextest', 'oci', 'envrc', 'gitignore']);
  });
});

function baseOptions(): InitOptions {
  return {
    toolchain: 'rust-overlay',
    deps: 'per-crate',
    wasm: true,
    ci: false,
    ciMode: 'planned',
    ciMaxJobs: 8,
    cachix: null,
    cachixPublicKey: null,
    oci: false,
    envrc: false,
    gitignore: false,
    nextest: false,
  };
}
