// Records `nix print-dev-env --json` of the dev-shell fixtures with every Nix on this machine (Nix 2.8
// at /usr/bin, Nix 2.26 in .tools/nix-2.26), into test/fixtures/devenv/recorded/, byte for byte as nix
// printed it. The unit tests parse these files; rerun this after changing a fixture.
//
//   node scripts/record-devenv-fixtures.mjs
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'devenv');
const OUT = path.join(FIXTURES, 'recorded');
const NIXES = [
  { label: '2.8', bin: '/usr/bin/nix', config: [] },
  // Run through install-trixie.sh's loader, this Nix cannot re-exec its build hook.
  { label: '2.26', bin: path.join(ROOT, '.tools', 'nix-2.26', 'bin', 'nix'), config: ['build-hook ='] },
];
/** [fixture folder, installable after the copy's path, recording name]. */
const CASES = [
  ['rust-project', '#devShells.x86_64-linux.default', 'rust-project.default'],
  ['rust-project', '#devShells.x86_64-linux.plain', 'rust-project.plain'],
  ['shell-nix', null, 'shell-nix'],
  ['structured', '#devShells.x86_64-linux.default', 'structured.default'],
];

const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'nixify-record-devenv-'));
const registry = path.join(tmp, 'registry.json');
fs.writeFileSync(registry, '{"flakes":[],"version":2}\n');

function run(file, args, options) {
  const result = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (result.error) throw result.error;
  return result;
}

try {
  fs.mkdirSync(OUT, { recursive: true });
  for (const nix of NIXES) {
    if (!fs.existsSync(nix.bin)) {
      console.log(`skipped Nix ${nix.label}: ${nix.bin} is not installed`);
      continue;
    }
    const env = {
      ...process.env,
      NIX_CONFIG: [
        'experimental-features = nix-command flakes',
        'sandbox = false',
        'substituters =',
        `flake-registry = ${registry}`,
        'warn-dirty = false',
        ...nix.config,
      ].join('\n'),
    };
    for (const [fixture, fragment, name] of CASES) {
      const copy = path.join(tmp, `${nix.label}-${name}`);
      fs.cpSync(path.join(FIXTURES, fixture), copy, { recursive: true });
      run('git', ['-c', 'init.defaultBranch=main', 'init', '-q'], { cwd: copy });
      run('git', ['add', '-A'], { cwd: copy });
      const installable = fragment === null ? ['--file', path.join(copy, 'shell.nix')] : [copy + fragment];
      const result = run(nix.bin, ['print-dev-env', '--json', ...installable], { cwd: copy, env });
      const file = path.join(OUT, `${name}.nix-${nix.label}.json`);
      if (result.status !== 0) {
        const error = result.stderr.split('\n').find((line) => /error/.test(line)) ?? result.stderr.trim();
        console.log(`not recorded ${path.relative(ROOT, file)}: nix ${nix.label} failed: ${error.trim()}`);
        fs.rmSync(file, { force: true });
        continue;
      }
      fs.writeFileSync(file, result.stdout);
      console.log(`recorded ${path.relative(ROOT, file)}`);
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
