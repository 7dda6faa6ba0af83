// Every .nix file Nixify generates parses (`nix-instantiate --parse`, which also refuses undefined
// variables), for every fixture workspace and examples/, across the options that change the text;
// and so do the .nix sources in src/core/flake/nix themselves (the static check of the repository's
// Nix; nixfmt is packaged neither for Debian nor on npm, so their nixfmt layout is kept by hand).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultOptions, planRepository, type InitOptions } from '../../src/core/flake';
import type { Workspace } from '../../src/core/cargo';
import { forEachNix, NixError, runNix } from './helpers/nix';
import { EXAMPLES, FIXTURES, REPO_ROOT, removeTempDirs, tempDir } from './helpers/paths';
import { copyToTemp, fixtureNames, healthyWorkspaces, NIXIFY_VERSION } from './helpers/workspace';

const CACHIX_KEY = `nixify-test.cachix.org-1:${Buffer.alloc(32, 7).toString('base64')}`;

/** Each toolchain with each dependency layout; wasm wherever the toolchain allows it; oci, Cachix. */
export function optionMatrix(): Partial<InitOptions>[] {
  const matrix: Partial<InitOptions>[] = [];
  for (const toolchain of ['rust-overlay', 'fenix', 'nixpkgs'] as const) {
    for (const deps of ['workspace', 'per-crate'] as const) {
      matrix.push({
        toolchain,
        deps,
        wasm: toolchain !== 'nixpkgs',
        oci: true,
        cachix: 'nixify-test',
        cachixPublicKey: deps === 'workspace' ? CACHIX_KEY : null,
        nextest: deps === 'workspace',
      });
    }
  }
  return matrix;
}

interface Source {
  /** The workspace, relative to the fixture, and the options: for the failure message. */
  origin: string;
  content: string;
}

/** The distinct .nix files generated for the workspaces under `dir`. */
function generatedNixFiles(dir: string, workspaces: Workspace[]): Source[] {
  const byContent = new Map<string, Source>();
  for (const ws of workspaces) {
    for (const overrides of optionMatrix()) {
      const options = { ...defaultOptions(ws), ...overrides };
      // The flake at the fixture's root, which holds every path dependency.
      const plan = planRepository({ root: dir, workspaces: [ws] }, options, NIXIFY_VERSION);
      for (const file of plan.files.filter((f) => f.path.endsWith('.nix'))) {
        const origin = `${path.relative(dir, ws.root) || '.'}/${file.path} (${options.toolchain}, ${options.deps})`;
        if (!byContent.has(file.content)) byContent.set(file.content, { origin, content: file.content });
      }
    }
  }
  return [...byContent.values()];
}

const NIX_SOURCES = path.join(REPO_ROOT, 'src', 'core', 'flake', 'nix');

forEachNix('generated Nix parses', (nix) => {
  after(removeTempDirs);

  it("Nixify's own sources (src/core/flake/nix/*.nix)", function () {
    const files = fs
      .readdirSync(NIX_SOURCES)
      .filter((name) => name.endsWith('.nix'))
      .map((name) => path.join(NIX_SOURCES, name));
    assert.ok(files.length >= 2, files.join(' '));
    runNix(nix, 'nix-instantiate', ['--parse', ...files]);
  });

  const cases = [
    ...fixtureNames().map((name) => ({ name, dir: path.join(FIXTURES, name) })),
    { name: 'examples', dir: EXAMPLES },
  ];
  for (const { name, dir } of cases) {
    it(name, function () {
      const root = copyToTemp(dir, 'parse');
      const workspaces = healthyWorkspaces(root);
      if (workspaces.length === 0) {
        // The model refuses this fixture (a bad-* case): Nixify offers no flake for it.
        assert.ok(name.startsWith('bad-'), `${name}: the model found no healthy workspace`);
        return;
      }
      const sources = generatedNixFiles(root, workspaces);
      assert.ok(sources.length >= 2, `${name}: expected flake.nix and nix/workspace.nix at least`);
      const outDir = tempDir('parsed');
      const files = sources.map((source) => {
        const file = path.join(
          outDir,
          `${createHash('sha256').update(source.content).digest('hex').slice(0, 16)}.nix`,
        );
        fs.writeFileSync(file, source.content);
        return { file, origin: source.origin };
      });
      try {
        runNix(nix, 'nix-instantiate', ['--parse', ...files.map((f) => f.file)]);
      } catch (error) {
        if (!(error instanceof NixError)) throw error;
        const which = files.find((f) => error.stderr.includes(f.file));
        assert.fail(`${which?.origin ?? 'a generated file'} does not parse:\n${error.message}`);
      }
    });
  }
});
