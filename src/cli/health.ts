// `nixify health`: the same checks as the editor's "Check Nix Health", for a terminal or CI.
// Running it on purpose is the trust: the flake's nixConfig is read and git is asked.
import * as path from 'node:path';
import { formatHealthReport, runHealthChecks, worstStatus } from '../core/health';
import type { CliCommand } from './args';
import type { CliIo } from './run';

export type HealthCommand = Extract<CliCommand, { command: 'health' }>;

export const EXIT_HEALTH_ERROR = 1;

export async function runHealth(command: HealthCommand, io: CliIo): Promise<number> {
  const dir = path.resolve(io.cwd, command.dir ?? '.');
  const report = await runHealthChecks({
    folders: [dir],
    trusted: true,
    ...(io.env !== undefined && { env: io.env, replaceEnv: true }),
  });
  io.stdout(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatHealthReport(report, io.cwd));
  return worstStatus(report.items) === 'error' ? EXIT_HEALTH_ERROR : 0;
}
