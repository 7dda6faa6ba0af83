import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { InitOptions } from '../../../../src/core/flake/types';
import { renderWorkflow } from '../../../../src/core/flake/workflow';
import { CI_PLAN_SCRIPT, CI_PLAN_SCRIPT_PATH, RESULT_JOB } from '../../../../src/core/flake/workflowPlanned';
import { parseGitHubWorkflow } from '../../helpers/workflowParser';

const OPTIONS: InitOptions = {
  toolchain: 'rust-overlay',
  deps: 'workspace',
  wasm: false,
  ci: true,
  ciMode: 'planned',
  ciMaxJobs: 8,
  cachix: null,
  cachixPublicKey: null,
  oci: false,
  envrc: true,
  gitignore: true,
  nextest: false,
};

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

interface Job {
  'runs-on': string;
  name?: string;
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  strategy?: { 'fail-fast': boolean; matrix: unknown };
  steps: Step[];
}

interface Workflow {
  jobs: Record<string, Job>;
}

function render(options: Partial<InitOptions> = {}): string {
  return renderWorkflow({
    options: { ...OPTIONS, ...options },
    workspaceName: 'demo',
    binaryPackages: ['app'],
  });
}

function jobsOf(text: string): Record<string, Job> {
  return (parse(text) as Workflow).jobs;
}

function job(text: string, id: string): Job {
  const found = jobsOf(text)[id];
  assert.ok(found, `no job ${id}`);
  return found;
}

/** The action each step uses without its version, or the step's name for a shell step. */
function shape(steps: Step[]): string[] {
  return steps.map((s) => (s.uses ? s.uses.replace(/@.*/, '') : `run: ${s.name}`));
}

const OPTION_SETS: [string, Partial<InitOptions>][] = [
  ['planned, GitHub Actions cache', {}],
  ['planned, Cachix', { cachix: 'demo-cache' }],
  ['planned, one job', { ciMaxJobs: 1 }],
  ['planned, 20 jobs, Cachix', { ciMaxJobs: 20, cachix: 'demo-cache' }],
  ['single, GitHub Actions cache', { ciMode: 'single' }],
  ['single, Cachix', { ciMode: 'single', cachix: 'demo-cache' }],
];

