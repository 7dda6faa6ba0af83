// rust-analyzer follows each folder's dev shell: handed to the rust-analyzer extension when it is
// installed, otherwise run by Nixify itself from the shell.
import * as vscode from 'vscode';
import { applyEnvDelta } from '../core/devenv';
import type { DevShellEnv } from '../core/devenv/types';
import type { Log } from '../log';
import { ShellRustAnalyzerClient } from '../lsp/rustAnalyzerClient';
import {
  RUST_ANALYZER_EXTENSION_ID,
  RustAnalyzerHandOff,
  type RustAnalyzerExtensionApi,
  type RustAnalyzerExtensionPort,
} from './handOff';
import { Reconciler } from './reconciler';
import { findExecutable } from './summary';

/** What one folder's rust-analyzer should run with (`env` undefined: nothing of ours). */
interface ServerState {
  /** Identity for the reconciler: environment, settings and which path (extension or own). */
  key: string;
  env?: DevShellEnv;
  useShellServer: boolean;
  client?: ShellRustAnalyzerClient;
  handedOff?: boolean;
}

const NONE: ServerState = { key: 'none', useShellServer: false };

/**
 * The extension's lifetime: the hand-off to the rust-analyzer extension (one for all folders), the
 * output channel of the servers Nixify starts, and the test stand-in for that extension. Each
 * folder's server is a `FolderRustAnalyzer`, owned by the folder's session.
 */
export class RustAnalyzerService implements vscode.Disposable {
  private readonly handOff: RustAnalyzerHandOff;
  private outputChannel: vscode.LogOutputChannel | undefined;
  /** Said once per session: the installed rust-analyzer extension cannot take a shell. */
  private warnedUnsupported = false;
  /** Set by the tests (see `NixifyApi.devShell`): stands in for the rust-analyzer extension. */
  private testPort: RustAnalyzerExtensionPort | undefined;

  constructor(private readonly log: Log) {
    this.handOff = new RustAnalyzerHandOff(() => this.port(), {
      info: (message) => log.info(message),
      warn: (message) => log.warn(message),
    });
  }

  /** The rust-analyzer of one folder, for its session to own. */
  forFolder(folder: vscode.WorkspaceFolder): FolderRustAnalyzer {
    return new FolderRustAnalyzer(folder, {
      step: (wanted, current) => this.step(folder, wanted, current),
      hasExtension: () => this.port() !== undefined,
      onError: (error) => this.log.error(`rust-analyzer for ${folder.uri.fsPath}:`, error),
    });
  }

  useExtensionPortForTests(port: RustAnalyzerExtensionPort | undefined): void {
    this.testPort = port;
  }

  /** One reconciler step of `folder`'s server, from `current` to `wanted`. */
  private async step(
    folder: vscode.WorkspaceFolder,
    wanted: ServerState,
    current: ServerState,
  ): Promise<ServerState> {
    const root = folder.uri.fsPath;
    if (current.client !== undefined) await current.client.stop();
    const port = wanted.env !== undefined ? this.port() : undefined;
    // Handing over again replaces the previous hand-off: one restart of their server instead of two.
    if (current.handedOff && port === undefined) await this.handOff.remove(root);
    if (wanted.env === undefined) return NONE;

    const { delta } = wanted.env;
    const shellServer = findExecutable('rust-analyzer', delta.prepend.PATH);
    if (port !== undefined) {
      const result = await this.handOff.apply({
        folder: root,
        delta,
        serverPath: wanted.useShellServer ? shellServer : undefined,
      });
      if (result === 'unsupported') this.warnUnsupported();
      return { ...wanted, handedOff: result === 'handed' };
    }
    if (!wanted.useShellServer) {
      this.log.info('nixify.devShell.useShellRustAnalyzer is off: Nixify starts no rust-analyzer');
      return wanted;
    }
    if (shellServer === undefined) {
      this.log.info(`the dev shell of ${root} has no rust-analyzer on its PATH: none started`);
      return wanted;
    }
    try {
      const client = await ShellRustAnalyzerClient.start({
        folder,
        command: shellServer,
        env: applyEnvDelta(process.env, delta),
        outputChannel: this.channel(),
        log: this.log,
      });
      return { ...wanted, client };
    } catch (error) {
      this.log.error(`the dev shell's rust-analyzer (${shellServer}) did not start:`, error);
      return wanted;
    }
  }

  private port(): RustAnalyzerExtensionPort | undefined {
    return this.testPort ?? installedExtensionPort();
  }

  private warnUnsupported(): void {
    if (this.warnedUnsupported) return;
    this.warnedUnsupported = true;
    const show = 'Show rust-analyzer';
    void vscode.window
      .showWarningMessage(
        'The installed rust-analyzer extension cannot take the dev shell’s environment (it has no addConfiguration API): terminals have the shell, rust-analyzer does not. Update rust-analyzer.',
        show,
      )
      .then((choice) => {
        if (choice === show)
          void vscode.commands.executeCommand('extension.open', RUST_ANALYZER_EXTENSION_ID);
      });
  }

  private channel(): vscode.LogOutputChannel {
    this.outputChannel ??= vscode.window.createOutputChannel('Nixify: rust-analyzer', { log: true });
    return this.outputChannel;
  }

  dispose(): void {
    this.outputChannel?.dispose();
  }
}

/**
 * One folder's rust-analyzer: the shell's server Nixify runs, or the hand-off to the extension.
 * A `Reconciler` drives it, so quick toggles and reloads coalesce into few server starts and stops.
 */
export class FolderRustAnalyzer {
  private readonly reconciler: Reconciler<ServerState>;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly service: {
      step(wanted: ServerState, current: ServerState): Promise<ServerState>;
      /** Whether the rust-analyzer extension (or the tests' stand-in) is there. */
      hasExtension(): boolean;
      onError(error: unknown): void;
    },
  ) {
    this.reconciler = new Reconciler<ServerState>(
      (wanted, current) => service.step(wanted, current),
      NONE,
      (a, b) => a.key === b.key,
      (error) => service.onError(error),
    );
  }

  /** Runs `env`'s rust-analyzer, or stops ours when `env` is undefined. */
  set(env: DevShellEnv | undefined, useShellServer: boolean): Promise<void> {
    const mode = this.service.hasExtension() ? 'extension' : 'own';
    const wanted: ServerState =
      env === undefined ? NONE : { key: `${env.key}|${mode}|${useShellServer}`, env, useShellServer };
    return this.reconciler.set(wanted);
  }

  settled(): Promise<void> {
    return this.reconciler.settled();
  }

  /** The pid of the server Nixify started, if one runs. */
  get serverPid(): number | undefined {
    return this.reconciler.state.client?.pid;
  }

  /** Stops the server (or takes the hand-off back): the folder's session ends. */
  stop(): Promise<void> {
    return this.reconciler.set(NONE);
  }
}

/** The installed rust-analyzer extension, reached through VS Code; undefined when not installed. */
function installedExtensionPort(): RustAnalyzerExtensionPort | undefined {
  const extension = vscode.extensions.getExtension<unknown>(RUST_ANALYZER_EXTENSION_ID);
  if (extension === undefined) return undefined;
  return {
    activate: async () => {
      const exports: unknown = await extension.activate();
      return typeof exports === 'object' && exports !== null
        ? (exports as RustAnalyzerExtensionApi)
        : undefined;
    },
    restartServer: async () => {
      await vscode.commands.executeCommand('rust-analyzer.restartServer');
    },
    env: process.env,
  };
}
