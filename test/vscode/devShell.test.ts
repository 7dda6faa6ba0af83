// Scenario `devshell`: one folder with a Cargo crate (a type error in src/main.rs) and a flake without
// inputs whose dev shells evaluate offline with the machine's real Nix (test/harness/devShellFixture.mjs
// writes it and makes the folder a git repository). The default shell sets a variable, puts a tool's
// bin and the real rust-analyzer (.tools/rust-analyzer) on PATH, and exports a variable from its
// shellHook. Tests run in order: each starts from the state the previous one left.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NixifyApi } from '../../src/api';
import type { ProcessStartEvent } from '../../src/core/process';
import type { RustAnalyzerExtensionApi, RustAnalyzerExtensionPort } from '../../src/devShell/handOff';
import { activeApi, eventually, onlyFolder } from './helpers';
import { environOf, isRunning, processesWhere, rustAnalyzers, shellProcesses } from './procs';
import { terminalSees as terminalEnv } from './terminal';

const VAR = 'NIXIFY_FIXTURE_VAR';
const VALUE = 'hello-from-the-dev-shell';
const HOOK_VAR = 'NIXIFY_HOOK_VAR';
const HOOK_VALUE = 'exported-by-shellHook';
const TOOL_BIN = /\/nix\/store\/[a-z0-9]{32}-nixify-fixture-tool\/bin/;
/** The real rust-analyzer, on PATH only inside the fixture's shell; empty when not installed. */
const RUST_ANALYZER = process.env.NIXIFY_TEST_RUST_ANALYZER ?? '';
/**
 * rust-analyzer's own diagnostic ("expected u32, found &str"), or rustc's through the cargo check the
 * server runs ("expected `u32`, found `&str`"): which one arrives first varies from run to run.
 */
const TYPE_MISMATCH = /expected `?u32`?, found `?&(?:'static )?str`?/;
const NO_RUST_ANALYZER =
  'no rust-analyzer in .tools/rust-analyzer (scripts/setup-test-env.sh installs it with ../shared/tools/install-trixie.sh)';

let api: NixifyApi;
let folder: vscode.WorkspaceFolder;
let root: string;
const started: ProcessStartEvent[] = [];

const toggle = () => vscode.commands.executeCommand('nixify.toggleDevShell', folder.uri);
const reload = () => vscode.commands.executeCommand('nixify.reloadDevShell', folder.uri);
const status = () => {
  const found = api.devShell.status(folder.uri);
  assert.ok(found, 'no dev shell status for the folder');
  return found;
};
const idle = () => api.devShell.whenIdle(folder.uri);
const nixRuns = (events: readonly ProcessStartEvent[]) =>
  events.filter((event) => path.basename(event.file).startsWith('nix'));
const flakePath = () => path.join(root, 'flake.nix');
const devShellSettings = () => vscode.workspace.getConfiguration('nixify.devShell', folder.uri);

async function ensure(on: boolean): Promise<void> {
  if (status().wanted !== on) await toggle();
  await idle();
  assert.equal(status().wanted, on);
}

/** What a NEW integrated terminal of the folder sees: the shell's variable, the hook's export, PATH. */
async function terminalSees(): Promise<{ value: string; hook: string; path: string }> {
  const seen = await terminalEnv(folder, [VAR, HOOK_VAR, 'PATH']);
  return { value: seen[VAR] ?? '', hook: seen[HOOK_VAR] ?? '', path: seen.PATH ?? '' };
}

/** A port that records every call Nixify makes to the rust-analyzer extension. */
function recordingPort(apiExports: RustAnalyzerExtensionApi | undefined) {
  const calls: string[] = [];
  const port: RustAnalyzerExtensionPort = {
    activate: async () => {
      calls.push('activate');
      return apiExports;
    },
    restartServer: async () => {
      calls.push('rust-analyzer.restartServer');
    },
    env: process.env,
  };
  return { port, calls };
}

/**
 * No nix run Nixify started lives on (below the extension host or orphaned), and, with the shell off,
 * no rust-analyzer or the cargo it runs either.
 */
