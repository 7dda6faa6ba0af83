// Scenario `nix-errors`: one folder with a flake without inputs (test/harness/nixErrorsFixture.mjs
// makes it a git repository) whose default dev shell reads nix/settings.nix. The suites break it and
// mend it; Nix's errors, from the machine's real Nix, must show in Problems (source "nix") at the
// place Nix names, mapped from its store copy back to the folder, and go once an evaluation succeeds.
// Tests run in order: each starts from the state the previous one left.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NixifyApi } from '../../src/api';
import { activeApi, eventually, onlyFolder } from './helpers';
import { processesWhere } from './procs';

let api: NixifyApi;
let folder: vscode.WorkspaceFolder;
let root: string;
let flake: string;
let settings: string;
let goodFlake: string;
let goodSettings: string;

const reload = () => vscode.commands.executeCommand('nixify.reloadDevShell', folder.uri);
const idle = () => api.devShell.whenIdle(folder.uri);
const status = () => {
  const found = api.devShell.status(folder.uri);
  assert.ok(found, 'no dev shell status for the folder');
  return found;
};
/** Nix's diagnostics of one file, or of every file. */
const nixDiagnostics = (file?: string) =>
  (file === undefined
    ? vscode.languages.getDiagnostics().flatMap(([, list]) => list)
    : vscode.languages.getDiagnostics(vscode.Uri.file(file))
  ).filter((d) => d.source === 'nix');
const describeAll = () =>
  JSON.stringify(
    vscode.languages
      .getDiagnostics()
      .flatMap(([uri, list]) =>
        list.map(
          (d) => `${uri.fsPath}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`,
        ),
      ),
  );
