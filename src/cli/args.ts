// Command-line parsing for `nixify`, as a pure function so every case is unit-tested.
import { parseArgs } from 'node:util';
import { MAX_MAX_DEPTH, MIN_MAX_DEPTH } from '../detectOptions';

export type CliCommand =
  | { command: 'help' }
  | { command: 'version' }
  | {
      command: 'detect';
      /** As given; undefined means the current directory. */
      dir: string | undefined;
      json: boolean;
      ignoredDirectories: string[];
      /** Undefined leaves the depth to the core's default. */
      maxDepth: number | undefined;
    };

/** Input the CLI cannot work with. The CLI prints the message and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const HELP = `Usage: nixify <command> [options]

Commands:
  detect [DIR]         List the Cargo workspaces under DIR (default: the current directory)

Options for detect:
  --json               Print the detection result as JSON (fields as in \`cargo metadata\`)
  --ignore NAME        Skip directories named NAME while searching (repeatable)
  --max-depth N        Search at most N directory levels below DIR (${MIN_MAX_DEPTH}-${MAX_MAX_DEPTH})

  -h, --help           Show this help
  -V, --version        Show the version

Exit status: 0 when detection ran (even if it reported problems), 2 for unusable input.
`;

export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
        json: { type: 'boolean' },
        ignore: { type: 'string', multiple: true },
        'max-depth': { type: 'string' },
      },
    });
  } catch (error) {
    // parseArgs explains unknown flags and missing values well; keep its words.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return { command: 'help' };
  }
  if (values.version) {
    return { command: 'version' };
  }
  const [command, ...operands] = positionals;
  if (command === undefined) {
    throw new UsageError('missing command (try `nixify detect`)');
  }
  if (command !== 'detect') {
    throw new UsageError(`unknown command '${command}' (try \`nixify detect\`)`);
  }
  if (operands.length > 1) {
    throw new UsageError(`detect takes one directory, got ${operands.length}: ${operands.join(' ')}`);
  }
  const ignoredDirectories = values.ignore ?? [];
  if (ignoredDirectories.some((name) => name.length === 0)) {
    throw new UsageError('--ignore needs a directory name');
  }
  return {
    command: 'detect',
    dir: operands[0],
    json: values.json ?? false,
    ignoredDirectories,
    maxDepth: values['max-depth'] === undefined ? undefined : parseMaxDepth(values['max-depth']),
  };
}

function parseMaxDepth(text: string): number {
  const depth = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(depth) || depth < MIN_MAX_DEPTH || depth > MAX_MAX_DEPTH) {
    throw new UsageError(
      `--max-depth must be a whole number from ${MIN_MAX_DEPTH} to ${MAX_MAX_DEPTH}, got '${text}'`,
    );
  }
  return depth;
}
