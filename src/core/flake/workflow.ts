// `.github/workflows/nix.yml`. The planned workflow (workflowPlanned.ts) builds only what no trusted
// cache has; the single one runs the same `nix flake check` and `nix build` a developer does, so a
// green check means the flake builds from a clean checkout on Linux and macOS.

import type { InitOptions } from './types';
import { cachixStep, CACHE_KEY_FILES, CHECKOUT_AND_NIX_STEPS, workflowHead } from './workflowParts';
import { renderPlannedWorkflow } from './workflowPlanned';

export interface WorkflowInfo {
  options: InitOptions;
  workspaceName: string;
  /** Flake package attribute names the single workflow builds, in order; empty builds `.#default`. */
  binaryPackages: string[];
}

// Flake attribute names that need no quoting in an installable or a shell word. Most Cargo package
// names are; the non-ASCII ones cargo also accepts (`é-crate`) are refused by planInit for CI.
const PLAIN_ATTR = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Whether the workflow can name `name` as an installable without quoting. */
export function isPlainAttrName(name: string): boolean {
  return PLAIN_ATTR.test(name);
}

/** The whole workflow file, ending in a newline: planned (the default) or single. */
export function renderWorkflow(info: WorkflowInfo): string {
  const packages = [...new Set(info.binaryPackages)];
  const bad = packages.find((name) => !PLAIN_ATTR.test(name));
  if (bad !== undefined) throw new RangeError(`Not a plain flake attribute name: ${JSON.stringify(bad)}`);
  if (info.options.ciMode === 'planned') return renderPlannedWorkflow(info.options, info.workspaceName);
  const installables = (packages.length > 0 ? packages : ['default']).map((name) => `.#${name}`);

  return `${workflowHead(info.workspaceName, 'checks and builds the flake as a developer would.')}  nix:
    strategy:
      # Report both systems even when one fails: a macOS-only failure is still worth seeing.
      fail-fast: false
      matrix:
        os: [ubuntu-latest, macos-latest]
    runs-on: \${{ matrix.os }}
    steps:
${CHECKOUT_AND_NIX_STEPS}

${info.options.cachix === null ? githubCacheStep() : cachixStep(info.options.cachix)}

      # The checks: clippy, tests, formatting and whatever else the flake declares.
      - name: Check
        run: nix flake check -L --show-trace

      # flake check only evaluates packages; building them proves the binaries link.
      - name: Build
        run: nix build -L ${installables.join(' ')}
`;
}

function githubCacheStep(): string {
  return `      # Keeps the Nix store in the GitHub Actions cache between runs, so no account is needed
      # (magic-nix-cache-action stopped working without FlakeHub in 2025). The key changes with the
      # inputs; on a miss the newest cache for this OS is restored and this run adds to it.
      - uses: nix-community/cache-nix-action@v7
        with:
          primary-key: "nix-\${{ runner.os }}-\${{ ${CACHE_KEY_FILES} }}"
          restore-prefixes-first-match: 'nix-\${{ runner.os }}-'
          # Adding to a restored store grows it run after run: collect garbage down to this size
          # before saving, which keeps the compressed cache within GitHub's 10 GB per repository.
          gc-max-store-size: 8G`;
}
