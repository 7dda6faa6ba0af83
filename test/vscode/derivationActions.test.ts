// Scenario `derivations`, after derivations.test.ts: the actions on the Derivations view's items,
// run through their commands on the nodes the view shows, against the fixture flake with its real
// Nix store and caches. Files are edited through TextDocuments and saved, as a user would. Tests
// run in order: the edits of one are the history the next compares with.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NixifyApi } from '../../src/api';
import type { CachixPush } from '../../src/commands/pushToCachix';
import type { ItemNode } from '../../src/views/derivationTreeModel';
import { allNodes, itemNode } from './derivationNodes';
import { activeApi, eventually, onlyFolder } from './helpers';

const DEBOUNCE_MS = 300;

let api: NixifyApi;
let folder: string;
const item = (group: string, label: string) => itemNode(api, group, label);
const run = <T>(command: string, node: ItemNode) => vscode.commands.executeCommand<T>(command, node);
const settings = () => vscode.workspace.getConfiguration('nixify.derivations');
const setSetting = (name: string, value: unknown) =>
  settings().update(name, value, vscode.ConfigurationTarget.Global);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Inserts `text` at `line` (0-based; the end of the file when omitted) and saves; returns when saved. */
async function editAndSave(relative: string, text: string, line?: number): Promise<void> {
  const uri = vscode.Uri.file(path.join(folder, relative));
  const doc = await vscode.workspace.openTextDocument(uri);
  const at = line === undefined ? doc.lineAt(doc.lineCount - 1).range.end : new vscode.Position(line, 0);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, at, text);
  assert.ok(await vscode.workspace.applyEdit(edit), `could not edit ${relative}`);
  assert.ok(await doc.save(), `could not save ${relative}`);
}

/** Waits until the item shows a derivation other than `drvPath` with its status known. */
async function newDerivation(group: string, label: string, drvPath: string): Promise<ItemNode> {
  const node = await eventually(`${group} / ${label} to show a new derivation`, async () => {
    const now = item(group, label);
    return now.item.drvPath !== drvPath && !['evaluating', 'building'].includes(now.status) ? now : undefined;
  });
  await api.derivationTree.whenIdle();
  return node;
}

/** Records when each `nix` process starts, from now until `stop()`. */
function recordNixRuns(): { starts: { at: number; args: readonly string[] }[]; stop(): void } {
  const starts: { at: number; args: readonly string[] }[] = [];
  const listener = api.onProcessStart((event) => {
    if (path.basename(event.file) === 'nix') starts.push({ at: Date.now(), args: event.args });
  });
  return { starts, stop: () => listener.dispose() };
}

/** PATH without any folder that holds a `cachix`, so that "not installed" holds on any machine. */
function pathWithoutCachix(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !fs.existsSync(path.join(dir, 'cachix')))
    .join(path.delimiter);
}