async function assertNoLeftovers(what: string, { shellOff }: { shellOff: boolean }): Promise<void> {
  let last: string[] = [];
  try {
    await eventually(`no leftover processes after ${what}`, async () => {
      const alive = started
        .filter((event) => isRunning(event.pid))
        .map((event) => `${event.pid} ${event.file}`);
      const below = shellProcesses()
        .filter((proc) => shellOff || nixRuns([{ file: proc.argv[0] ?? '' } as ProcessStartEvent]).length > 0)
        .map((proc) => `${proc.pid} ${proc.argv.join(' ').slice(0, 120)}`);
      last = [...alive, ...below];
      return last.length === 0 ? true : undefined;
    });
  } catch (error) {
    throw new Error(`${String(error)}; still running: ${last.join('; ')}`);
  }
}

describe('dev shell (real Nix, real rust-analyzer)', function () {
  this.timeout(120_000);

  before(async () => {
    api = await activeApi();
    await api.devShell.restored;
    folder = onlyFolder();
    root = folder.uri.fsPath;
    api.onProcessStart((event) => started.push(event));
    assert.ok(
      fs.existsSync(path.join(root, '.git')),
      'the harness did not make the fixture a git repository',
    );
  });

  after(async () => {
    api.devShell.useRustAnalyzerExtension(undefined);
    await ensure(false);
  });

  it('starts off and shows that in the status bar (click toggles)', () => {
    const shell = status();
    assert.equal(shell.phase, 'off');
    assert.equal(shell.source?.kind, 'flake');
    const item = api.devShell.statusBar();
    assert.equal(item.visible, true);
    assert.equal(item.text, '$(circle-large-outline) Dev shell');
    assert.equal(item.command, 'nixify.toggleDevShell');
    assert.equal(api.contextKeys()['nixify.devShellActive'], false);
  });

  it('toggle on: a new terminal sees the shell’s variable, its PATH entry and the shellHook’s export', async () => {
    const before = started.length;
    await toggle();
    await idle();
    const shell = status();
    assert.equal(shell.phase, 'on', shell.error);
    assert.ok(shell.applied, 'nothing applied');
    assert.equal(shell.applied.fromCache, false);
    assert.ok(nixRuns(started.slice(before)).length > 0, 'no nix process ran for the first evaluation');
    console.log(`cold evaluation (nix print-dev-env + shellHook): ${shell.applied.env.durationMs} ms`);

    const seen = await terminalSees();
    assert.equal(seen.value, VALUE);
    assert.equal(seen.hook, HOOK_VALUE);
    assert.match(seen.path, TOOL_BIN);
    assert.match(seen.path.split(':')[0] ?? '', TOOL_BIN, 'the shell’s PATH entry is not first');

    const item = api.devShell.statusBar();
    assert.equal(item.text, '$(check) Dev shell');
    assert.match(item.tooltip, /devShells\.x86_64-linux\.default/);
    assert.match(item.tooltip, /\d+ variables added, \d+ PATH entr/);
    assert.match(item.tooltip, /Freshly evaluated in/);
    assert.ok(!item.tooltip.includes(VALUE), 'the tooltip shows a value');
    assert.equal(api.contextKeys()['nixify.devShellActive'], true);
  });

  it('with the shell on and no rust-analyzer extension, Nixify’s language client runs the shell’s rust-analyzer with the shell’s environment, and its diagnostic reaches VS Code', async function () {
    if (RUST_ANALYZER === '') {
      console.log(`pending: ${NO_RUST_ANALYZER}`);
      this.skip();
    }
    assert.equal(vscode.extensions.getExtension('rust-lang.rust-analyzer'), undefined);
    const pid = await eventually('the language server to start', async () =>
      api.devShell.serverPid(folder.uri),
    );
    const environ = environOf(pid);
    assert.equal(environ[VAR], VALUE, 'the server does not have the shell’s variable');
    assert.equal(environ[HOOK_VAR], HOOK_VALUE);
    assert.match(environ.PATH ?? '', TOOL_BIN);
    assert.ok(
      rustAnalyzers().some((proc) => proc.pid === pid),
      `pid ${pid} is not a rust-analyzer below the extension host`,
    );
    assert.equal(fs.realpathSync(`/proc/${pid}/cwd`), fs.realpathSync(root));

    const main = vscode.Uri.file(path.join(root, 'src', 'main.rs'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(main));
    const t0 = performance.now();
    const diagnostic = await eventually(
      'rust-analyzer’s type mismatch diagnostic',
      async () => vscode.languages.getDiagnostics(main).find((d) => TYPE_MISMATCH.test(d.message)),
      90_000,
    ).catch((error: unknown) => {
      const seen = vscode.languages.getDiagnostics(main).map((d) => d.message);
      throw new Error(`${String(error)}; diagnostics of main.rs: ${JSON.stringify(seen)}`);
    });
    console.log(`rust-analyzer’s diagnostic after ${(performance.now() - t0).toFixed(0)} ms`);
    assert.equal(diagnostic.range.start.line, 2);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('toggle off: a new terminal no longer sees the shell, and the server Nixify started is gone', async () => {
    const pid = api.devShell.serverPid(folder.uri);
    await toggle();
    await idle();
    assert.equal(status().phase, 'off');
    assert.equal(status().applied, undefined);
    const seen = await terminalSees();
    assert.equal(seen.value, '');
    assert.equal(seen.hook, '');
    assert.doesNotMatch(seen.path, TOOL_BIN);
    assert.equal(api.devShell.serverPid(folder.uri), undefined);
    if (pid !== undefined) assert.equal(isRunning(pid), false, `rust-analyzer ${pid} still runs`);
    assert.equal(api.contextKeys()['nixify.devShellActive'], false);
    assert.equal(api.devShell.statusBar().text, '$(circle-large-outline) Dev shell');
    await assertNoLeftovers('turning off', { shellOff: true });
  });

  it('cache: re-activation (as on a window reload) applies the cached environment with zero nix processes', async () => {
    await ensure(true);
    const before = started.length;
    const ms = await api.devShell.reactivate();
    await idle();
    const shell = status();
    assert.equal(shell.phase, 'on', shell.error);
    assert.equal(shell.applied?.fromCache, true);
    assert.deepEqual(
      started.slice(before).map((event) => path.basename(event.file)),
      [],
      'processes ran although the files did not change',
    );
    console.log(`warm re-activation from the cache: ${ms.toFixed(1)} ms, 0 nix processes`);
    assert.equal(api.devShell.statusBar().text, '$(check) Dev shell');
    assert.match(api.devShell.statusBar().tooltip, /From the cache/);
    assert.equal((await terminalSees()).value, VALUE);
  });

  it('editing flake.nix marks the shell stale (reloadOnChange off); a reload makes it fresh again', async () => {
    await devShellSettings().update('reloadOnChange', false, vscode.ConfigurationTarget.Workspace);
    const original = fs.readFileSync(flakePath(), 'utf8');
    const key = status().applied?.env.key;
    try {
      fs.writeFileSync(flakePath(), `${original}# edited by the test\n`);
      await eventually('the shell to turn stale', async () =>
        status().phase === 'stale' ? true : undefined,
      );
      assert.equal(status().applied?.env.key, key, 'the environment changed without a reload');
      assert.equal(api.devShell.statusBar().text, '$(history) Dev shell');
      await reload();
      await idle();
      assert.equal(status().phase, 'on', status().error);
      assert.equal(status().applied?.fromCache, false);
      assert.notEqual(status().applied?.env.key, key);
    } finally {
      fs.writeFileSync(flakePath(), original);
      await devShellSettings().update('reloadOnChange', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await eventually('the background reload after restoring flake.nix', async () => {
      await idle();
      return status().phase === 'on' && status().applied?.env.key === key ? true : undefined;
    });
  });

  it('toggling on over a stale cache applies it first, then finds it stale and re-evaluates', async () => {
    await devShellSettings().update('reloadOnChange', false, vscode.ConfigurationTarget.Workspace);
    const original = fs.readFileSync(flakePath(), 'utf8');
    await ensure(true);
    const key = status().applied?.env.key;
    await ensure(false);
    // Every phase the folder goes through, in order.
    const phases: string[] = [];
    const listener = api.devShell.onDidChangeStatus((changed) => {
      if (changed === folder.uri.fsPath) phases.push(status().phase);
    });
    try {
      fs.writeFileSync(flakePath(), `${original}# edited while the shell was off\n`);
      await toggle();
      assert.equal(status().applied?.env.key, key, 'the cached environment is applied as it was');
      assert.equal((await terminalSees()).value, VALUE, 'and terminals get it before any evaluation');
      await idle();
      await eventually('the re-evaluation the toggle asked for', async () => {
        await idle();
        return status().phase === 'on' && status().applied?.env.key !== key ? true : undefined;
      });
      assert.equal(status().applied?.fromCache, false);
      // on (the cache, applied) → stale (the walk found the edit) → loading → on (evaluated).
      assert.deepEqual(phases.slice(0, 3), ['on', 'stale', 'loading'], phases.join(' → '));
    } finally {
      listener.dispose();
      fs.writeFileSync(flakePath(), original);
      await devShellSettings().update('reloadOnChange', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await reload();
    await idle();
    assert.equal(status().phase, 'on', status().error);
  });

  it('a broken flake keeps the last good environment and says why (status error, click opens the log)', async () => {
    const original = fs.readFileSync(flakePath(), 'utf8');
    const good = status().applied?.env.key;
    await devShellSettings().update('reloadOnChange', false, vscode.ConfigurationTarget.Workspace);
    try {
      fs.writeFileSync(
        flakePath(),
        original.replace('outputs = { self }:', 'outputs = { self }: ;; syntax error'),
      );
      await reload();
      await idle();
      const shell = status();
      assert.equal(shell.phase, 'error');
      assert.match(shell.error ?? '', /error/i);
      assert.equal(shell.applied?.env.key, good, 'the last good environment was dropped');
      const item = api.devShell.statusBar();
      assert.equal(item.text, '$(error) Dev shell');
      assert.equal(item.command, 'nixify.showLog');
      assert.match(item.tooltip, /last good environment stays/);
      assert.equal((await terminalSees()).value, VALUE, 'terminals lost the last good environment');
    } finally {
      fs.writeFileSync(flakePath(), original);
      await devShellSettings().update('reloadOnChange', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await reload();
    await idle();
    assert.equal(status().phase, 'on', status().error);
  });

  it('reloadOnChange: a changed shell is re-evaluated in the background and swapped in on success', async () => {
    const original = fs.readFileSync(flakePath(), 'utf8');
    try {
      fs.writeFileSync(
        flakePath(),
        original.replace(`${VAR} = "${VALUE}"`, `${VAR} = "changed-in-the-background"`),
      );
      await eventually(
        'the background re-evaluation',
        async () => (status().applied?.env.delta.set[VAR] === 'changed-in-the-background' ? true : undefined),
        60_000,
      );
      await idle();
      assert.equal(status().phase, 'on');
      assert.equal(status().applied?.fromCache, false);
    } finally {
      fs.writeFileSync(flakePath(), original);
    }
    await eventually(
      'the background re-evaluation of the restored flake',
      async () => (status().applied?.env.delta.set[VAR] === VALUE ? true : undefined),
      60_000,
    );
    await idle();
  });

  it('pick shell: another devShells attribute replaces the default, and back', async () => {
    const picked = await vscode.commands.executeCommand('nixify.pickDevShell', folder.uri, 'other');
    assert.equal(picked, 'other');
    await idle();
    assert.equal(status().phase, 'on', status().error);
    assert.equal(status().applied?.env.source.attr, 'other');
    assert.equal(status().applied?.env.delta.set.NIXIFY_OTHER_VAR, 'from-the-other-shell');
    assert.equal(status().applied?.env.delta.set[VAR], undefined);
    assert.equal(api.devShell.statusBar().text, '$(check) Dev shell: other');
    await vscode.commands.executeCommand('nixify.pickDevShell', folder.uri, 'default');
    await idle();
    assert.equal(status().applied?.env.source.attr, 'default');
    assert.equal(status().applied?.env.delta.set[VAR], VALUE);
  });

  it('cancel: a long evaluation is stopped with its whole process group; the last good environment stays', async () => {
    const good = status().applied?.env.key;
    const before = started.length;
    const sleeping = () => processesWhere((argv) => argv.some((arg) => arg.includes('sleep 120')));
    try {
      const picking = vscode.commands.executeCommand('nixify.pickDevShell', folder.uri, 'slow');
      await eventually('the slow shell’s build to start', async () =>
        sleeping().length > 0 ? true : undefined,
      );
      assert.equal(status().phase, 'loading');
      assert.equal(api.devShell.statusBar().text, '$(sync~spin) Dev shell: slow');
      assert.equal(api.devShell.statusBar().command, 'nixify.cancelDevShellEvaluation');
      assert.equal(await vscode.commands.executeCommand('nixify.cancelDevShellEvaluation', folder.uri), true);
      await picking;
      await idle();
      assert.equal(status().phase, 'on');
      assert.equal(status().applied?.env.key, good);
      assert.ok(nixRuns(started.slice(before)).length > 0, 'no nix process was started');
      await eventually('the slow build to be gone', async () => (sleeping().length === 0 ? true : undefined));
      await assertNoLeftovers('cancelling', { shellOff: false });
    } finally {
      await devShellSettings().update('attribute', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await eventually('the default shell again', async () => {
      await idle();
      return status().applied?.env.source.attr === 'default' && status().phase === 'on' ? true : undefined;
    });
  });

  it('show environment: names and values in a read-only document, only on request', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>(
      'nixify.showDevShellEnvironment',
      folder.uri,
    );
    assert.ok(uri, 'no document was opened');
    assert.equal(uri.scheme, 'nixify-devshell');
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    assert.ok(document);
    assert.match(document.getText(), new RegExp(`^export ${VAR}='${VALUE}'$`, 'm'));
    assert.match(document.getText(), /^export PATH='.*nixify-fixture-tool\/bin.*'"\$\{PATH:\+:\$PATH\}"$/m);
    // A content provider's documents have no file system to save to: read-only in the editor.
    assert.notEqual(vscode.workspace.fs.isWritableFileSystem('nixify-devshell'), true);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('hand-off to a rust-analyzer extension without addConfiguration: nothing handed over, process.env untouched, no restart', async () => {
    await ensure(false);
    const { port, calls } = recordingPort({});
    api.devShell.useRustAnalyzerExtension(port);
    const envBefore = { ...process.env };
    try {
      await toggle();
      await idle();
      assert.deepEqual(calls, ['activate']);
      assert.deepEqual({ ...process.env }, envBefore, 'process.env changed');
      assert.equal(api.devShell.serverPid(folder.uri), undefined, 'Nixify started its own server too');
      // Terminals still get the shell.
      assert.equal((await terminalSees()).value, VALUE);
      calls.length = 0;
      await toggle();
      await idle();
      assert.deepEqual(calls, [], 'nothing was handed over, so nothing is taken back');
    } finally {
      api.devShell.useRustAnalyzerExtension(undefined);
    }
  });

  it('hand-off to the rust-analyzer extension through its addConfiguration API: extraEnv + server.path, process.env untouched', async () => {
    await ensure(false);
    const configurations: [string, Record<string, unknown>][] = [];
    const { port, calls } = recordingPort({
      addConfiguration: async (id, configuration) => {
        configurations.push([id, configuration]);
      },
    });
    api.devShell.useRustAnalyzerExtension(port);
    const envBefore = { ...process.env };
    try {
      await toggle();
      await idle();
      assert.deepEqual(calls, ['activate', 'rust-analyzer.restartServer']);
      assert.deepEqual({ ...process.env }, envBefore);
      const [id, configuration] = configurations[0] ?? [];
      assert.equal(id, 'nixify.nixify');
      const extraEnv = configuration?.['server.extraEnv'] as Record<string, string> | undefined;
      assert.equal(extraEnv?.[VAR], VALUE);
      assert.match(extraEnv?.PATH ?? '', TOOL_BIN);
      assert.deepEqual(configuration?.['cargo.extraEnv'], extraEnv);
      assert.equal(configuration?.['server.path'], RUST_ANALYZER === '' ? undefined : RUST_ANALYZER);
      await toggle();
      await idle();
      assert.deepEqual(configurations[1], ['nixify.nixify', {}]);
    } finally {
      api.devShell.useRustAnalyzerExtension(undefined);
    }
  });

  it('with the shell handed to rust-analyzer, a derivation evaluation started afterwards does not see the shell’s variables', async () => {
    await ensure(false);
    const { port } = recordingPort({ addConfiguration: async () => undefined });
    api.devShell.useRustAnalyzerExtension(port);
    const environs: Record<string, string>[] = [];
    // Read while the process runs: the start event deliberately carries no environment.
    const listening = api.onProcessStart((event) => {
      if (path.basename(event.file) !== 'nix') return;
      try {
        environs.push(environOf(event.pid));
      } catch {
        // Already gone: nothing to read.
      }
    });
    try {
      await toggle();
      await idle();
      assert.equal(status().wanted, true);
      await api.derivationTree.refresh('test: after a hand-off');
      assert.ok(environs.length > 0, 'the refresh started no nix process that could be read');
      for (const environ of environs) {
        assert.equal(environ[VAR], undefined, 'a nix process inherited the dev shell’s variable');
        assert.doesNotMatch(environ.PATH ?? '', TOOL_BIN, 'a nix process inherited the dev shell’s PATH');
      }
    } finally {
      listening.dispose();
      api.devShell.useRustAnalyzerExtension(undefined);
      await ensure(false);
    }
  });

  it('the log names variables and counts them, and never holds a value', async () => {
    // The harness points TMPDIR into the run folder, whose user-data holds the extension host's logs.
    const logs = path.join(path.dirname(os.tmpdir()), 'user-data', 'logs');
    const nixifyLogs = () =>
      fs
        .readdirSync(logs, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith(path.join('nixify.nixify', 'Nixify.log')))
        .map((file) => fs.readFileSync(path.join(logs, file), 'utf8'))
        .join('\n');
    const text = await eventually('the log to hold the dev shell lines', async () => {
      const all = nixifyLogs();
      return /dev shell devShells\.x86_64-linux\.default of .* on: \d+ variables, \d+ PATH entries/.test(all)
        ? all
        : undefined;
    });
    for (const value of [VALUE, HOOK_VALUE, 'changed-in-the-background', 'from-the-other-shell']) {
      assert.ok(!text.includes(value), `the log holds the value ${value}`);
    }
  });

  it('rapid toggling (50 times) ends in one consistent state with no orphan nix or rust-analyzer processes', async function () {
    this.timeout(240_000);
    await ensure(false);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 50 }, () => toggle()));
    await idle();
    console.log(`50 toggles settled in ${(performance.now() - t0).toFixed(0)} ms`);
    let shell = status();
    assert.equal(shell.wanted, false);
    assert.equal(shell.phase, 'off');
    assert.equal(shell.applied, undefined);
    assert.equal(api.devShell.serverPid(folder.uri), undefined);
    assert.equal(api.contextKeys()['nixify.devShellActive'], false);
    await assertNoLeftovers('50 toggles', { shellOff: true });
    assert.equal((await terminalSees()).value, '');

    // An odd count ends on: exactly one server, with the shell's environment.
    await Promise.all(Array.from({ length: 25 }, () => toggle()));
    await idle();
    shell = status();
    assert.equal(shell.wanted, true);
    assert.equal(shell.phase, 'on', shell.error);
    assert.equal((await terminalSees()).value, VALUE);
    if (RUST_ANALYZER !== '') {
      const pid = api.devShell.serverPid(folder.uri);
      assert.ok(pid !== undefined, 'no server after an odd number of toggles');
      assert.deepEqual(
        rustAnalyzers().map((proc) => proc.pid),
        [pid],
        'not exactly one rust-analyzer below the extension host',
      );
      assert.equal(environOf(pid)[VAR], VALUE);
    }
    await ensure(false);
    await assertNoLeftovers('the last toggle', { shellOff: true });
  });
});
