// Running a dev shell's `shellHook` the way `nix develop` does, to learn what it exports.
//
// bash sources the rc script (the shell's variables and functions, then `eval "$shellHook"`) and
// then runs node to write the resulting environment as JSON to a file: whatever the hook prints on
// stdout cannot corrupt it. The script goes in a temporary file and the values travel as argv, never
// through a shell command line; stdin is /dev/null so a hook that reads input does not wait.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeFailure, runProcess } from '../process';
import { outputNamesOf, type BuildEnvironment } from './buildEnvironment';
import { withHookChanges } from './envDelta';
import { DevShellEvaluationError } from './errors';
import { renderRcScript } from './rcScript';
import type { EnvDelta } from './types';
import { isDroppedVariable } from './variables';

/** A hook that sits on a prompt or a network call is stopped rather than left to hang a reload. */
const HOOK_TIMEOUT_MS = 5 * 60_000;

// Positional parameters are copied into unexported variables and cleared, so neither the hook nor
// the dump sees them. ELECTRON_RUN_AS_NODE makes VS Code's own binary behave as node.
const RUNNER = `__nixify_node="$1"; __nixify_dump="$2"; __nixify_rc="$3"; set --
source "$__nixify_rc"
ELECTRON_RUN_AS_NODE=1 "$__nixify_node" -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.env))' "$__nixify_dump"
`;

export function hasShellHook(env: BuildEnvironment): boolean {
  const hook = env.variables['shellHook'];
  return (hook?.type === 'exported' || hook?.type === 'var') && hook.value.trim() !== '';
}

export interface ShellHookOptions {
  folder: string;
  /** The user's environment the hook starts from (as for `nix develop` run in a terminal). */
  baseline: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  onStderrLine?: (line: string) => void;
  /** The program that writes the environment out; VS Code's or the CLI's node by default. */
  nodeBinary?: string;
}

/** `base` (from the shell's variables) plus what the shell's `shellHook` exports, changes and unsets. */
export async function applyShellHook(
  env: BuildEnvironment,
  base: EnvDelta,
  options: ShellHookOptions,
): Promise<EnvDelta> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-shellhook-'));
  try {
    const buildTop = path.join(work, 'build');
    fs.mkdirSync(buildTop);
    const rc = path.join(work, 'rc.sh');
    const runner = path.join(work, 'run.sh');
    const dump = path.join(work, 'env.json');
    fs.writeFileSync(rc, renderRcScript(env, { folder: options.folder, buildTop }));
    fs.writeFileSync(runner, RUNNER);
    const result = await runProcess(
      'bash',
      ['--noprofile', '--norc', runner, options.nodeBinary ?? process.execPath, dump, rc],
      {
        cwd: options.folder,
        env: options.baseline,
        replaceEnv: true,
        timeoutMs: HOOK_TIMEOUT_MS,
        ...(options.signal && { signal: options.signal }),
        ...(options.onStderrLine && { onStderrLine: options.onStderrLine }),
      },
    );
    if (result.cancelled) throw new DevShellEvaluationError('Evaluation cancelled', result.stderr, true);
    const after = readDump(dump);
    if (after === undefined) {
      throw new DevShellEvaluationError(
        `The dev shell's shellHook did not finish: ${describeFailure(result)}`,
        result.stderr,
      );
    }
    const outputNames = outputNamesOf(env);
    return withHookChanges(base, options.baseline, after, (name) => isDroppedVariable(name, outputNames));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function readDump(file: string): Record<string, string> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return undefined; // the hook exited (or exec'd) before the dump ran
  }
}