describe('core/flake/workflowPlanned renderWorkflow, planned mode', () => {
  for (const [label, options] of OPTION_SETS) {
    it(`${label}: GitHub's workflow parser reads it without an error`, async () => {
      const parsed = await parseGitHubWorkflow(render(options));
      assert.deepEqual(parsed.errors, []);
      assert.deepEqual(parsed.jobs, options.ciMode === 'single' ? ['nix'] : ['plan', 'build', RESULT_JOB]);
    });
  }

  it('the parser is not lenient: it reports a key GitHub does not know', async () => {
    const broken = render().replace(
      '    runs-on: ubuntu-latest\n',
      '    runs-on: ubuntu-latest\n    stepz: []\n',
    );
    const parsed = await parseGitHubWorkflow(broken);
    assert.equal(parsed.errors.length, 1);
    assert.match(parsed.errors[0] ?? '', /Unexpected value 'stepz'/);
  });

  it('plans once on Linux for Linux and macOS, with the job limit, and exposes the matrix', () => {
    for (const maxJobs of [1, 8, 20]) {
      const plan = job(render({ ciMaxJobs: maxJobs }), 'plan');
      assert.equal(plan['runs-on'], 'ubuntu-latest');
      assert.deepEqual(plan.outputs, {
        matrix: '${{ steps.plan.outputs.matrix }}',
        count: '${{ steps.plan.outputs.count }}',
      });
      const step = plan.steps.find((s) => s.id === 'plan');
      assert.equal(
        step?.run,
        `bash ${CI_PLAN_SCRIPT_PATH} --max-jobs ${maxJobs} --system x86_64-linux --system aarch64-darwin`,
      );
    }
  });

  it('builds the cheap checks in the plan job, only when there are some', () => {
    const cheap = job(render(), 'plan').steps.at(-1);
    assert.equal(cheap?.if, "steps.plan.outputs.cheap != ''");
    assert.deepEqual(cheap?.env, { INSTALLABLES: '${{ steps.plan.outputs.cheap }}' });
  });

  it('starts the matrix only when the plan found work (GitHub refuses an empty matrix)', () => {
    const build = job(render(), 'build');
    assert.equal(build.needs, 'plan');
    assert.equal(build.if, 'needs.plan.outputs.count > 0');
    assert.equal(build.name, '${{ matrix.name }}');
    assert.equal(build['runs-on'], '${{ matrix.os }}');
    assert.deepEqual(build.strategy, {
      'fail-fast': false,
      matrix: '${{ fromJSON(needs.plan.outputs.matrix) }}',
    });
  });

  it('passes installables through the environment, never spliced into a script', () => {
    for (const options of [{}, { cachix: 'demo-cache' }]) {
      const text = render(options);
      assert.doesNotMatch(text, /run:.*\$\{\{/);
      const steps = [...job(text, 'plan').steps, ...job(text, 'build').steps].filter(
        (s) => s.env?.['INSTALLABLES'] !== undefined,
      );
      assert.equal(steps.length, 2);
      for (const step of steps) {
        assert.match(step.run ?? '', /^read -ra installables <<< "\$INSTALLABLES"\nnix build -L /);
        assert.match(step.run ?? '', / "\$\{installables\[@\]\}"\n$/);
      }
    }
  });

  it('with Cachix: pulls in the plan (its key becomes trusted) and pushes from every build job', () => {
    const text = render({ cachix: 'demo-cache' });
    for (const id of ['plan', 'build']) {
      const steps = job(text, id).steps;
      assert.deepEqual(shape(steps).slice(0, 3), [
        'actions/checkout',
        'cachix/install-nix-action',
        'cachix/cachix-action',
      ]);
      assert.deepEqual(steps[2]?.with, { name: 'demo-cache', authToken: '${{ secrets.CACHIX_AUTH_TOKEN }}' });
    }
    assert.ok(!text.includes('cache-nix-action'));
    assert.match(job(text, 'build').steps.at(-1)?.run ?? '', /nix build -L --no-link /);
  });

  it("with GitHub's cache: the plan restores every build job's cache for these inputs and saves nothing", () => {
    const text = render();
    const restore = job(text, 'plan').steps[2];
    assert.equal(restore?.uses, 'nix-community/cache-nix-action@v7');
    assert.equal(restore?.with?.['save'], false);
    const prefixes = String(restore?.with?.['restore-prefixes-all-matches']).trim().split('\n');
    assert.equal(prefixes.length, 2);
    assert.match(
      prefixes[0] ?? '',
      /^nix-Linux-\$\{\{ hashFiles\('flake\.lock', '\*\*\/\*\.nix', '\*\*\/Cargo\.lock'\) \}\}-$/,
    );
    assert.match(prefixes[1] ?? '', /^nix-macOS-/);
    const save = job(text, 'build').steps[2];
    assert.match(
      String(save?.with?.['primary-key']),
      /^nix-\$\{\{ runner\.os \}\}-\$\{\{ hashFiles\(.*\) \}\}-\$\{\{ strategy\.job-index \}\}$/,
    );
    assert.equal(save?.with?.['restore-prefixes-first-match'], 'nix-${{ runner.os }}-');
    // The built outputs get links, so the garbage collection before saving keeps them.
    assert.match(
      job(text, 'build').steps.at(-1)?.run ?? '',
      /nix build -L --out-link "\$RUNNER_TEMP\/nix-ci-result" /,
    );
  });

  it('ends in one result job that fails on a failed plan or build and accepts a skipped build', () => {
    const result = job(render(), RESULT_JOB);
    assert.deepEqual(result.needs, ['plan', 'build']);
    assert.equal(result.if, 'always()');
    assert.deepEqual(result.steps[0]?.env, {
      PLAN: '${{ needs.plan.result }}',
      BUILD: '${{ needs.build.result }}',
    });
    const script = result.steps[0]?.run ?? '';
    const verdict = (plan: string, build: string) =>
      spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
        env: { PLAN: plan, BUILD: build },
        encoding: 'utf8',
      }).status;
    assert.equal(verdict('success', 'success'), 0);
    assert.equal(verdict('success', 'skipped'), 0);
    assert.notEqual(verdict('success', 'failure'), 0);
    assert.notEqual(verdict('success', 'cancelled'), 0);
    assert.notEqual(verdict('failure', 'skipped'), 0);
    assert.notEqual(verdict('cancelled', 'skipped'), 0);
  });

  it('explains each step and pins every action', () => {
    for (const options of [{}, { cachix: 'c' }]) {
      const text = render(options);
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (/^ {6}- /.test(line)) assert.match(lines[i - 1] ?? '', /^ {6}# /, `no comment above: ${line}`);
      });
      assert.ok(!/ +$/m.test(text), 'no trailing spaces');
      assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
      for (const j of Object.values(jobsOf(text))) {
        for (const step of j.steps) if (step.uses) assert.match(step.uses, /@v\d+$/);
      }
    }
  });

  it('refuses a job limit that is not a positive whole number', () => {
    for (const ciMaxJobs of [0, -1, 1.5, NaN]) assert.throws(() => render({ ciMaxJobs }), RangeError);
  });
});

describe('core/flake/nix/nix-ci-plan.sh', () => {
  it('is bash that parses (bash -n), strict and with no eval', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-ci-plan-'));
    try {
      const file = path.join(dir, 'nix-ci-plan.sh');
      fs.writeFileSync(file, CI_PLAN_SCRIPT);
      const result = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.match(CI_PLAN_SCRIPT, /^#!\/usr\/bin\/env bash\n/);
    assert.match(CI_PLAN_SCRIPT, /^set -euo pipefail$/m);
    assert.doesNotMatch(CI_PLAN_SCRIPT, /^\s*eval\b|\beval "/m);
  });

  it('refuses a bad job limit and an unknown system before running Nix', () => {
    const run = (args: string[]) =>
      spawnSync('bash', ['-c', CI_PLAN_SCRIPT, 'nix-ci-plan.sh', ...args], {
        // Refused before the flake is looked for or evaluated: no git repository, no Nix config.
        env: { PATH: '/usr/bin:/bin' },
        cwd: os.tmpdir(),
        encoding: 'utf8',
      });
    const zero = run(['--max-jobs', '0']);
    assert.equal(zero.status, 2);
    assert.match(zero.stderr, /--max-jobs needs a whole number from 1, got '0'/);
    const system = run(['--system', 'mips-linux']);
    assert.equal(system.status, 2);
    assert.match(system.stderr, /no GitHub runner known for the system 'mips-linux'/);
    const unknown = run(['--jobs', '3']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown argument: --jobs/);
  });
});
