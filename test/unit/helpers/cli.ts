import { runCli } from '../../../src/cli/run';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** One `nixify` invocation through runCli, its output captured; `env` is the environment Nix would get. */
export async function runNixify(
  argv: readonly string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, {
    cwd,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    ...(env === undefined ? {} : { env }),
  });
  return { status, stdout, stderr };
}
