// Which store paths the local store lacks. `nix-store --check-validity --print-invalid` answers for
// any number of paths in one run and is the fastest batch query (testing.md §2: 0.02 s for 200).
import { runNixTool, type NixRunOptions } from './invoke';

// Stays well below the kernel's argument-size limit (ARG_MAX, commonly 2 MiB) per run.
const MAX_ARGS_BYTES = 256 * 1024;

/** The subset of `storePaths` that is not valid in the local store. */
export async function invalidPaths(
  storePaths: readonly string[],
  options: NixRunOptions = {},
): Promise<Set<string>> {
  const unique = [...new Set(storePaths)];
  const runs = chunks(unique, MAX_ARGS_BYTES).map((chunk) =>
    runNixTool('nix-store', ['--check-validity', '--print-invalid', ...chunk], options),
  );
  const invalid = new Set<string>();
  for (const stdout of await Promise.all(runs)) {
    for (const line of stdout.split('\n')) if (line !== '') invalid.add(line);
  }
  return invalid;
}

function chunks(paths: readonly string[], maxBytes: number): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const p of paths) {
    if (current.length > 0 && bytes + p.length + 1 > maxBytes) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += p.length + 1;
  }
  if (current.length > 0) result.push(current);
  return result;
}
