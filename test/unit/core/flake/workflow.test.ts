import * as assert from 'node:assert/strict';
import { parse, parseDocument } from 'yaml';
import type { InitOptions } from '../../../../src/core/flake/types';
import { renderWorkflow } from '../../../../src/core/flake/workflow';

const OPTIONS: InitOptions = {
  toolchain: 'rust-overlay',
  deps: 'workspace',
  wasm: false,
  ci: true,
  ciMode: 'single',
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
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

function render(options: Partial<InitOptions> = {}, binaryPackages = ['server', 'cli']): string {
  return renderWorkflow({ options: { ...OPTIONS, ...options }, workspaceName: 'demo', binaryPackages });
}

function stepsOf(text: string): Step[] {
  const doc = parse(text) as { jobs: Record<string, { steps: Step[] }> };
  const job = Object.values(doc.jobs)[0];
  assert.ok(job);
  return job.steps;
}

/** The action each step uses without its version, or `run` for a shell step. */
function shape(steps: Step[]): string[] {
  return steps.map((s) => (s.uses ? s.uses.replace(/@.*/, '') : 'run'));
}

describe('core/flake/workflow renderWorkflow, single mode', () => {
  it('is valid YAML without tabs, ending in one newline', () => {
    for (const cachix of [null, 'demo-cache']) {
      const text = render({ cachix });
      const doc = parseDocument(text);
      assert.deepEqual(doc.errors, []);
      assert.deepEqual(doc.warnings, []);
      assert.ok(!text.includes('\t'));
      assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
      assert.ok(!/ +$/m.test(text), 'no trailing spaces');
    }
  });

  it('runs on pushes to main and on pull requests, on Linux and macOS', () => {
    const doc = parse(render()) as {
      on: { push: { branches: string[] }; pull_request: unknown };
      permissions: Record<string, string>;
      jobs: Record<
        string,
        { 'runs-on': string; strategy: { 'fail-fast': boolean; matrix: { os: string[] } } }
      >;
    };
    assert.deepEqual(doc.on.push.branches, ['main']);
    assert.ok('pull_request' in doc.on);
    assert.deepEqual(doc.permissions, { contents: 'read' });
    const jobs = Object.values(doc.jobs);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.['runs-on'], '${{ matrix.os }}');
    assert.deepEqual(jobs[0]?.strategy.matrix.os, ['ubuntu-latest', 'macos-latest']);
    assert.equal(jobs[0]?.strategy['fail-fast'], false);
  });

  it('uses the GitHub Actions cache when there is no Cachix cache', () => {
    const steps = stepsOf(render());
    assert.deepEqual(shape(steps), [
      'actions/checkout',
      'cachix/install-nix-action',
      'nix-community/cache-nix-action',
      'run',
      'run',
    ]);
    assert.ok(!steps.some((s) => s.uses?.startsWith('cachix/cachix-action')));
    const key = steps[2]?.with?.['primary-key'];
    assert.equal(typeof key, 'string');
    assert.match(key as string, /^nix-\$\{\{ runner\.os \}\}-\$\{\{ hashFiles\(.*'flake\.lock'.*\) \}\}$/);
    assert.match(key as string, /Cargo\.lock/);
  });

  it('uses Cachix, pushing with the secret, when a cache is named', () => {
    const steps = stepsOf(render({ cachix: 'demo-cache' }));
    assert.deepEqual(shape(steps), [
      'actions/checkout',
      'cachix/install-nix-action',
      'cachix/cachix-action',
      'run',
      'run',
    ]);
    assert.deepEqual(steps[2]?.with, {
      name: 'demo-cache',
      authToken: '${{ secrets.CACHIX_AUTH_TOKEN }}',
    });
    assert.ok(!steps.some((s) => s.uses?.includes('cache-nix-action')));
  });

  it('keeps a cache name YAML would read as a boolean or number a string', () => {
    for (const name of ['on', 'no', 'null', '123', '1e3']) {
      assert.equal(stepsOf(render({ cachix: name }))[2]?.with?.['name'], name);
    }
  });

  it('refuses a cache name that is not one', () => {
    assert.throws(() => render({ cachix: "x'\n  evil: true" }), RangeError);
  });

  it('pins every action to a version', () => {
    for (const step of stepsOf(render()).concat(stepsOf(render({ cachix: 'c' })))) {
      if (step.uses) assert.match(step.uses, /@v\d+$/);
    }
  });

  it('checks, then builds each binary package', () => {
    const steps = stepsOf(render({}, ['server', 'cli', 'server']));
    assert.equal(steps[3]?.run, 'nix flake check -L --show-trace');
    assert.equal(steps[4]?.run, 'nix build -L .#server .#cli');
  });

  it('builds the default package when there are no binaries', () => {
    assert.equal(stepsOf(render({}, [])).at(-1)?.run, 'nix build -L .#default');
  });

  it('refuses a package name that would need quoting in the shell', () => {
    assert.throws(() => render({}, ['ok', 'a;rm -rf /']), RangeError);
    assert.throws(() => render({}, ['$(x)']), RangeError);
  });

  it('never accepts flake config on the user’s behalf', () => {
    for (const cachix of [null, 'demo-cache']) {
      assert.ok(!render({ cachix }).includes('accept-flake-config'));
    }
  });

  it('explains each step', () => {
    const lines = [render(), render({ cachix: 'c' })].join('\n').split('\n');
    lines.forEach((line, i) => {
      if (/^ {6}- /.test(line)) {
        assert.match(lines[i - 1] ?? '', /^ {6}# /, `no comment above: ${line}`);
      }
    });
  });

  it('keeps a workspace name with newlines inside the header comment', () => {
    const text = renderWorkflow({ options: OPTIONS, workspaceName: 'a\nname: x', binaryPackages: [] });
    assert.equal((parse(text) as { name: string }).name, 'Nix');
    assert.match(text.split('\n')[0] ?? '', /^# CI for a name: x,/);
  });
});
