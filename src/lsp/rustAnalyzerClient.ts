// The dev shell's own rust-analyzer, run by Nixify when the rust-analyzer extension is not installed:
// one vscode-languageclient client per workspace folder, started from the shell's binary with the
// shell's environment, and stopped (process included) when the shell is turned off.
import type { ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Log } from '../log';

export interface ShellRustAnalyzerOptions {
  folder: vscode.WorkspaceFolder;
  /** Absolute path of the shell's rust-analyzer. */
  command: string;
  /** The server's whole environment (the extension host's with the shell's delta applied). */
  env: Record<string, string>;
  outputChannel: vscode.LogOutputChannel;
  log: Log;
}

// How long a server gets to answer `shutdown`/`exit` before its process is killed.
const SHUTDOWN_TIMEOUT_MS = 2000;
const EXIT_WAIT_MS = 3000;

export class ShellRustAnalyzerClient {
  private constructor(
    private readonly client: LanguageClient,
    private readonly process: ChildProcess | undefined,
    private readonly log: Log,
    readonly folder: vscode.WorkspaceFolder,
  ) {}

  /** Starts the server and waits for its `initialize` answer; rejects when it cannot start. */
  static async start(options: ShellRustAnalyzerOptions): Promise<ShellRustAnalyzerClient> {
    const { folder } = options;
    const serverOptions: ServerOptions = {
      command: options.command,
      args: [],
      // Spawned with exactly this environment (the client merges nothing into an Executable's).
      options: { cwd: folder.uri.fsPath, env: options.env },
    };
    const clientOptions: LanguageClientOptions = {
      // Only this folder's files: each folder of a multi-root workspace has its own shell.
      documentSelector: [
        { scheme: 'file', language: 'rust', pattern: `${globEscape(folder.uri.fsPath)}/**/*.rs` },
      ],
      workspaceFolder: folder,
      // The user's `rust-analyzer.*` settings, as the rust-analyzer extension would pass them; later
      // `workspace/configuration` requests for that section are answered from the same settings.
      initializationOptions: plainSettings(vscode.workspace.getConfiguration('rust-analyzer', folder.uri)),
      outputChannel: options.outputChannel,
      diagnosticCollectionName: 'rust-analyzer (Nixify)',
    };
    const client = new LanguageClient(
      'nixify.rustAnalyzer',
      `rust-analyzer (dev shell of ${folder.name})`,
      serverOptions,
      clientOptions,
    );
    try {
      await client.start();
    } catch (error) {
      const process = client.serverProcess;
      await client.dispose(SHUTDOWN_TIMEOUT_MS).catch(() => undefined);
      await ensureExited(process);
      throw error;
    }
    const started = new ShellRustAnalyzerClient(client, client.serverProcess, options.log, folder);
    options.log.info(
      `started the dev shell's rust-analyzer for ${folder.uri.fsPath} (pid ${started.pid ?? '?'})`,
    );
    return started;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** Stops the client and makes sure the server process is gone. */
  async stop(): Promise<void> {
    try {
      await this.client.dispose(SHUTDOWN_TIMEOUT_MS);
    } catch (error) {
      this.log.warn(`rust-analyzer of ${this.folder.uri.fsPath} did not stop cleanly:`, error);
    }
    await ensureExited(this.process);
    this.log.info(`stopped the dev shell's rust-analyzer for ${this.folder.uri.fsPath}`);
  }
}

/** Waits for `child` to exit, killing it when it does not within `EXIT_WAIT_MS`. */
async function ensureExited(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), EXIT_WAIT_MS)),
  );
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

function plainSettings(configuration: vscode.WorkspaceConfiguration): unknown {
  // Drops the accessor methods; keeps what settings.json says (registered or not).
  return JSON.parse(JSON.stringify(configuration)) as unknown;
}

// Characters that glob patterns treat specially; a folder path must match itself literally.
function globEscape(path: string): string {
  return path.replace(/[*?[\]{}!]/g, '[$&]');
}
