// The planned `.github/workflows/nix.yml`: a plan job evaluates the flake once and asks Nix which
// checks and packages no store and no trusted cache has (the script nix-ci-plan.sh, which Nixify
// writes beside the workflow), a matrix builds only those in at most `ciMaxJobs` jobs, and one
// final job gives branch protection a single status to require. A push that changes nothing
// builds nothing.

import { NIX_CI_PLAN_SH } from './nix/sources.generated';
import type { InitOptions } from './types';
import { cachixStep, CACHE_KEY_FILES, CHECKOUT_AND_NIX_STEPS, workflowHead } from './workflowParts';

/** Where `nixify init` writes the plan script; the workflow runs it from the checkout. */
export const CI_PLAN_SCRIPT_PATH = '.github/nix-ci-plan.sh';
export const CI_PLAN_SCRIPT = NIX_CI_PLAN_SH;

/** The systems the plan evaluates, each built on the runner the script maps it to. */
const SYSTEMS = ['x86_64-linux', 'aarch64-darwin'];

/** The name of the job to make required in branch protection. */
export const RESULT_JOB = 'nix-ci-result';

export function renderPlannedWorkflow(options: InitOptions, workspaceName: string): string {
  const maxJobs = options.ciMaxJobs;
  if (!Number.isSafeInteger(maxJobs) || maxJobs < 1) throw new RangeError(`Not a job count: ${maxJobs}`);
  const systems = SYSTEMS.map((s) => `--system ${s}`).join(' ');
  return `${workflowHead(workspaceName, 'builds the checks and packages no trusted cache has yet.')}  plan:
    runs-on: ubuntu-latest
    outputs:
      matrix: \${{ steps.plan.outputs.matrix }}
      count: \${{ steps.plan.outputs.count }}
    steps:
${CHECKOUT_AND_NIX_STEPS}

${options.cachix === null ? githubCacheRestoreStep() : cachixStep(options.cachix)}

      # Evaluates the flake once, for Linux and macOS (a foreign system's derivations evaluate here
      # too), and lists the checks and packages that are neither in the store nor in a binary cache
      # with a signature by a trusted key, in at most ${maxJobs} groups. Run it locally to see what a
      # push would build: bash ${CI_PLAN_SCRIPT_PATH}
      - name: Plan
        id: plan
        run: bash ${CI_PLAN_SCRIPT_PATH} --max-jobs ${maxJobs} ${systems}

      # What the plan found cheap for this runner (formatting checks, preferLocalBuild derivations)
      # is built here instead of taking a job of its own.
      - name: Build the cheap checks
        if: steps.plan.outputs.cheap != ''
        env:
          INSTALLABLES: \${{ steps.plan.outputs.cheap }}
${buildRun()}

  build:
    needs: plan
    # GitHub refuses an empty matrix: when everything is cached there is nothing to start.
    if: needs.plan.outputs.count > 0
    name: \${{ matrix.name }}
    strategy:
      # Report every group even when one fails: the others' failures are still worth seeing.
      fail-fast: false
      matrix: \${{ fromJSON(needs.plan.outputs.matrix) }}
    runs-on: \${{ matrix.os }}
    steps:
${CHECKOUT_AND_NIX_STEPS}

${options.cachix === null ? githubCacheGroupStep() : cachixStep(options.cachix)}

      # Builds this group: a project's crates and checks, which share its dependency artifacts.
      - name: Build
        env:
          INSTALLABLES: \${{ matrix.installables }}
${buildRun(options.cachix === null)}

  ${RESULT_JOB}:
    needs: [plan, build]
    if: always()
    runs-on: ubuntu-latest
    steps:
      # The one status for branch protection to require, whatever the matrix holds: it fails when the
      # plan failed or a build failed or was cancelled; builds skipped because nothing was left to
      # build are a success.
      - name: Result
        env:
          PLAN: \${{ needs.plan.result }}
          BUILD: \${{ needs.build.result }}
        run: |
          echo "plan: $PLAN, build: $BUILD"
          test "$PLAN" = success
          test "$BUILD" = success || test "$BUILD" = skipped
`;
}

/**
 * The `run:` of a build step. The installables come through the environment, never spliced into the
 * script; with the GitHub Actions cache the outputs get links, so its garbage collection before
 * saving keeps them.
 */
function buildRun(keepLinks = false): string {
  const links = keepLinks ? '--out-link "$RUNNER_TEMP/nix-ci-result"' : '--no-link';
  return `        run: |
          read -ra installables <<< "$INSTALLABLES"
          nix build -L ${links} "\${installables[@]}"`;
}

function githubCacheRestoreStep(): string {
  return `      # Restores what the build jobs of earlier runs with the same inputs saved, Linux's and macOS's,
      # so that the plan counts it as built. Nothing is saved from here. A path these caches lack is
      # planned and built again: a miss costs time, never a skipped build.
      - uses: nix-community/cache-nix-action@v7
        with:
          primary-key: "nix-plan-\${{ ${CACHE_KEY_FILES} }}"
          restore-prefixes-all-matches: |
            nix-Linux-\${{ ${CACHE_KEY_FILES} }}-
            nix-macOS-\${{ ${CACHE_KEY_FILES} }}-
          save: false`;
}

function githubCacheGroupStep(): string {
  return `      # Keeps the Nix store in the GitHub Actions cache between runs, one cache per job of the
      # matrix, so no account is needed. The key changes with the inputs; on a miss the newest cache
      # for this OS is restored and this job adds to it.
      - uses: nix-community/cache-nix-action@v7
        with:
          primary-key: "nix-\${{ runner.os }}-\${{ ${CACHE_KEY_FILES} }}-\${{ strategy.job-index }}"
          restore-prefixes-first-match: 'nix-\${{ runner.os }}-'
          # Several jobs save: collect garbage down to this size before saving, and GitHub evicts the
          # least recently used caches past 10 GB per repository.
          gc-max-store-size: 4G`;
}
