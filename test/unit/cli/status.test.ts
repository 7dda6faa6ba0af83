import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCliArgs, UsageError } from '../../../src/cli/args';
import { EXIT_USAGE, runCli } from '../../../src/cli/run';
import { formatBytes, formatStatus, projectsOf, statusJson } from '../../../src/cli/status';
import { detectWorkspaces } from '../../../src/core/cargo';
import {
  allItems,
  combineOutputs,
  countStatuses,
  formatSummary,
  groupProjectDerivations,
  parseFlakeDerivationsJson,
  type DerivationStatus,
  type ItemStatus,
  type WorkspaceStatus,
} from '../../../src/core/derivations';
import { buildMachine } from '../helpers/buildMachine';
import { REPO_ROOT } from '../helpers/repo';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'derivations', 'workspace');
const EVAL = path.join(REPO_ROOT, 'test', 'fixtures', 'nix-json', '2.8', 'flake-eval.json');

/** The recorded evaluation of the fixture flake with the given statuses (by derivation name). */
function statusOf(byName: Record<string, DerivationStatus>): WorkspaceStatus {
  const flake = parseFlakeDerivationsJson(fs.readFileSync(EVAL, 'utf8'));
  const projects = projectsOf(detectWorkspaces(FIXTURE).workspaces, FIXTURE, null);
  const groups = groupProjectDerivations(flake, projects);
  const statuses = new Map<string, ItemStatus>();
  for (const item of allItems(groups)) {
    const status = byName[item.name] ?? 'local';
    const outputs = Object.entries(item.outputs).map(([output, p]) => ({
      output,
      path: p,
      status,
      hit:
        status === 'cached'
          ? { url: 'https://cache.example.org', signedBy: 'example-1', narSize: 4096, fileSize: 1536 }
          : null,
      detail:
        status === 'build'
          ? 'https://cache.example.org has it, signed by other-1, which trusted-public-keys does not list'
          : null,
    }));
    statuses.set(item.drvPath, combineOutputs(item.drvPath, outputs));
  }
  const counts = countStatuses(statuses.values());
  return {
    flake,
    groups,
    plan: {
      substituters: ['https://cache.example.org'],
      trustedPublicKeys: [],
      requireSigs: true,
      flakeSubstituters: [{ url: 'https://fixture-cache.invalid', trusted: false }],
      notes: ['https://fixture-cache.invalid (declared by the flake) is not used: …'],
    },
    machines: {
      local: { system: 'x86_64-linux', extraPlatforms: [], systemFeatures: [], maxJobs: 1 },
      builders: [],
    },
    statuses,
    counts,
    summary: formatSummary(counts),
  };
}

