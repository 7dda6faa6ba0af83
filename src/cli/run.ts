import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectWorkspaces } from '../core/cargo';
import { allProblems } from '../describe';
import { HELP, InputError, parseCliArgs, UsageError, type CliCommand } from './args';
import { formatDetectResult } from './format';
import { runInit } from './init';
import { runEnv } from './env';
import { runHealth } from './health';
import { runStatus } from './status';
import { packageVersion } from './version';

export interface CliIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The whole environment for the programs run (nix); default: this process's. */
  env?: NodeJS.ProcessEnv;
}

export const EXIT_OK = 0;
/** The command ran but its input (or Nix) has errors, each printed; see the README's exit status table. */
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

/**
 * Runs one invocation and returns its exit status; all output goes through `io`. Commands that ask
 * Nix (status) return a promise of it.
 */
export function runCli(argv: readonly string[], io: CliIo): number | Promise<number> {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    return reportFailure(error, io);
  }
  switch (command.command) {
    case 'help':
      io.stdout(HELP);
      return EXIT_OK;
    case 'version':
      io.stdout(`${packageVersion()}\n`);
      return EXIT_OK;
    case 'detect': {
      const dir = path.resolve(io.cwd, command.dir ?? '.');
      const problem = unusableDirectory(dir);
      if (problem) {
        return reportFailure(new UsageError(problem), io);
      }
      const result = detectWorkspaces(dir, {
        ignoredDirectories: command.ignoredDirectories,
        ...(command.maxDepth === undefined ? {} : { maxDepth: command.maxDepth }),
      });
      io.stdout(command.json ? `${JSON.stringify(result, null, 2)}\n` : formatDetectResult(result, io.cwd));
      // Like a compiler: the listing is complete either way, the status says whether it holds errors.
      return allProblems(result).some((p) => p.severity === 'error') ? EXIT_ERRORS : EXIT_OK;
    }
    case 'init': {
      const problem = unusableDirectory(path.resolve(io.cwd, command.dir ?? '.'));
      if (problem) {
        return reportFailure(new UsageError(problem), io);
      }
      try {
        return runInit(command, io);
      } catch (error) {
        return reportFailure(error, io);
      }
    }
    case 'status': {
      const problem = unusableDirectory(path.resolve(io.cwd, command.dir ?? '.'));
      if (problem) {
        return reportFailure(new UsageError(problem), io);
      }
      return runStatus(command, io).catch((error: unknown) => reportFailure(error, io));
    }
    case 'env': {
      const problem = unusableDirectory(path.resolve(io.cwd, command.dir ?? '.'));
      if (problem) {
        return reportFailure(new UsageError(problem), io);
      }
      return runEnv(command, io).catch((error: unknown) => reportFailure(error, io));
    }
    case 'health': {
      const problem = unusableDirectory(path.resolve(io.cwd, command.dir ?? '.'));
      if (problem) {
        return reportFailure(new UsageError(problem), io);
      }
      return runHealth(command, io);
    }
  }
}

function unusableDirectory(dir: string): string | undefined {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `no such directory: ${dir}` : `cannot read ${dir}: ${code ?? String(error)}`;
  }
  return stats.isDirectory() ? undefined : `not a directory: ${dir}`;
}

function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof InputError) {
    io.stderr(`nixify: ${error.message}\n`);
    return EXIT_ERRORS;
  }
  if (!(error instanceof UsageError)) {
    throw error;
  }
  io.stderr(`nixify: ${error.message}\nRun 'nixify --help' for usage.\n`);
  return EXIT_USAGE;
}