describe('Derivation actions from the view, on real Nix', function () {
  this.timeout(60_000);
  const originalPath = process.env.PATH;

  before(async () => {
    api = await activeApi();
    folder = onlyFolder().uri.fsPath;
    // A save refreshes only a view that is visible (a hidden one is marked stale instead).
    await vscode.commands.executeCommand('nixify.derivations.focus');
    await setSetting('debounceMs', DEBOUNCE_MS);
    await vscode.commands.executeCommand('nixify.refreshDerivations');
    await api.derivationTree.whenIdle();
  });

  after(async () => {
    process.env.PATH = originalPath;
    await setSetting('debounceMs', undefined);
    await setSetting('refreshOnSave', undefined);
  });

  it('Show Build Log after a real build opens the `nix log` of that build, with the line its builder printed', async () => {
    const fmt = () => item('Workspace', 'fmt');
    assert.equal(fmt().status, 'build');
    assert.equal(await run('nixify.buildDerivation', fmt()), true);
    assert.equal(fmt().status, 'local');
    const shown = await run<string | undefined>('nixify.showBuildLog', fmt());
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor was opened');
    assert.equal(editor.document.languageId, 'log');
    assert.match(editor.document.getText(), /^nixify fixture: building fixture-fmt-0\.1\.0$/m);
    assert.equal(shown, editor.document.getText());
  });

  it('Show Build Log of a derivation never built opens nothing and returns no log', async () => {
    const shownBefore = vscode.window.activeTextEditor?.document;
    const test = item('Workspace', 'test');
    assert.equal(test.status, 'build');
    assert.equal(await run('nixify.showBuildLog', test), undefined);
    assert.equal(vscode.window.activeTextEditor?.document, shownBefore);
  });

  it('Copy Store Path puts the output path on the clipboard; both outputs, out first, for a two-output derivation', async () => {
    const app = item('app', 'package');
    await run('nixify.copyStorePath', app);
    const copied = await vscode.env.clipboard.readText();
    assert.match(copied, /^\/nix\/store\/[0-9a-z]{32}-app-0\.1\.0$/);
    assert.equal(copied, app.item.outputs['out']);

    const doc = item('Workspace', 'doc');
    await run('nixify.copyStorePath', doc);
    const { out, html } = doc.item.outputs;
    assert.ok(out !== undefined && html !== undefined);
    assert.equal(await vscode.env.clipboard.readText(), `${out}\n${html}`);
  });

  it('Push to Cachix without cachix on PATH returns and shows the exact `cachix push` command', async () => {
    process.env.PATH = pathWithoutCachix();
    const fmt = item('Workspace', 'fmt');
    const out = fmt.item.outputs['out'] ?? '';
    const pushed = await run<CachixPush>('nixify.pushToCachix', fmt);
    process.env.PATH = originalPath;
    assert.deepEqual(pushed, {
      command: ['cachix', 'push', 'nixify-fixture', out],
      commandLine: `cachix push nixify-fixture ${out}`,
      outcome: 'not-installed',
    });
  });

  it('Push to Cachix with a `cachix` on PATH passes it the declared cache and the output paths (checks the invocation through a recording stand-in, not Cachix)', async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-cachix-stand-in-'));
    const record = path.join(bin, 'argv');
    // Records its arguments one a line, and the folder it ran in; exits 0 on the first call, 7 after.
    const standIn = [
      '#!/bin/sh',
      `if [ -e '${record}' ]; then exit 7; fi`,
      `pwd > '${record}'`,
      `printf '%s\\n' "$@" >> '${record}'`,
    ].join('\n');
    fs.writeFileSync(path.join(bin, 'cachix'), `${standIn}\n`, { mode: 0o755 });
    process.env.PATH = `${bin}${path.delimiter}${pathWithoutCachix()}`;
    try {
      const deps = item('Workspace', 'dependencies');
      const pushed = await run<CachixPush>('nixify.pushToCachix', deps);
      const outputs = Object.values(deps.item.outputs);
      assert.deepEqual(pushed?.command, ['cachix', 'push', 'nixify-fixture', ...outputs]);
      assert.equal(pushed?.outcome, 'pushed');
      const [cwd, ...argv] = fs.readFileSync(record, 'utf8').trimEnd().split('\n');
      assert.equal(cwd, folder);
      assert.deepEqual(argv, ['push', 'nixify-fixture', ...outputs]);

      const failed = await run<CachixPush>('nixify.pushToCachix', deps);
      assert.equal(failed?.outcome, 'failed');
    } finally {
      process.env.PATH = originalPath;
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it("saving an edited .rs file re-evaluates the tree once the debounce has passed: that crate's derivations change, others stay", async () => {
    const before = {
      coreLib: item('core-lib', 'package').item.drvPath,
      coreLibDeps: item('core-lib', 'dependencies').item.drvPath,
      app: item('app', 'package').item.drvPath,
      webUi: item('web-ui', 'wasm build').item.drvPath,
    };
    const nix = recordNixRuns();
    const saving = Date.now();
    await editAndSave('crates/core-lib/src/lib.rs', '// edited in VS Code by the derivations suite\n');
    const coreLib = await newDerivation('core-lib', 'package', before.coreLib);
    nix.stop();
    const first = nix.starts[0];
    assert.ok(first, 'no nix process ran after the save');
    assert.ok(
      first.at - saving >= DEBOUNCE_MS,
      `nix ${first.args.join(' ')} started ${first.at - saving} ms after the save, before the ${DEBOUNCE_MS} ms debounce`,
    );
    // Nothing has these outputs: the edited source makes them new.
    assert.equal(coreLib.status, 'build');
    const app = item('app', 'package');
    assert.notEqual(app.item.drvPath, before.app);
    assert.equal(app.status, 'build');
    // Dependency artifacts build from the Cargo files alone; web-ui does not depend on core-lib.
    assert.equal(item('core-lib', 'dependencies').item.drvPath, before.coreLibDeps);
    assert.equal(item('core-lib', 'dependencies').status, 'local');
    assert.equal(item('web-ui', 'wasm build').item.drvPath, before.webUi);
  });

  it('Why does this rebuild? names the edited crate and file, for that crate and for the crate that depends on it', async () => {
    const because = ['the source of crate core-lib changed: crates/core-lib/src/lib.rs'];
    assert.deepEqual(await run('nixify.whyRebuild', item('core-lib', 'package')), because);
    assert.deepEqual(await run('nixify.whyRebuild', item('app', 'package')), because);
    // web-ui has had one derivation only: nothing to compare with.
    assert.deepEqual(await run('nixify.whyRebuild', item('web-ui', 'wasm build')), []);
  });

  it('Why does this rebuild? on dependency artifacts compares them with the artifacts seen before (Cargo.lock edited)', async () => {
    const before = item('app', 'dependencies').item.drvPath;
    await editAndSave('Cargo.lock', '# edited in VS Code by the derivations suite\n');
    const deps = await newDerivation('app', 'dependencies', before);
    assert.equal(deps.status, 'build');
    assert.deepEqual(await run('nixify.whyRebuild', deps), [
      'Cargo.lock changed (through vendor-cargo-deps)',
    ]);
  });

  it('with refreshOnSave off, a save starts no evaluation; the refresh command then shows the change', async () => {
    await setSetting('refreshOnSave', false);
    const before = item('web-ui', 'wasm build').item.drvPath;
    const nix = recordNixRuns();
    await editAndSave('crates/web-ui/src/lib.rs', '// edited in VS Code by the derivations suite\n');
    await sleep(DEBOUNCE_MS + 2000);
    nix.stop();
    assert.deepEqual(
      nix.starts.map((s) => s.args.join(' ')),
      [],
    );
    assert.equal(item('web-ui', 'wasm build').item.drvPath, before);

    await vscode.commands.executeCommand('nixify.refreshDerivations');
    const after = item('web-ui', 'wasm build');
    assert.notEqual(after.item.drvPath, before);
    assert.equal(after.status, 'build');
    await setSetting('refreshOnSave', undefined);
  });

  it('a broken flake shows an "Evaluation failed" node and a diagnostic where the error is; fixing it removes both', async () => {
    const flake = vscode.Uri.file(path.join(folder, 'flake.nix'));
    const lines = (await vscode.workspace.openTextDocument(flake)).getText().split('\n');
    const after = lines.findIndex((l) => l.includes('nonce = builtins.readFile ./nonce;'));
    assert.ok(after > 0, 'the fixture flake has no nonce line');
    const brokenLine = after + 1;
    const indent = '      ';
    const webUi = item('web-ui', 'wasm build').item.drvPath;

    await editAndSave('flake.nix', `${indent}broken = nixifyUndefinedVariable;\n`, brokenLine);
    const failed = await eventually('an "Evaluation failed" node', async () =>
      allNodes(api).find((n) => n.kind === 'message' && n.label.startsWith('Evaluation failed')),
    );
    assert.match(failed.label, /^Evaluation failed: undefined variable 'nixifyUndefinedVariable'$/);
    assert.equal(
      allNodes(api).filter((n) => n.kind === 'item').length,
      0,
      'items of the failed evaluation are still shown',
    );
    const treeItem = api.derivationTree.getTreeItem(failed);
    assert.equal(treeItem.command?.command, 'vscode.open');
    const [target, options] = (treeItem.command?.arguments ?? []) as [
      vscode.Uri,
      { selection: vscode.Range },
    ];
    assert.equal(target.fsPath, flake.fsPath);
    assert.equal(options.selection.start.line, brokenLine);

    const diagnostics = vscode.languages.getDiagnostics(flake);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic?.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic?.message ?? '', /undefined variable 'nixifyUndefinedVariable'/);
    assert.deepEqual(
      [diagnostic?.range.start.line, diagnostic?.range.start.character],
      [brokenLine, indent.length + 'broken = '.length],
    );

    // Fixed by deleting the line again, and saved.
    const edit = new vscode.WorkspaceEdit();
    edit.delete(flake, new vscode.Range(brokenLine, 0, brokenLine + 1, 0));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await (await vscode.workspace.openTextDocument(flake)).save());
    await eventually('the evaluation to succeed again', async () =>
      allNodes(api).some((n) => n.kind === 'item') ? true : undefined,
    );
    await api.derivationTree.whenIdle();
    assert.ok(!allNodes(api).some((n) => n.kind === 'message' && n.label.startsWith('Evaluation failed')));
    assert.deepEqual(vscode.languages.getDiagnostics(flake), []);
    assert.equal(item('web-ui', 'wasm build').item.drvPath, webUi);
  });
});
