import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './repo';

/** The parts of package.json the tests check code against. */
export interface PackageJson {
  version: string;
  contributes: {
    commands: { command: string; category?: string }[];
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number }> };
  };
}

export function readPackageJson(): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
}
