// The outputs of Nix 2.8 and 2.26 recorded by test/fixtures/nix-json/record.sh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NixConfig } from '../../../../src/core/nix/nixConfig';
import { REPO_ROOT } from '../../helpers/repo';

export const NIX_JSON = path.join(REPO_ROOT, 'test', 'fixtures', 'nix-json');
export const DIALECTS = ['2.8', '2.26'] as const;
export type Recorded = (typeof DIALECTS)[number];

export function recorded(dialect: Recorded, file: string): string {
  return fs.readFileSync(path.join(NIX_JSON, dialect, file), 'utf8');
}

export function narinfoText(name: 'app' | 'toolchain' | 'web-ui'): string {
  return fs.readFileSync(path.join(NIX_JSON, 'narinfo', `${name}.narinfo`), 'utf8');
}

export function publicKey(which: 'trusted' | 'untrusted'): string {
  return fs.readFileSync(path.join(NIX_JSON, 'keys', `${which}.pub`), 'utf8').trim();
}

export interface RebuildPair {
  before: unknown;
  after: unknown;
}

export function rebuildPair(name: string): RebuildPair {
  return JSON.parse(fs.readFileSync(path.join(NIX_JSON, 'rebuild', `${name}.json`), 'utf8')) as RebuildPair;
}

/** The NixConfig fields about remote builders, for a configuration that has none. */
export const NO_BUILDERS: Pick<
  NixConfig,
  'builders' | 'builderProblems' | 'buildersUseSubstitutes' | 'maxJobs' | 'systemFeatures' | 'extraPlatforms'
> = {
  builders: [],
  builderProblems: [],
  buildersUseSubstitutes: false,
  maxJobs: 1,
  systemFeatures: [],
  extraPlatforms: [],
};
