// Scenario `nixify`: folders `nixify-new` (a Cargo package, no flake) and `nixify-existing` (a
// Cargo package with a hand-written flake.nix and a .gitignore). The harness copies both into its
// run folder; every test puts them back byte for byte afterwards.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { NixifyResult } from '../../src/commands/nixifyWorkspace';
import { activeApi, eventually, extension, rows } from './helpers';

const COMMAND = 'nixify.nixifyWorkspace';
const PROPOSED = 'nixify-proposed';

function folder(name: string): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(found, `workspace folder ${name} is not open`);
  return found;
}

const newRoot = () => folder('nixify-new').uri.fsPath;
const existingRoot = () => folder('nixify-existing').uri.fsPath;
const read = (root: string, rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const exists = (root: string, rel: string) => fs.existsSync(path.join(root, rel));

function nixify(argument: unknown): Thenable<NixifyResult | undefined> {
  return vscode.commands.executeCommand<NixifyResult | undefined>(COMMAND, argument);
}

/** Every file below `root`, relative, with its bytes. */
function snapshot(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const absolute = path.join(entry.parentPath, entry.name);
      files.set(path.relative(root, absolute), fs.readFileSync(absolute));
    }
  }
  return files;
}

/** Removes what is not in `saved` and rewrites what differs; untouched files keep their mtime. */
function restore(root: string, saved: ReadonlyMap<string, Buffer>): void {
  const dirs = new Set<string>();
  for (const rel of saved.keys()) {
    for (let dir = path.dirname(rel); dir !== '.'; dir = path.dirname(dir)) dirs.add(dir);
  }
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    const absolute = path.join(entry.parentPath, entry.name);
    const rel = path.relative(root, absolute);
    if (entry.isDirectory() ? !dirs.has(rel) : !saved.has(rel)) {
      // Entries below a removed directory are listed too; `force` makes them no-ops.
      fs.rmSync(absolute, { recursive: true, force: true });
    }
  }
  for (const [rel, bytes] of saved) {
    const absolute = path.join(root, rel);
    if (!fs.existsSync(absolute) || !fs.readFileSync(absolute).equals(bytes)) {
      fs.mkdirSync(path.dirname(absolute), { recursive: true });
      fs.writeFileSync(absolute, bytes);
    }
  }
}

function proposalTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => {
      const input = tab.input;
      if (input instanceof vscode.TabInputText) return input.uri.scheme === PROPOSED;
      if (input instanceof vscode.TabInputTextDiff) return input.modified.scheme === PROPOSED;
      return false;
    });
}

function assertWritten(result: NixifyResult | undefined): NixifyResult {
  assert.ok(result, 'the command returned no result');
  assert.equal(result.outcome, 'written', JSON.stringify(result, null, 2));
  return result;
}

