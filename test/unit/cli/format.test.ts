import * as assert from 'node:assert/strict';
import {
  formatDetectResult,
  formatSummary,
  formatSystemLibraries,
  formatTable,
  workspaceHeader,
} from '../../../src/cli/format';
import { demoWorkspace, pkg, problem, result, workspace } from '../helpers/model';

describe('CLI formatting', () => {
  describe('formatTable', () => {
    it('aligns columns two spaces apart without trailing spaces', () => {
      assert.deepEqual(
        formatTable(
          ['A', 'LONG'],
          [
            ['xxx', 'y'],
            ['z', ''],
          ],
        ),
        ['A    LONG', 'xxx  y', 'z'],
      );
    });
  });

  describe('workspaceHeader', () => {
    it('names the workspace, its kind and where it is', () => {
      assert.equal(workspaceHeader(demoWorkspace('/w/demo'), '/w'), 'demo (virtual workspace) demo');
      assert.equal(workspaceHeader(demoWorkspace('/w/demo'), '/w/demo'), 'demo (virtual workspace) .');
      assert.equal(
        workspaceHeader(demoWorkspace('/w/demo'), '/elsewhere'),
        'demo (virtual workspace) /w/demo',
      );
    });

    it('adds the lockfile and toolchain when present', () => {
      const ws = workspace('/w/app', [pkg('app', '/w/app')], {
        explicit: false,
        lockfile: { path: '/w/app/Cargo.lock', version: 4, packages: [] },
        toolchain: {
          path: '/w/app/rust-toolchain.toml',
          channel: '1.80.0',
          components: [],
          targets: [],
          profile: null,
        },
      });
      assert.equal(
        workspaceHeader(ws, '/w'),
        'app (package) app · Cargo.lock v4 · rust-toolchain.toml 1.80.0',
      );
    });

    it('leaves out a toolchain channel that is not set', () => {
      const ws = workspace('/w/app', [], {
        toolchain: {
          path: '/w/app/rust-toolchain',
          channel: null,
          components: [],
          targets: [],
          profile: null,
        },
      });
      assert.equal(workspaceHeader(ws, '/w/app'), 'app (workspace) . · rust-toolchain');
    });
  });

  describe('formatSummary', () => {
    it('counts workspaces, crates, errors and warnings', () => {
      const ws = demoWorkspace('/w/demo');
      ws.problems = [
        problem('/w/demo/Cargo.toml', 'a'),
        problem('/w/demo/Cargo.toml', 'b', { severity: 'warning' }),
      ];
      const detected = result('/w', [ws, workspace('/w/x', [pkg('x', '/w/x')])], [problem('/w/y', 'c')]);
      assert.equal(formatSummary(detected, '/w'), '2 workspaces, 4 crates, 2 errors, 1 warning');
    });

    it('says so when nothing was found', () => {
      assert.equal(formatSummary(result('/w/empty', []), '/w'), 'No Cargo.toml found in empty.');
    });
  });

  it('formats a whole detection', () => {
    const ws = demoWorkspace('/w/demo');
    ws.lockfile = { path: '/w/demo/Cargo.lock', version: 3, packages: [] };
    ws.problems = [
      problem('/w/demo/crates/cli/Cargo.toml', 'unknown field `edtion`', {
        severity: 'warning',
        line: 5,
        column: 1,
      }),
    ];
    const detected = result(
      '/w/demo',
      [ws],
      [problem('/w/demo/old/Cargo.toml', 'not in any workspace', { line: 0, column: 0 })],
    );
    assert.equal(
      formatDetectResult(detected, '/w/demo'),
      [
        'demo (virtual workspace) . · Cargo.lock v3',
        '  CRATE      VERSION  KINDS         WASM                    PATH DEPS',
        '  demo-core  0.1.0    lib           -                       -',
        '  demo-cli   1.2.3    bin, lib      -                       demo-core',
        '  demo-web   0.1.0    rlib, cdylib  wasm32-unknown-unknown  demo-core',
        '  crates/cli/Cargo.toml:5:1: warning: unknown field `edtion`',
        '',
        'old/Cargo.toml: error: not in any workspace',
        '',
        '1 workspace, 3 crates, 1 error, 1 warning',
        '',
      ].join('\n'),
    );
  });

  it('indents every line of a multi-line problem inside a workspace', () => {
    const ws = workspace('/w/a', [], {
      problems: [problem('/w/a/Cargo.toml', 'first\nsecond', { line: 2, column: 3 })],
    });
    assert.equal(
      formatDetectResult(result('/w/a', [ws]), '/w/a'),
      'a (workspace) .\n  Cargo.toml:2:3: error: first\n  second\n\n1 workspace, 0 crates, 1 error, 0 warnings\n',
    );
  });

  it('prints an empty workspace as its header alone', () => {
    const detected = result('/w', [workspace('/w/empty', [], { virtual: true })]);
    assert.equal(
      formatDetectResult(detected, '/w'),
      'empty (virtual workspace) empty\n\n1 workspace, 0 crates\n',
    );
  });

  it('lists the system libraries a workspace needs, and nothing when there are none', () => {
    const needs = workspace('/w/app', [], {
      system_libraries: [
        {
          crate: 'openssl-sys',
          buildInputs: ['openssl'],
          nativeBuildInputs: ['pkg-config'],
          why: 'links OpenSSL',
        },
        { crate: 'prost-build', buildInputs: [], nativeBuildInputs: ['protobuf'], why: 'runs protoc' },
      ],
    });
    assert.equal(
      formatSystemLibraries(needs),
      'system libraries: openssl, pkg-config (openssl-sys); protobuf (prost-build)',
    );
    assert.equal(formatSystemLibraries(workspace('/w/app', [])), null);
  });
});
