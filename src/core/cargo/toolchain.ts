import * as path from 'node:path';
import type { FsCache } from './fsCache';
import { locateKey } from './locate';
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
      problems: channelProblems(trimmed, { file, line: 1, column: 1 }),
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
  const channel = str(section['channel']);
  return {
    toolchain: {
      path: file,
      channel: channel ?? str(section['path']) ?? null,
      components: strings(section['components']) ?? [],
      targets: strings(section['targets']) ?? [],
      profile: str(section['profile']) ?? null,
    },
    problems:
      channel === undefined
        ? []
        : channelProblems(channel, { file, ...locateKey(text, 'toolchain', 'channel') }),
  };
}

// stable, beta, nightly or a release (1.85, 1.85.0, 1.86.0-beta.2), maybe dated and for a host.
const RELEASE_CHANNEL =
  /^(stable|beta|nightly|\d+\.\d+(\.\d+)?(-beta(\.\d+)?)?)(-\d{4}-\d{2}-\d{2})?(-[\w.]+)*$/;

/**
 * Any other name is, for rustup, a custom toolchain linked on this machine (`rustup toolchain
 * link`), which rust-overlay and fenix cannot fetch: the flake would fail to evaluate.
 */
function channelProblems(channel: string, at: Omit<Problem, 'message' | 'severity'>): Problem[] {
  if (RELEASE_CHANNEL.test(channel)) return [];
  return [
    {
      ...at,
      message: `channel \`${channel}\` is no release channel (stable, beta, nightly, 1.x.y, maybe dated): rustup reads it as a custom toolchain linked on this machine, which a flake cannot fetch`,
      severity: 'warning',
    },
  ];
}
