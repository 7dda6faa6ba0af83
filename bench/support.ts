// Helpers shared by the benchmarks and scripts/check-real-crane.mjs (which loads the compiled
// out/bench/support.js): generated workspaces and an offline Nix configuration.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Deterministic 64 hex digits for generated Cargo.lock entries; nothing is ever downloaded. */
export function fakeChecksum(seed: string): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

/** Nix configured for this offline machine (testing.md §1), with its flake registry in `tmp`. */
export function offlineNixEnv(tmp: string): NodeJS.ProcessEnv {
  const registry = path.join(tmp, 'registry.json');
  fs.writeFileSync(registry, '{"flakes":[],"version":2}\n');
  return {
    ...process.env,
    NIX_CONFIG: [
      'experimental-features = nix-command flakes',
      'sandbox = false',
      'substituters =',
      `flake-registry = ${registry}`,
      'warn-dirty = false',
      // The generated flakes must evaluate where import-from-derivation is refused.
      'allow-import-from-derivation = false',
    ].join('\n'),
  };
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const BENCH_SYSTEM = 'x86_64-linux';

/**
 * A flake without inputs shaped like a crane workspace of `crates` crates (`crate-0`…): per crate a
 * package and its `-deps` artifacts (as crane's `cargoArtifacts`), over one toolchain derivation.
 * `withChecks` adds the checks (every package, plus workspace clippy) and a dev shell, as the
 * generated flakes have. `./nonce` must exist: it keeps the store paths new for each run.
 */
export function benchWorkspaceFlake(crates: number, opts: { withChecks?: boolean } = {}): string {
  const extra = opts.withChecks
    ? `
      checks.\${system} = packages // { workspace-clippy = mk "workspace-clippy-0.1.0" { }; };
      devShells.\${system}.default = mk "nix-shell" { };`
    : '';
  return `{
  outputs =
    { self }:
    let
      system = "${BENCH_SYSTEM}";
      nonce = builtins.readFile ./nonce;
      mk = name: attrs: derivation ({
        inherit name system nonce;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [ "-c" "mkdir -p $out; echo $toolchain > $out/name" ];
      } // attrs);
      toolchain = mk "rust-bench-1.80.0" { toolchain = ""; };
      crate = i:
        let
          name = "crate-\${toString i}";
          deps = mk "\${name}-deps-0.1.0" { inherit toolchain; };
        in
        mk "\${name}-0.1.0" { inherit toolchain; cargoArtifacts = deps; } // { cargoArtifacts = deps; };
      packages = builtins.listToAttrs (builtins.genList (i: { name = "crate-\${toString i}"; value = crate i; }) ${crates});
    in
    {
      packages.\${system} = packages;${extra}
    };
}
`;
}

/** Path dependencies of generated crate i: a binary tree (parent) plus a chain link every third crate. */
export function pathDepsOf(i: number): number[] {
  const deps = new Set<number>();
  if (i > 0) deps.add(Math.floor((i - 1) / 2));
  if (i > 0 && i % 3 === 0) deps.add(i - 1);
  return [...deps].sort((a, b) => a - b);
}

/** Runs a command without a shell and returns its stdout; a failure throws with its stderr's tail. */
export function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): string {
  const result = spawnSync(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    // Nix repeats its notes on overridden inputs for every installable: they hide the error.
    const noise = /^(• Added input|\s+'path:|warning: not writing modified lock file)/;
    const lines = (result.stderr ?? '').split('\n').filter((l) => l.trim() !== '' && !noise.test(l));
    const tail = lines.slice(-40).join('\n');
    throw new Error(
      `${cmd} ${args.slice(0, 4).join(' ')} failed (${result.status}) in ${opts.cwd}:\n${tail}`,
    );
  }
  return result.stdout;
}

/**
 * The flake crane's documentation starts a workspace with: one source for everything, one
 * dependency build, the workspace built, linted, tested and documented as a whole. Issue 12's
 * reference for evaluation cost: evaluating Nixify's checks may cost at most twice its checks.
 */
export function plainCraneFlake(system: string): string {
  return `{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    crane.url = "github:ipetkov/crane";
  };
  outputs =
    { nixpkgs, crane, ... }:
    let
      pkgs = nixpkgs.legacyPackages.${system};
      craneLib = crane.mkLib pkgs;
      src = craneLib.cleanCargoSource ./.;
      commonArgs = {
        inherit src;
        strictDeps = true;
        pname = "workspace";
        version = "0.1.0";
      };
      cargoArtifacts = craneLib.buildDepsOnly commonArgs;
      withArtifacts = commonArgs // { inherit cargoArtifacts; };
    in
    {
      checks.${system} = {
        workspace = craneLib.buildPackage withArtifacts;
        clippy = craneLib.cargoClippy (withArtifacts // { cargoClippyExtraArgs = "--all-targets -- --deny warnings"; });
        doc = craneLib.cargoDoc withArtifacts;
        fmt = craneLib.cargoFmt { inherit src; };
        test = craneLib.cargoTest withArtifacts;
      };
    };
}
`;
}
