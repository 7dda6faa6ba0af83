// What a fixture's nixify-expect.json `setup` adds to its copy: things git cannot hold (.git/,
// node_modules/, symlinks into /nix/store). Shared by the conformance and nix tiers.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FixtureSetup {
  symlinks?: [string, string][];
  dirs?: string[];
  files?: [string, string][];
}

export function applyFixtureSetup(root: string, setup: FixtureSetup): void {
  for (const dir of setup.dirs ?? []) fs.mkdirSync(path.join(root, dir), { recursive: true });
  for (const [file, content] of setup.files ?? []) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  for (const [link, target] of setup.symlinks ?? []) {
    fs.mkdirSync(path.dirname(path.join(root, link)), { recursive: true });
    fs.symlinkSync(target, path.join(root, link));
  }
}
