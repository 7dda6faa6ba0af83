// Scenario `multi-project`: a copy of test/fixtures/separate-packages (app, cats, wasm: each its own
// Cargo.lock, no project at the root). The Crates view lists every project, Nixify Workspace writes
// ONE flake for all of them, and once locked against the stand-in inputs (offline) the flake has a
// dev shell per project plus the default one.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { NixifyResult } from '../../src/commands/nixifyWorkspace';
import { listDevShellAttrs } from '../../src/core/devenv';
import { currentNixSystem } from '../../src/core/devenv/system';
import { activeApi, eventually, extension, isWorkspaceRow, onlyFolder, rows } from './helpers';

const run = promisify(execFile);

function nixify(request: unknown): Thenable<NixifyResult | undefined> {
  return vscode.commands.executeCommand<NixifyResult | undefined>('nixify.nixifyWorkspace', request);
}

const request = (folder: string, projects?: string[]) => ({
  folder,
  ...(projects !== undefined && { projects }),
  options: { ci: false },
  decisions: { 'flake.nix': 'replace' },
  confirm: true,
  postActions: { gitAdd: true, lock: false },
});

/** `<key> = mkProject {` of every project the flake builds. */
const mkProjects = (flake: string) => [...flake.matchAll(/^\s*([\w-]+) = mkProject \{/gm)].map((m) => m[1]);

describe('multi-project folder (separate packages)', () => {
  const root = () => onlyFolder().uri.fsPath;

  it('shows every project in the Crates view, with its crate', async () => {
    const api = await activeApi();
    const projects = await eventually('the three projects in the Crates view', async () => {
      const found = (await rows(api)).filter(isWorkspaceRow);
      assert.equal(found.length, 3, `projects shown: ${found.map((r) => r.label).join(', ')}`);
      return found;
    });
    assert.deepEqual(
      projects.map((r) => r.label),
      ['app', 'cats', 'wasm'],
    );
    for (const project of projects) {
      const crates = await rows(api, project.element);
      assert.deepEqual(
        crates.map((r) => r.label),
        [project.label],
      );
    }
  });

  it('writes one flake.nix at the root for the projects asked for, leaving one out', async () => {
    const result = await nixify(request(root(), ['app', 'cats']));
    assert.equal(result?.outcome, 'written', JSON.stringify(result, null, 2));
    const flake = fs.readFileSync(path.join(root(), 'flake.nix'), 'utf8');
    assert.deepEqual(mkProjects(flake), ['app', 'cats']);
    for (const dir of ['app', 'cats', 'wasm']) {
      assert.ok(!fs.existsSync(path.join(root(), dir, 'flake.nix')), `${dir}/flake.nix was written`);
    }
  });

  it('writes one flake.nix with mkProject for every project, whose dev shells Nix lists offline', async () => {
    const result = await nixify(request(root()));
    assert.equal(result?.outcome, 'written', JSON.stringify(result, null, 2));
    const flake = fs.readFileSync(path.join(root(), 'flake.nix'), 'utf8');
    assert.deepEqual(mkProjects(flake), ['app', 'cats', 'wasm']);

    // The Crates view names each project's flake attribute now that the flake lists them.
    const api = await activeApi();
    await eventually("the projects' flake keys in the Crates view", async () => {
      const described = (await rows(api)).filter(isWorkspaceRow).map((r) => r.description);
      assert.ok(
        described.every((d, i) => d.endsWith(`devShells.${['app', 'cats', 'wasm'][i] ?? ''}`)),
        `descriptions: ${described.join(' | ')}`,
      );
      return true;
    });

    // Offline: lock the inputs the flake declares to the stand-ins the nix tier uses.
    const standIns = path.join(extension().extensionPath, 'test', 'nix', 'flake-inputs');
    const declared = ['nixpkgs', 'crane', 'rust-overlay', 'fenix'].filter((name) =>
      new RegExp(`^\\s*${name}(\\.url| = \\{)`, 'm').test(flake),
    );
    const overrides = declared.flatMap((name) => [
      '--override-input',
      name,
      `path:${path.join(standIns, name)}`,
    ]);
    await run('nix', ['flake', 'lock', ...overrides], { cwd: root(), env: process.env });
    await run('git', ['add', '-A'], { cwd: root() });

    const attrs = await listDevShellAttrs(
      { kind: 'flake', folder: root(), attr: 'default', system: currentNixSystem() },
      { storageDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-shells-')), env: process.env },
    );
    assert.deepEqual(attrs, ['app', 'cats', 'default', 'wasm']);
  });
});
