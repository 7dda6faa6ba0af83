// Scenario `derivations`: the fixture flake of test/fixtures/derivations/workspace set up by the nix
// tier's own helper (out/test/nix/helpers/cacheScenario.js): partly built, partly in a signed
// file:// cache and an HTTP cache on 127.0.0.1, one path signed by an untrusted key. The extension
// host gets a NIX_CONFIG that trusts exactly the test key. A `slow` package (sleeps) is added for
// the cancel test, and a Cachix cache the flake declares (never queried: it is not trusted) for
// Push to Cachix to push to.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot } from './codeServer.mjs';

const require = createRequire(import.meta.url);
let scenario;

export async function prepareDerivationsScenario() {
  const helpers = path.join(repoRoot, 'out/test/nix/helpers');
  const { setUpScenario } = require(path.join(helpers, 'cacheScenario.js'));
  const { nixVersions } = require(path.join(helpers, 'nix.js'));
  const [nix] = nixVersions().found;
  if (!nix) throw new Error('no nix on this machine (scripts/setup-test-env.sh installs nix-bin)');
  scenario = await setUpScenario(nix);
  const flake = path.join(scenario.dir, 'flake.nix');
  let text = readFileSync(flake, 'utf8');
  const patch = (from, to) => {
    if (!text.includes(from)) throw new Error(`the fixture flake no longer holds ${from}`);
    text = text.replace(from, to);
  };
  patch(
    'app-image = mk "app-image"',
    'slow = mk "slow-build" { script = "sleep 300"; };\n        app-image = mk "app-image"',
  );
  patch(
    'extra-substituters = [ "https://fixture-cache.invalid" ];',
    'extra-substituters = [ "https://fixture-cache.invalid" "https://nixify-fixture.cachix.org" ];',
  );
  writeFileSync(flake, text);
  execFileSync('git', ['add', '-A'], { cwd: scenario.dir, stdio: 'ignore' });
  return {
    NIX_CONFIG: scenario.env()['NIX_CONFIG'],
    NIXIFY_TEST_FOLDER: scenario.dir,
    NIXIFY_TEST_HTTP_CACHE: scenario.http.url,
  };
}

export async function cleanUpDerivationsScenario() {
  scenario?.stop();
  const { removeTempDirs } = require(path.join(repoRoot, 'out/test/nix/helpers/paths.js'));
  removeTempDirs();
}
