import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectWorkspaces } from '../../../../src/core/cargo';
import { tree } from '../../helpers/tree';

const pkg = (name: string, extra = '') =>
  `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`;

describe('core/cargo/detect', () => {
  const roots: string[] = [];
  const make = (files: Record<string, string>) => {
    const root = tree(files);
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('reports a missing directory as a problem instead of throwing', () => {
    const result = detectWorkspaces('/nonexistent/nixify/dir');
    assert.equal(result.workspaces.length, 0);
    assert.match(result.problems[0]?.message ?? '', /cannot read directory/);
  });

  it('lists separate workspaces and lone packages of one folder', () => {
    const root = make({
      'one/Cargo.toml': '[workspace]\nmembers = ["a"]\n',
      'one/a/Cargo.toml': pkg('a'),
      'one/a/src/lib.rs': '',
      'two/Cargo.toml': pkg('two'),
      'two/src/main.rs': '',
    });
    const result = detectWorkspaces(root);
    assert.deepEqual(
      result.workspaces.map((w) => [
        path.relative(root, w.root),
        w.virtual,
        w.explicit,
        w.packages.map((p) => p.name),
      ]),
      [
        ['one', true, true, ['a']],
        ['two', false, false, ['two']],
      ],
    );
  });

  it('survives symlink loops, dangling result links and skipped directories', () => {
    const root = make({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
      'crates/a/Cargo.toml': pkg('a'),
      'crates/a/src/lib.rs': '',
      'target/debug/Cargo.toml': pkg('stray-target'),
      'node_modules/x/Cargo.toml': pkg('stray-node'),
      '.direnv/Cargo.toml': pkg('stray-direnv'),
    });
    fs.symlinkSync('..', path.join(root, 'crates', 'a', 'loop'));
    fs.symlinkSync('/nix/store/00000000000000000000000000000000-missing', path.join(root, 'result'));
    const result = detectWorkspaces(root);
    assert.deepEqual(
      result.workspaces.flatMap((w) => w.packages.map((p) => p.name)),
      ['a'],
    );
    assert.deepEqual(result.problems, []);
  });

  it('keeps going when one member is broken and says where', () => {
    const root = make({
      'Cargo.toml': '[workspace]\nmembers = ["good", "bad"]\n',
      'good/Cargo.toml': pkg('good'),
      'good/src/lib.rs': '',
      'bad/Cargo.toml': '[package]\nname = "bad\n',
    });
    const [workspace] = detectWorkspaces(root).workspaces;
    assert.deepEqual(
      workspace?.packages.map((p) => p.name),
      ['good'],
    );
    const problem = workspace?.problems.find((p) => p.file.endsWith('bad/Cargo.toml'));
    assert.equal(problem?.line, 2);
    assert.match(problem?.message ?? '', /failed to parse manifest/);
  });

  it('finds the workspace root above the opened folder, as cargo does', () => {
    const root = make({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
      'crates/a/Cargo.toml': pkg('a', '[dependencies]\nb = { path = "../b" }\n'),
      'crates/a/src/lib.rs': '',
      'crates/b/Cargo.toml': pkg('b'),
      'crates/b/src/lib.rs': '',
    });
    const result = detectWorkspaces(path.join(root, 'crates', 'a'));
    assert.equal(result.workspaces[0]?.manifest_path, path.join(root, 'Cargo.toml'));
    assert.deepEqual(
      result.workspaces[0]?.packages.map((p) => [p.name, p.nixify.path_dependencies]),
      [
        ['a', ['b']],
        ['b', []],
      ],
    );
  });

  it('marks wasm crates and the wasm-bindgen version from Cargo.lock', () => {
    const root = make({
      'Cargo.toml': pkg(
        'web',
        '[lib]\ncrate-type = ["cdylib", "rlib"]\n[dependencies]\nwasm-bindgen = "0.2"\n',
      ),
      'src/lib.rs': '',
      'Cargo.lock':
        'version = 4\n[[package]]\nname = "wasm-bindgen"\nversion = "0.2.100"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
    });
    const wasm = detectWorkspaces(root).workspaces[0]?.packages[0]?.nixify.wasm;
    assert.equal(wasm?.target, 'wasm32-unknown-unknown');
    assert.equal(wasm?.wasm_bindgen_version, '0.2.100');
    assert.deepEqual(wasm?.reasons, ['cdylib depending on wasm-bindgen']);
  });

  it('counts only a cdylib lib target as has_cdylib, not an example built as one (like nix/workspace.nix)', () => {
    const root = make({
      'Cargo.toml': pkg(
        'plugin-host',
        '[[example]]\nname = "plugin"\ncrate-type = ["cdylib"]\n[dependencies]\nwasm-bindgen = "0.2"\n',
      ),
      'src/lib.rs': '',
      'examples/plugin.rs': '',
    });
    const [host] = detectWorkspaces(root).workspaces[0]?.packages ?? [];
    assert.equal(host?.nixify.has_cdylib, false);
    assert.equal(host?.nixify.wasm, null);
  });

  it('respects ignored directories and the depth limit', () => {
    const root = make({
      'vendor/x/Cargo.toml': pkg('vendored'),
      'a/b/c/Cargo.toml': pkg('deep'),
    });
    const names = (options: Parameters<typeof detectWorkspaces>[1]) =>
      detectWorkspaces(root, options).workspaces.flatMap((w) => w.packages.map((p) => p.name));
    assert.deepEqual(names({}), ['deep', 'vendored']);
    assert.deepEqual(names({ ignoredDirectories: ['vendor'] }), ['deep']);
    assert.deepEqual(names({ maxDepth: 2 }), ['vendored']);
  });

  describe('a root manifest that does not parse (a cargo-generate template)', () => {
    const template =
      '[workspace]\nmembers = ["app", "lib"]\n\n[workspace.dependencies]\n{% if serde %}serde = "1"{% endif %}\n';
    const member = (name: string) => `[package]\nname = "${name}"\nversion.workspace = true\n`;
    const files = {
      'Cargo.toml': template,
      'app/Cargo.toml': member('app'),
      'app/src/main.rs': 'fn main() {}\n',
      'lib/Cargo.toml': member('lib'),
      'lib/src/lib.rs': '',
      'tools/Cargo.toml': '[workspace]\nmembers = ["x"]\n',
      'tools/x/Cargo.toml': pkg('x'),
      'tools/x/src/lib.rs': '',
    };

    it("is reported at line and column in cargo's words, naming the members it blocks", () => {
      const root = make(files);
      const result = detectWorkspaces(root);
      const [problem, ...others] = result.problems;
      assert.equal(others.length, 0);
      assert.deepEqual(
        { file: problem?.file, line: problem?.line, column: problem?.column },
        { file: path.join(root, 'Cargo.toml'), line: 5, column: 1 },
      );
      assert.equal(
        problem?.message,
        'failed to parse manifest: invalid key-value pair, expected key\n' +
          'it is the workspace root of app/Cargo.toml, lib/Cargo.toml: cargo cannot load them until it parses',
      );
    });

    it('never offers a member as a workspace of its own, and still lists the workspaces it does not hold', () => {
      const root = make(files);
      // tools/ is a workspace of its own (cargo stops at its [workspace] before reaching the root).
      assert.deepEqual(
        detectWorkspaces(root).workspaces.map((w) => [
          path.relative(root, w.root),
          w.packages.map((p) => p.name),
        ]),
        [['tools', ['x']]],
      );
      const fromMember = detectWorkspaces(path.join(root, 'app'));
      assert.deepEqual(fromMember.workspaces, []);
      assert.equal(fromMember.problems[0]?.file, path.join(root, 'Cargo.toml'));
      assert.match(
        fromMember.problems[0]?.message ?? '',
        /workspace root of app\/Cargo\.toml: cargo cannot load it/,
      );
    });

    it("blocks the packages below a broken member too, as cargo's root search does", () => {
      const root = make({
        'Cargo.toml': '[package\n',
        'inner/Cargo.toml': pkg('inner'),
        'inner/src/lib.rs': '',
      });
      const result = detectWorkspaces(root);
      assert.deepEqual(result.workspaces, []);
      assert.deepEqual(
        result.problems.map((p) => [p.line, p.column, p.message.split('\n')[0]]),
        [[1, 9, 'failed to parse manifest: unclosed table, expected `]`']],
      );
    });
  });
});
