import type { DetectOptions } from './core/cargo';

// Mirrors the bounds of `nixify.detect.maxDepth` in package.json; the CLI checks `--max-depth` against them.
export const MIN_MAX_DEPTH = 1;
export const MAX_MAX_DEPTH = 64;
export const DEFAULT_MAX_DEPTH = 8;

/**
 * Turns raw setting values into detection options. settings.json is hand-edited, so the values can
 * be of any type; a bad value falls back to the default rather than breaking detection.
 */
export function toDetectOptions(raw: { ignoredDirectories: unknown; maxDepth: unknown }): DetectOptions {
  const ignoredDirectories = Array.isArray(raw.ignoredDirectories)
    ? raw.ignoredDirectories.filter((name): name is string => typeof name === 'string' && name.length > 0)
    : [];
  const maxDepth =
    typeof raw.maxDepth === 'number' && Number.isInteger(raw.maxDepth)
      ? Math.min(MAX_MAX_DEPTH, Math.max(MIN_MAX_DEPTH, raw.maxDepth))
      : DEFAULT_MAX_DEPTH;
  return { ignoredDirectories, maxDepth };
}
