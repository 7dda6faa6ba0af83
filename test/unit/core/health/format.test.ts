import * as assert from 'node:assert/strict';
import {
  bySeverity,
  describeFix,
  fixClipboardText,
  formatHealthReport,
  healthReportMarkdown,
  summarize,
} from '../../../../src/core/health/format';
import { worstStatus, type HealthItem, type HealthReport } from '../../../../src/core/health/types';

const ITEMS: HealthItem[] = [
  { id: 'nix.installed', title: 'Nix', status: 'ok', detail: 'Nix 2.8.0 at /usr/bin/nix' },
  {
    id: 'flake.substituters',
    title: "The flake's caches (nixConfig)",
    status: 'warning',
    detail: 'flake.nix asks for https://x.example.org.',
    folder: '/work/app',
    fix: {
      kind: 'nixConf',
      file: '/etc/nix/nix.conf',
      lines: ['extra-substituters = https://x.example.org', 'extra-trusted-public-keys = x-1:A='],
      then: 'Restart the daemon: sudo systemctl restart nix-daemon',
    },
  },
  { id: 'tool.cachix', title: 'cachix (optional)', status: 'skipped', detail: 'Not on PATH.' },
  {
    id: 'workspace.cargoLock',
    title: 'Cargo.lock',
    status: 'error',
    detail: 'No Cargo.lock.',
    folder: '/work/app',
    fix: { kind: 'command', command: 'cargo generate-lockfile' },
  },
];
const REPORT: HealthReport = { items: ITEMS, nix: '/usr/bin/nix', nixVersion: '2.8.0', durationMs: 120 };

describe('core/health/format', () => {
  it('orders errors, warnings, ok, skipped and counts them', () => {
    assert.deepEqual(
      bySeverity(ITEMS).map((i) => i.status),
      ['error', 'warning', 'ok', 'skipped'],
    );
    assert.equal(summarize(ITEMS), '1 error, 1 warning, 1 ok, 1 skipped');
    assert.equal(summarize(ITEMS.slice(0, 1)), '1 ok');
    assert.equal(worstStatus(ITEMS), 'error');
    assert.equal(worstStatus(ITEMS.slice(2, 3)), 'skipped');
  });

  it('copies exactly the lines, the command or the setting', () => {
    assert.equal(
      fixClipboardText(ITEMS[1]?.fix ?? assert.fail()),
      'extra-substituters = https://x.example.org\nextra-trusted-public-keys = x-1:A=\n',
    );
    assert.equal(fixClipboardText({ kind: 'command', command: 'nix flake lock' }), 'nix flake lock');
    assert.equal(
      fixClipboardText({ kind: 'setting', setting: 'nixify.nix.path', hint: '' }),
      'nixify.nix.path',
    );
    assert.deepEqual(describeFix({ kind: 'setting', setting: 's', hint: 'Clear it.' }), [
      'Change the setting s: Clear it.',
    ]);
  });

  it('prints one block per item with its fix, folders relative to the current directory', () => {
    assert.equal(
      formatHealthReport(REPORT, '/work'),
      [
        '✓ Nix: Nix 2.8.0 at /usr/bin/nix',
        "⚠ The flake's caches (nixConfig) [app]: flake.nix asks for https://x.example.org.",
        '    Add to /etc/nix/nix.conf:',
        '        extra-substituters = https://x.example.org',
        '        extra-trusted-public-keys = x-1:A=',
        '    Restart the daemon: sudo systemctl restart nix-daemon',
        '– cachix (optional): Not on PATH.',
        '✗ Cargo.lock [app]: No Cargo.lock.',
        '    Run: cargo generate-lockfile',
        '',
        '1 error, 1 warning, 1 ok, 1 skipped (120 ms)',
        '',
      ].join('\n'),
    );
  });

  it('writes Markdown with the fixes in code blocks', () => {
    const markdown = healthReportMarkdown(REPORT);
    assert.match(markdown, /^# Nixify health: problems found\n/);
    assert.match(markdown, /Nix: 2\.8\.0 at `\/usr\/bin\/nix`/);
    assert.ok(
      markdown.includes(
        '```ini\nextra-substituters = https://x.example.org\nextra-trusted-public-keys = x-1:A=\n```',
      ),
    );
    assert.ok(
      markdown.includes(
        '## ✗ Cargo.lock — `/work/app`\n\nNo Cargo.lock.\n\nRun:\n\n```sh\ncargo generate-lockfile\n```',
      ),
    );
    assert.match(healthReportMarkdown({ ...REPORT, items: ITEMS.slice(0, 1) }), /all good/);
  });
});