describe('nixify.nixifyWorkspace', () => {
  const saved = new Map<string, Map<string, Buffer>>();

  before(async () => {
    await activeApi();
    for (const root of [newRoot(), existingRoot()]) saved.set(root, snapshot(root));
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const [root, files] of saved) restore(root, files);
  });

  it('is contributed under Nixify with an icon, in the view title and the tree, with a message above the tree', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes(COMMAND), `${COMMAND} is not registered`);
    const contributes = (extension().packageJSON as { contributes: Contributes }).contributes;
    const command = contributes.commands.find((c) => c.command === COMMAND);
    assert.equal(command?.title, 'Nixify Workspace');
    assert.equal(command?.category, 'Nixify');
    assert.ok(command?.icon, 'no icon for the view title');
    for (const menu of ['view/title', 'view/item/context', 'commandPalette']) {
      assert.ok(
        contributes.menus[menu]?.some((m) => m.command === COMMAND),
        `not in ${menu}`,
      );
    }
    // Welcome content only replaces an empty view; this one lists crates, so a message says it.
    assert.ok(!contributes.viewsWelcome.some((w) => w.when?.includes('!nixify.hasFlake')));
    const api = await activeApi();
    const message = (api.crateTree as { message?: string }).message ?? '';
    assert.match(message, /^No flake\.nix yet in nixify-new\b.*"Nixify Workspace"/);
  });

  it('writes the flake, nix/workspace.nix, .envrc, .gitignore and CI into a fresh Cargo workspace', async () => {
    const root = newRoot();
    const result = assertWritten(await nixify({ folder: folder('nixify-new').uri }));
    assert.equal(result.root, root);
    assert.deepEqual(
      result.files.map((f) => `${f.status} ${f.path}`),
      [
        'create flake.nix',
        'create nix/workspace.nix',
        'create .github/workflows/nix.yml',
        'create .github/nix-ci-plan.sh',
        'create .envrc',
        'create .gitignore',
      ],
    );
    assert.deepEqual(
      result.written.map((f) => [f.path, f.decision, f.writtenTo]),
      result.files.map((f) => [f.path, 'write', path.join(root, f.path)]),
    );
    assert.deepEqual(result.backups, []);

    const flake = read(root, 'flake.nix');
    assert.match(flake, /^# nixify: toolchain=nixpkgs deps=workspace .*ci=yes/m);
    assert.ok(flake.includes('crane.mkLib'), 'flake.nix does not use crane');
    assert.ok(flake.includes('--locked'), 'flake.nix builds without --locked');
    assert.ok(read(root, 'nix/workspace.nix').length > 0);
    assert.match(read(root, '.envrc'), /^use flake$/m);
    assert.match(read(root, '.gitignore'), /^result$/m);
    assert.match(read(root, '.gitignore'), /^\.direnv\/$/m);
    assert.match(read(root, '.github/workflows/nix.yml'), /bash \.github\/nix-ci-plan\.sh/);
    assert.match(read(root, '.github/nix-ci-plan.sh'), /^#!\/usr\/bin\/env bash/);

    // The proposals are on disk now: their editors are closed and the real flake.nix is in front.
    assert.deepEqual(proposalTabs(), []);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(root, 'flake.nix'));
  });

  it('records the options in flake.nix and starts from them the next time', async () => {
    const root = newRoot();
    const options = { toolchain: 'fenix', ci: false, envrc: false };
    const first = assertWritten(await nixify({ folder: root, options }));
    assert.deepEqual(first.files.map((f) => f.path).sort(), ['.gitignore', 'flake.nix', 'nix/workspace.nix']);
    assert.equal(exists(root, '.envrc'), false);
    assert.equal(exists(root, '.github'), false);
    assert.match(read(root, 'flake.nix'), /^# nixify: toolchain=fenix .*ci=no .*envrc=no/m);

    const again = await nixify({ folder: path.join(root, 'Cargo.toml') });
    assert.ok(again);
    assert.equal(again.outcome, 'nothing-to-write');
    assert.equal(again.options.toolchain, 'fenix');
    assert.equal(again.options.ci, false);
    assert.deepEqual(
      again.files.map((f) => f.status),
      ['unchanged', 'unchanged', 'unchanged'],
    );
  });

  it('leaves an existing flake.nix byte for byte alone without a decision, and shows its diff', async () => {
    const root = existingRoot();
    const before = fs.readFileSync(path.join(root, 'flake.nix'));
    const result = assertWritten(await nixify({ folder: root }));
    assert.deepEqual(result.conflicts, ['flake.nix']);
    const flake = result.written.find((f) => f.path === 'flake.nix');
    assert.deepEqual(flake, { path: 'flake.nix', writtenTo: null, backup: null, decision: 'skip' });
    assert.ok(fs.readFileSync(path.join(root, 'flake.nix')).equals(before), 'flake.nix changed');
    assert.equal(exists(root, 'flake.nixify.nix'), false);
    assert.deepEqual(result.backups, []);
    // Merged, not replaced: the user's line stays and Nixify's lines are added.
    assert.equal(result.files.find((f) => f.path === '.gitignore')?.status, 'update');
    assert.match(read(root, '.gitignore'), /^\/target\n[\s\S]*^result$/m);

    // The diff of the kept file stays open so it can be merged by hand.
    const diffs = proposalTabs()
      .map((tab) => tab.input)
      .filter((input): input is vscode.TabInputTextDiff => input instanceof vscode.TabInputTextDiff);
    const flakeDiff = diffs.find((input) => input.original.fsPath === path.join(root, 'flake.nix'));
    assert.ok(flakeDiff, `no diff of flake.nix among ${diffs.map((d) => d.modified.toString()).join(', ')}`);
    assert.equal(flakeDiff.original.scheme, 'file');
    assert.equal(flakeDiff.modified.scheme, PROPOSED);
    assert.equal(flakeDiff.modified.path, vscode.Uri.file(path.join(root, 'flake.nix')).path);
    const proposed = await vscode.workspace.openTextDocument(flakeDiff.modified);
    assert.ok(proposed.getText().includes('crane.mkLib'), 'the right side is not the proposed flake');
  });

  it('replaces an existing flake.nix when told to, keeping the old one as a backup', async () => {
    const root = existingRoot();
    const old = read(root, 'flake.nix');
    const result = assertWritten(await nixify({ folder: root, decisions: { 'flake.nix': 'replace' } }));
    const backup = path.join(root, 'flake.nix.nixify-backup');
    assert.deepEqual(result.backups, [backup]);
    assert.equal(fs.readFileSync(backup, 'utf8'), old);
    assert.ok(read(root, 'flake.nix').includes('crane.mkLib'), 'flake.nix was not replaced');
    assert.deepEqual(proposalTabs(), []);
  });

  it('writes beside an existing flake.nix when told to, leaving it unchanged', async () => {
    const root = existingRoot();
    const old = read(root, 'flake.nix');
    const result = assertWritten(await nixify({ folder: root, decisions: { 'flake.nix': 'beside' } }));
    assert.equal(read(root, 'flake.nix'), old);
    assert.ok(read(root, 'flake.nixify.nix').includes('crane.mkLib'));
    assert.deepEqual(result.backups, []);
    const flake = result.written.find((f) => f.path === 'flake.nix');
    assert.equal(flake?.writtenTo, path.join(root, 'flake.nixify.nix'));
  });

  it('writes nothing and closes the previews when the write is not confirmed', async () => {
    const root = existingRoot();
    const before = snapshot(root);
    const result = await nixify({ folder: root, decisions: { 'flake.nix': 'replace' }, confirm: false });
    assert.equal(result?.outcome, 'cancelled');
    assert.deepEqual(result.written, []);
    assert.deepEqual(snapshot(root), before);
    assert.deepEqual(proposalTabs(), []);
  });

  it('writes nothing for options that cannot work', async () => {
    const root = newRoot();
    const before = snapshot(root);
    const result = await nixify({ folder: root, options: { cachix: 'Not A Cache' } });
    assert.equal(result, undefined);
    assert.deepEqual(snapshot(root), before);
  });

  it('adds the new files to git, so that the flake sees them', async () => {
    const root = newRoot();
    const git = (...args: string[]) => promisify(execFile)('git', args, { cwd: root });
    // Its own repository: the harness's run folder sits inside this project's checkout.
    await git('init', '--quiet');
    const result = assertWritten(await nixify({ folder: root, postActions: { gitAdd: true } }));
    assert.equal(result.gitAdd.status, 'done', JSON.stringify(result.gitAdd));
    assert.deepEqual(result.lock, { status: 'not-requested' });
    const { stdout } = await git('ls-files');
    assert.deepEqual(stdout.trim().split('\n').sort(), [
      '.envrc',
      '.github/nix-ci-plan.sh',
      '.github/workflows/nix.yml',
      '.gitignore',
      'flake.nix',
      'nix/workspace.nix',
    ]);
  });

  it('from a Crates view folder node asks only for the options and the go-ahead, then writes', async () => {
    const api = await activeApi();
    const node = (await rows(api)).find((row) => row.label === 'nixify-new');
    assert.ok(node, 'no folder node for nixify-new in the Crates view');
    let done = false;
    const running = Promise.resolve(nixify(node.element)).finally(() => (done = true));
    // Accepts the active item of each quick pick ("Create with these defaults", then "Write 5
    // files") and dismisses the hidden summary toast, until the command returns.
    await eventually('the interactive command to finish', async () => {
      if (done) return true;
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await vscode.commands.executeCommand('notifications.clearAll');
      return undefined;
    });
    const result = assertWritten(await running);
    assert.equal(result.root, newRoot());
    assert.equal(result.written.length, 6);
    assert.ok(read(newRoot(), 'flake.nix').includes('crane.mkLib'));
  });
});

interface Contributes {
  commands: { command: string; title: string; category?: string; icon?: string }[];
  menus: Record<string, { command: string; when?: string }[]>;
  viewsWelcome: { view: string; contents: string; when?: string }[];
}
