// Running the real Nix offline: the configuration every call gets, the Nix versions this machine
// has, and one process wrapper that turns a failure into an error carrying Nix's own message.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

export interface Nix {
  /** What tests are named after, e.g. "nix 2.8.0". */
  label: string;
  /** [major, minor], e.g. [2, 8]. */
  version: [number, number];
  /** Directory holding nix, nix-instantiate, nix-store. */
  binDir: string;
}

/** Debian's Nix, installed by scripts/setup-test-env.sh. */
const SYSTEM_NIX_BIN = '/usr/bin';
/** A modern Nix beside it (../shared/design/testing.md, section 3: install-trixie.sh PREFIX nix-bin). */
const MODERN_NIX_BIN = path.join(REPO_ROOT, '.tools', 'nix-2.26', 'bin');
const MODERN_NIX_INSTALLER = path.resolve(REPO_ROOT, '..', 'shared', 'tools', 'install-trixie.sh');

let configDir: string | null = null;

/**
 * NIX_CONFIG for every call. Offline: no substituters, an empty flake registry. No sandbox (Debian's
 * Nix has none). `build-users-group =` makes builds run as the calling user: the crane stand-in's
 * builds run the machine's cargo, which a nixbld user cannot read under /root.
 */
export function nixEnv(): NodeJS.ProcessEnv {
  if (configDir === null) {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'nixify-nix-config-'));
    fs.writeFileSync(path.join(dir, 'registry.json'), JSON.stringify({ flakes: [], version: 2 }));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    configDir = dir;
  }
  const config = [
    'experimental-features = nix-command flakes',
    'sandbox = false',
    'substituters =',
    `flake-registry = ${path.join(configDir, 'registry.json')}`,
    'build-users-group =',
    'warn-dirty = false',
    // Generated flakes must evaluate where import-from-derivation is refused (Hydra, many CI setups).
    'allow-import-from-derivation = false',
  ].join('\n');
  return { ...process.env, NIX_CONFIG: config };
}

/** The Nix versions to run against, and a sentence for each one that is not here. */
export function nixVersions(): { found: Nix[]; missing: string[] } {
  const found: Nix[] = [];
  const missing: string[] = [];
  const add = (binDir: string, why: string) => {
    const version = versionOf(binDir);
    if (version === null) missing.push(why);
    else {
      const [major = 0, minor = 0] = version.split('.').map(Number);
      found.push({ label: `nix ${version}`, version: [major, minor], binDir });
    }
  };
  add(SYSTEM_NIX_BIN, `no nix in ${SYSTEM_NIX_BIN} (scripts/setup-test-env.sh installs nix-bin)`);
  // What is installed counts, wherever the installer was found (a clean clone has no ../shared).
  add(
    MODERN_NIX_BIN,
    fs.existsSync(MODERN_NIX_INSTALLER)
      ? `Nix 2.26: not installed (run: ${MODERN_NIX_INSTALLER} ${path.dirname(MODERN_NIX_BIN)} nix-bin)`
      : `Nix 2.26: not in ${MODERN_NIX_BIN} and no ${MODERN_NIX_INSTALLER} to install it (scripts/setup-test-env.sh)`,
  );
  return { found, missing };
}

function versionOf(binDir: string): string | null {
  const nix = path.join(binDir, 'nix');
  if (!fs.existsSync(nix)) return null;
  const result = spawnSync(nix, ['--version'], { encoding: 'utf8' });
  return /(\d+\.\d+(?:\.\d+)?)/.exec(result.stdout ?? '')?.[1] ?? null;
}

export class NixError extends Error {
  constructor(
    readonly command: string,
    readonly stderr: string,
  ) {
    super(`${command} failed:\n${cleanStderr(stderr)}`);
  }
}

/** Nix's lock-file chatter about overridden inputs is noise in an error message. */
function cleanStderr(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^(•|\s+'path:|warning: not writing modified lock file|warning: Git tree)/.test(line))
    .join('\n')
    .trim()
    .slice(-6000);
}

/** Runs `tool` (nix, nix-instantiate…) of `nix` and returns its stdout; throws NixError. */
export function runNix(nix: Nix, tool: string, args: string[], cwd?: string): string {
  const command = path.join(nix.binDir, tool);
  const result = spawnSync(command, args, {
    cwd,
    env: nixEnv(),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new NixError(`${tool} ${args.join(' ').slice(0, 300)}`, result.stderr ?? '');
  }
  return result.stdout;
}

/**
 * One mocha suite per Nix version here (only the system Nix with `onlySystemNix`). A version that is
 * missing gets a pending test saying why, printed: a skip is never counted as a pass.
 */
export function forEachNix(
  title: string,
  body: (nix: Nix) => void,
  options: { onlySystemNix?: boolean } = {},
): void {
  const { found, missing } = nixVersions();
  const versions = options.onlySystemNix ? found.slice(0, 1) : found;
  const skipped = options.onlySystemNix ? (found.length === 0 ? missing.slice(0, 1) : []) : missing;
  for (const nix of versions) {
    describe(`${title} (${nix.label})`, function () {
      body(nix);
    });
  }
  for (const why of skipped) {
    describe(`${title} (skipped)`, function () {
      it(`SKIPPED: ${why}`, function () {
        console.log(`    [nix tier] ${title}: skipped: ${why}`);
        this.skip();
      });
    });
  }
}