describe('nixify status', () => {
  describe('arguments', () => {
    it('reads status, DIR, --json and --system', () => {
      assert.deepEqual(parseCliArgs(['status']), {
        command: 'status',
        dir: undefined,
        json: false,
        system: undefined,
      });
      assert.deepEqual(parseCliArgs(['status', 'ws', '--json', '--system', 'aarch64-darwin']), {
        command: 'status',
        dir: 'ws',
        json: true,
        system: 'aarch64-darwin',
      });
    });

    const refused: [string[], RegExp][] = [
      [['status', '--system', 'x86 64'], /--system needs a Nix system/],
      [['status', '--ignore', 'x'], /--ignore is an option of detect, not status/],
      [['status', '--force'], /--force is an option of init, not status/],
      [['status', '--no-wasm'], /--no-wasm is an option of init, not status/],
      [['detect', '--system', 'x86_64-linux'], /--system is an option of status, not detect/],
      [['init', '--system', 'x86_64-linux'], /--system is an option of status, not init/],
      [['status', 'a', 'b'], /one directory/],
    ];
    for (const [argv, message] of refused) {
      it(`refuses ${argv.join(' ')}`, () => {
        assert.throws(
          () => parseCliArgs(argv),
          (e: unknown) => e instanceof UsageError && message.test(e.message),
        );
      });
    }
  });

  it('takes the crates, with their wasm flag, from the Cargo workspace at DIR', () => {
    assert.deepEqual(projectsOf(detectWorkspaces(FIXTURE).workspaces, FIXTURE, null), [
      {
        key: 'workspace',
        dir: '',
        crates: [
          { name: 'app', wasm: false },
          { name: 'core-lib', wasm: false },
          { name: 'web-ui', wasm: true },
        ],
      },
    ]);
  });

  it("takes every project of a multi-project flake, with the flake's keys and clashing crates' output names", () => {
    const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'repo-with-site');
    const projects = projectsOf(detectWorkspaces(dir).workspaces, dir, null);
    assert.deepEqual(
      projects.map((p) => [p.key, p.dir, p.crates.map((c) => c.output ?? c.name)]),
      [
        ['workspace', '', ['workspace-cli', 'core-lib']],
        ['leptos-website', 'leptos-website', ['leptos-website']],
        ['tools-standalone', 'tools/standalone', ['tools-standalone-cli']],
      ],
    );
    const listed = '    leptos-website = mkProject {\n      dir = "leptos-website";\n    };\n';
    assert.deepEqual(
      projectsOf(detectWorkspaces(dir).workspaces, dir, listed).map((p) => [
        p.key,
        p.crates.map((c) => c.output ?? c.name),
      ]),
      [['leptos-website', ['leptos-website']]],
    );
  });

  it('prints a multi-project flake per project: its crates by output name, then "Project <dir> (<key>)"', () => {
    const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'repo-with-site');
    const d = (name: string) => ({
      drvPath: `/nix/store/${name.padEnd(32, 'a').slice(0, 32)}-${name}.drv`,
      name,
      outputs: { out: `/nix/store/${name.padEnd(32, 'b').slice(0, 32)}-${name}` },
    });
    const attrs = [
      ['packages', 'workspace-cli', 'cli-0.1.0'],
      ['packages', 'core-lib', 'core-lib-0.1.0'],
      ['packages', 'leptos-website', 'leptos-website-0.1.0'],
      ['packages', 'tools-standalone-cli', 'cli-1.0.0'],
      ['checks', 'workspace-clippy', 'rws-clippy'],
      ['checks', 'tools-standalone-fmt', 'cli-fmt'],
      ['devShells', 'leptos-website', 'site-shell'],
    ] as const;
    const groups = groupProjectDerivations(
      {
        system: 'x86_64-linux',
        cache: { substituters: [], trustedPublicKeys: [] },
        inputs: {},
        attributes: attrs.map(([section, name, drvName]) => ({
          section,
          name,
          derivation: d(drvName),
          cargoArtifacts: null,
        })),
      },
      projectsOf(detectWorkspaces(dir).workspaces, dir, null),
    );
    const status = { ...statusOf({}), groups, statuses: new Map<string, ItemStatus>() };
    const blocks = formatStatus(status, '.')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith(' '));
    assert.deepEqual(blocks.slice(2, 10), [
      'workspace-cli',
      'core-lib',
      'Project . (workspace)',
      'leptos-website',
      'Project leptos-website (leptos-website)',
      'tools-standalone-cli',
      'Project tools/standalone (tools-standalone)',
      status.summary,
    ]);
    const json = statusJson(dir, status) as { groups: { group: string; project: string | null }[] };
    assert.deepEqual(
      json.groups.filter((g) => g.group === 'project').map((g) => g.project),
      ['workspace', 'leptos-website', 'tools-standalone'],
    );
  });

  it('prints one block per crate, then Workspace and Other outputs, the sum-up and the notes', () => {
    const text = formatStatus(
      statusOf({ 'app-0.1.0': 'cached', 'web-ui-0.1.0': 'build', 'fixture-clippy-0.1.0': 'unknown' }),
      '.',
    );
    const lines = text.split('\n');
    assert.equal(lines[0], 'Derivations of . for x86_64-linux');
    assert.equal(lines[1], 'Substituters: https://cache.example.org');
    assert.deepEqual(lines.filter((l) => l !== '' && !l.startsWith(' ')).slice(2), [
      'app',
      'core-lib',
      'web-ui',
      'Workspace',
      'Other outputs',
      '11 local · 1 cached · 1 to build · 1 unknown',
      'note: https://fixture-cache.invalid (declared by the flake) is not used: …',
    ]);
    assert.match(
      text,
      /\n {2}package +cached +app-0\.1\.0 +from https:\/\/cache\.example\.org, signed by example-1, 1\.5 KiB\n/,
    );
    assert.match(
      text,
      /\n {2}wasm build +build +web-ui-0\.1\.0 +https:\/\/cache\.example\.org has it, signed by other-1/,
    );
    assert.match(text, /\n {2}dependencies +local +app-deps-0\.1\.0\n/);
    assert.ok(text.endsWith('\n'));
  });

  it('prints JSON with every item, its attributes and outputs', () => {
    const json = statusJson('/ws', statusOf({ 'app-0.1.0': 'cached' })) as {
      summary: string;
      groups: {
        group: string;
        name: string;
        items: { label: string; status: string; attributes: string[]; outputs: unknown[] }[];
      }[];
    };
    assert.equal(json.summary, '13 local · 1 cached · 0 to build');
    assert.deepEqual(
      json.groups.map((g) => [g.group, g.name, g.items.length]),
      [
        ['crate', 'app', 3],
        ['crate', 'core-lib', 2],
        ['crate', 'web-ui', 2],
        ['workspace', 'Workspace', 6],
        ['other', 'Other outputs', 1],
      ],
    );
    const app = json.groups[0]?.items[0];
    assert.equal(app?.status, 'cached');
    assert.deepEqual(app?.attributes, [
      'packages.x86_64-linux.app',
      'packages.x86_64-linux.default',
      'checks.x86_64-linux.app',
    ]);
    assert.equal(app?.outputs.length, 1);
    assert.doesNotThrow(() => JSON.stringify(json));
  });

  it('writes sizes as people read them', () => {
    assert.deepEqual([0, 1023, 1536, 5 * 1024 * 1024, 3 * 1024 ** 4].map(formatBytes), [
      '0 B',
      '1023 B',
      '1.5 KiB',
      '5.0 MiB',
      '3.0 TiB',
    ]);
  });

  it('exits 2 without starting Nix when DIR has no flake.nix', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-status-')));
    try {
      let stderr = '';
      const code = await runCli(['status'], {
        cwd: dir,
        stdout: () => undefined,
        stderr: (t) => (stderr += t),
      });
      assert.equal(code, EXIT_USAGE);
      assert.equal(
        stderr,
        `nixify: no flake.nix in ${dir} (nixify init writes one)\nRun 'nixify --help' for usage.\n`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nixify status: derivations for scripts and where builds run', () => {
  const linux = { system: 'x86_64-linux', requiredSystemFeatures: [], preferLocalBuild: false };
  /** The fixture's status with every item's requirements known and one builder configured. */
  function withBuilder(): WorkspaceStatus {
    const status = statusOf({ 'app-0.1.0': 'cached', 'web-ui-0.1.0': 'build', 'app-image': 'build' });
    for (const item of allItems(status.groups)) item.build = linux;
    status.machines.builders.push(buildMachine('ssh-ng://nix@b1.example', { maxJobs: 2 }));
    return status;
  }

  it('lists one entry per derivation with its installable attribute, status, system and where it builds', () => {
    const json = statusJson('/ws', withBuilder()) as {
      derivations: {
        attribute: string | null;
        status: string;
        system: string;
        buildsOn: { where: string; builders?: string[] } | null;
      }[];
    };
    const app = json.derivations.find((d) => d.attribute === 'packages.x86_64-linux.app');
    assert.deepEqual([app?.status, app?.system, app?.buildsOn], ['cached', 'x86_64-linux', null]);
    const toBuild = json.derivations.filter((d) => d.status === 'build');
    assert.ok(toBuild.length > 0);
    for (const d of toBuild)
      assert.deepEqual(d.buildsOn, { where: 'either', builders: ['ssh-ng://nix@b1.example'] });
    // Dependency artifacts have no attribute of their own: a planner builds them through their consumers.
    assert.ok(json.derivations.some((d) => d.attribute === null));
  });

  it('says in the table which builder a to-build derivation is offered to, only when builders exist', () => {
    assert.match(
      formatStatus(withBuilder(), 'ws'),
      /build +\S+ +offered to ssh-ng:\/\/nix@b1\.example, else here/,
    );
    assert.doesNotMatch(formatStatus(statusOf({ 'web-ui-0.1.0': 'build' }), 'ws'), /offered to|builds here/);
  });
});