/** 1-based line and column of `needle`'s first occurrence in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `${needle} is not in the text`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

describe('Nix evaluation errors in Problems (real Nix)', function () {
  this.timeout(120_000);

  before(async () => {
    api = await activeApi();
    await api.devShell.restored;
    folder = onlyFolder();
    root = folder.uri.fsPath;
    flake = path.join(root, 'flake.nix');
    settings = path.join(root, 'nix', 'settings.nix');
    goodFlake = fs.readFileSync(flake, 'utf8');
    goodSettings = fs.readFileSync(settings, 'utf8');
    assert.ok(
      fs.existsSync(path.join(root, '.git')),
      'the harness did not make the fixture a git repository',
    );
  });

  afterEach(() => {
    fs.writeFileSync(flake, goodFlake);
    fs.writeFileSync(settings, goodSettings);
  });

  it('a good flake: the dev shell turns on and Nix reports nothing', async () => {
    await vscode.commands.executeCommand('nixify.toggleDevShell', folder.uri);
    await idle();
    assert.equal(status().phase, 'on', status().error);
    assert.deepEqual(nixDiagnostics(), []);
  });

  it('a syntax error in flake.nix: after a reload, a diagnostic at exactly its line and column with Nix’s message', async () => {
    // Without the `;`, Nix meets `in` where it expects one.
    const broken = goodFlake.replace('} // extra);', '} // extra)');
    assert.notEqual(broken, goodFlake);
    fs.writeFileSync(flake, broken);
    const inLine = positionOf(broken, '    in {').line;
    await reload();
    await idle();
    assert.equal(status().phase, 'error');
    const [diagnostic, ...more] = await eventually('the diagnostic in flake.nix', async () => {
      const found = nixDiagnostics(flake);
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(more, [], describeAll());
    assert.ok(diagnostic);
    // The range covers the `in`, indented by 4.
    assert.deepEqual(
      [diagnostic.range.start.line + 1, diagnostic.range.start.character + 1],
      [inLine, 5],
      describeAll(),
    );
    assert.deepEqual([diagnostic.range.end.line + 1, diagnostic.range.end.character + 1], [inLine, 7]);
    assert.match(diagnostic.message, /^syntax error, unexpected IN(_KW)?, expecting ';'$/);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(nixDiagnostics().length, 1, describeAll());
  });

  it('fixed: a reload clears the diagnostic and the dev shell is on again', async () => {
    assert.equal(nixDiagnostics(flake).length, 1, 'the previous test left no diagnostic');
    fs.writeFileSync(flake, goodFlake);
    await reload();
    await idle();
    assert.equal(status().phase, 'on', status().error);
    assert.equal(status().applied?.env.delta.set['NIXIFY_GREETING'], 'hello');
    assert.deepEqual(nixDiagnostics(), [], describeAll());
  });

  it('an undefined variable in nix/settings.nix, which flake.nix imports, is reported in that file', async () => {
    const broken = goodSettings.replace('"hello"', 'greetingText');
    fs.writeFileSync(settings, broken);
    const at = positionOf(broken, 'greetingText');
    await reload();
    await idle();
    assert.equal(status().phase, 'error');
    const [diagnostic] = await eventually('the diagnostic in nix/settings.nix', async () => {
      const found = nixDiagnostics(settings);
      return found.length > 0 ? found : undefined;
    });
    assert.ok(diagnostic);
    assert.equal(diagnostic.message, "undefined variable 'greetingText'");
    assert.deepEqual(
      [
        diagnostic.range.start.line + 1,
        diagnostic.range.start.character + 1,
        diagnostic.range.end.character + 1,
      ],
      [at.line, at.column, at.column + 'greetingText'.length],
    );
    assert.deepEqual(nixDiagnostics(flake), [], describeAll());
  });

  it('the Derivations view reports its own evaluation’s error; each clears only its own', async () => {
    fs.writeFileSync(settings, goodSettings.replace('"hello"', 'greetingText'));
    await api.derivationTree.refresh('test: broken settings');
    // The same error from the dev shell and the view shows once.
    assert.equal(nixDiagnostics(settings).length, 1, describeAll());
    fs.writeFileSync(settings, goodSettings);
    await reload();
    await idle();
    assert.equal(status().phase, 'on', status().error);
    assert.equal(nixDiagnostics(settings).length, 1, 'the view’s error went with the dev shell’s');
    await api.derivationTree.refresh('test: mended settings');
    assert.deepEqual(nixDiagnostics(), [], describeAll());
  });

  it('a cancelled evaluation adds no diagnostic', async () => {
    const sleeping = () => processesWhere((argv) => argv.some((arg) => arg.includes('sleep 120')));
    try {
      const picking = vscode.commands.executeCommand('nixify.pickDevShell', folder.uri, 'slow');
      await eventually('the slow shell’s build to start', async () =>
        sleeping().length > 0 ? true : undefined,
      );
      assert.equal(await vscode.commands.executeCommand('nixify.cancelDevShellEvaluation', folder.uri), true);
      await picking;
      await idle();
      assert.equal(status().phase, 'on');
      assert.deepEqual(nixDiagnostics(), [], describeAll());
      await eventually('the slow build to be gone', async () => (sleeping().length === 0 ? true : undefined));
    } finally {
      await vscode.workspace
        .getConfiguration('nixify.devShell', folder.uri)
        .update('attribute', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await eventually('the default shell again', async () => {
      await idle();
      return status().applied?.env.source.attr === 'default' && status().phase === 'on' ? true : undefined;
    });
  });

  it('a syntax error typed into an open .nix file shows as you type, unsaved, and goes when mended or closed', async () => {
    const doc = await vscode.workspace.openTextDocument(settings);
    const editor = await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'nix', 'Nixify contributes the nix language');
    const original = doc.getText();
    const edit = async (from: string, to: string) => {
      const at = doc.getText().indexOf(from);
      assert.ok(at >= 0, `${from} is not in the buffer`);
      const range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length));
      assert.ok(await editor.edit((builder) => builder.replace(range, to)));
    };
    try {
      await edit('"hello"', '"hello" = oops');
      const expected = positionOf(doc.getText(), '= oops');
      const [diagnostic] = await eventually('the syntax error in Problems', async () => {
        const found = nixDiagnostics(settings);
        return found.length > 0 ? found : undefined;
      });
      assert.ok(doc.isDirty, 'reported before any save');
      assert.match(diagnostic?.message ?? '', /syntax error, unexpected '='/);
      assert.deepEqual(
        [diagnostic?.range.start.line, diagnostic?.range.start.character],
        [expected.line - 1, expected.column - 1],
      );
      await edit(' = oops', '');
      await eventually('the mended buffer to clear it', async () =>
        nixDiagnostics(settings).length === 0 ? true : undefined,
      );
      await edit('"hello"', '"hello" = again');
      await eventually('the error again', async () =>
        nixDiagnostics(settings).length > 0 ? true : undefined,
      );
    } finally {
      await edit(doc.getText(), original).catch(() => undefined);
      await doc.save();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    await eventually('nothing once the buffer is mended and closed', async () =>
      nixDiagnostics(settings).length === 0 ? true : undefined,
    );
  });
});
