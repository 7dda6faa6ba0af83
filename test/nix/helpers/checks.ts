// Assertions shared by the nix tier's suites.
import * as assert from 'node:assert/strict';
import type { DrvInfo } from './flake';

/** The words of crane's `cargoExtraArgs`. */
export function cargoArgs(info: DrvInfo): string[] {
  const args = info.env['cargoExtraArgs'];
  assert.equal(typeof args, 'string', `${info.name} has no cargoExtraArgs`);
  return (args as string).split(/\s+/).filter((w) => w !== '');
}

/** `-p <name>` and `--exclude <name>` pairs, and flags, as they appear. */
export function hasPair(args: string[], flag: string, value: string): boolean {
  return args.some((word, i) => word === flag && args[i + 1] === value);
}

/** Every store path mentioned anywhere in a JSON value. */
export function storePathsIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/\/nix\/store\/[0-9a-z]{32}-[^\s/"':]+/g)) into.add(match[0]);
  } else if (Array.isArray(value)) {
    value.forEach((v) => storePathsIn(v, into));
  } else if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach((v) => storePathsIn(v, into));
  }
  return into;
}

/** Nix refuses store path names over 211 characters; the longest name seen must stay under it. */
export function assertStoreNamesFit(value: unknown): number {
  let longest = 0;
  for (const p of storePathsIn(value)) {
    const name = p.slice('/nix/store/'.length + 33);
    assert.ok(name.length <= 211, `store path name longer than 211 characters: ${name}`);
    longest = Math.max(longest, name.length);
  }
  return longest;
}
