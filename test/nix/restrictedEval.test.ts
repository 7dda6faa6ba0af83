// A flake that builds a path as crane's mkDummySrc does (`<source>/sub/Cargo.toml` + "/../src", a
// string, not a path value) and reads it. `nix build .#…` evaluates purely and Nix resolves the
// `..`; an `--impure` evaluation on Nix 2.8 did not, and failed with "Not a directory" on every
// crane flake. The Derivations view's evaluation and the CI plan script must evaluate it as
// `nix build` does, on both Nix versions.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evalFlakeDerivations } from '../../src/core/derivations';
import { CI_PLAN_SCRIPT, CI_PLAN_SCRIPT_PATH } from '../../src/core/flake/workflowPlanned';
import { gitInit } from './helpers/flake';
import { forEachNix, nixEnv, runNix, type Nix } from './helpers/nix';
import { removeTempDirs, tempDir } from './helpers/paths';

const FLAKE = `{
  outputs = { self }:
    let
      source = builtins.path { path = ./.; name = "source"; };
      manifest = source + "/sub/Cargo.toml";
      files = builtins.attrNames (builtins.readDir (manifest + "/../src"));
    in {
      checks.x86_64-linux.crate = builtins.derivation {
        name = "crate-\${builtins.concatStringsSep "-" files}";
        system = "x86_64-linux";
        builder = "/bin/sh";
        args = [ "-c" "echo > $out" ];
      };
    };
}
`;

forEachNix('a flake that reads `Cargo.toml/../src`, as crane does', (nix: Nix) => {
  let dir: string;
  const env = () => ({ ...nixEnv(), PATH: `${nix.binDir}:${process.env['PATH'] ?? '/usr/bin:/bin'}` });

  before(() => {
    dir = tempDir('restricted-eval');
    fs.mkdirSync(path.join(dir, 'sub', 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sub', 'Cargo.toml'), '[package]\nname = "crate"\n');
    fs.writeFileSync(path.join(dir, 'sub', 'src', 'lib.rs'), '');
    fs.writeFileSync(path.join(dir, 'flake.nix'), FLAKE);
    fs.mkdirSync(path.join(dir, '.github'));
    fs.writeFileSync(path.join(dir, CI_PLAN_SCRIPT_PATH), CI_PLAN_SCRIPT);
    gitInit(dir);
  });
  after(() => removeTempDirs());

  it('nix build evaluates it (the reference)', () => {
    const drv = runNix(nix, 'nix', ['eval', '--raw', `${dir}#checks.x86_64-linux.crate.drvPath`]);
    assert.match(drv, /-crate-lib\.rs\.drv$/);
  });

  it('the Derivations view evaluates it to the same derivation', async () => {
    const flake = await evalFlakeDerivations(dir, { nix: path.join(nix.binDir, 'nix'), env: nixEnv() });
    const crate = flake.attributes.find((a) => a.section === 'checks' && a.name === 'crate');
    const reference = runNix(nix, 'nix', ['eval', '--raw', `${dir}#checks.x86_64-linux.crate.drvPath`]);
    assert.equal(crate?.derivation?.drvPath, reference);
  });

  it('the CI plan script evaluates it and plans its build', () => {
    const result = spawnSync('bash', [CI_PLAN_SCRIPT_PATH, '--system', 'x86_64-linux'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...env(), GITHUB_OUTPUT: '' },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^count=1$/m);
  });
});
