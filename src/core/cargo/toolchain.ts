import * as path from 'node:path';
import type { FsCache } from './fsCache';
import { parseToml, str, strings, table } from './toml';
import type { Problem, ToolchainFile } from './types';

/**
 * The toolchain file rustup would use in `dir`: it looks in the directory and then its parents,
 * and where both `rust-toolchain` and `rust-toolchain.toml` sit side by side the legacy name wins.
 */
export function findToolchainFile(
  dir: string,
  fsCache: FsCache,
): { toolchain: ToolchainFile | null; problems: Problem[] } {
  for (let current = dir; ; current = path.dirname(current)) {
    const legacy = path.join(current, 'rust-toolchain');
    const modern = path.join(current, 'rust-toolchain.toml');
    const hasLegacy = fsCache.isFile(legacy);
    const hasModern = fsCache.isFile(modern);
    if (hasLegacy || hasModern) {
      const file = hasLegacy ? legacy : modern;
      const result = parseToolchain(fsCache.readText(file) ?? '', file);
      if (hasLegacy && hasModern) {
        result.problems.push({
          file: modern,
          line: 1,
          column: 1,
          message: `both \`rust-toolchain\` and \`rust-toolchain.toml\` exist; rustup uses \`${legacy}\``,
          severity: 'warning',
        });
      }
      return result;
    }
    if (path.dirname(current) === current) return { toolchain: null, problems: [] };
  }
}

export function parseToolchain(
  text: string,
  file: string,
): { toolchain: ToolchainFile | null; problems: Problem[] } {
  const trimmed = text.trim();
  // The legacy file may hold just a channel name on one line.
  if (trimmed !== '' && !trimmed.includes('\n') && !trimmed.includes('[') && !trimmed.includes('=')) {
    return {
      toolchain: { path: file, channel: trimmed, components: [], targets: [], profile: null },
      problems: [],
    };
  }
  const parsed = parseToml(text, file);
  if (!parsed.ok) return { toolchain: null, problems: [parsed.problem] };
  const section = table(parsed.value['toolchain']);
  if (!section) {
    return {
      toolchain: null,
      problems: [{ file, line: 1, column: 1, message: 'missing `[toolchain]` table', severity: 'error' }],
    };
  }
  return {
    toolchain: {
      path: file,
      channel: str(section['channel']) ?? str(section['path']) ?? null,
      components: strings(section['components']) ?? [],
      targets: strings(section['targets']) ?? [],
      profile: str(section['profile']) ?? null,
    },
    problems: [],
  };
}
