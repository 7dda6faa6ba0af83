import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HELP, parseCliArgs, UsageError } from '../../../src/cli/args';
import { EXIT_HEALTH_ERROR } from '../../../src/cli/health';
import { EXIT_USAGE, runCli } from '../../../src/cli/run';
import type { HealthReport } from '../../../src/core/health';

describe('nixify health', () => {
  it('parses DIR and --json, and refuses the options of other commands', () => {
    assert.deepEqual(parseCliArgs(['health']), { command: 'health', dir: undefined, json: false });
    assert.deepEqual(parseCliArgs(['health', 'ws', '--json']), { command: 'health', dir: 'ws', json: true });
    assert.throws(() => parseCliArgs(['health', '--system', 'x86_64-linux']), UsageError);
    assert.throws(() => parseCliArgs(['health', '--dry-run']), /not an option of health/);
    assert.throws(() => parseCliArgs(['health', 'a', 'b']), /one directory/);
    assert.match(HELP, /^ {2}health \[DIR\]/m);
  });

  // Without nix on PATH no Nix check can run, so this needs no Nix: the Nix item is the error.
  it('exits 1 with the report as JSON when Nix is missing', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-cli-health-')));
    try {
      let stdout = '';
      const status = await runCli(['health', '--json'], {
        cwd: dir,
        stdout: (text) => (stdout += text),
        stderr: () => undefined,
        env: { PATH: path.join(dir, 'no-bin') },
      });
      assert.equal(status, EXIT_HEALTH_ERROR);
      const report = JSON.parse(stdout) as HealthReport;
      assert.equal(report.nix, null);
      const nix = report.items.find((i) => i.id === 'nix.installed');
      assert.equal(nix?.status, 'error');
      assert.deepEqual(
        report.items.filter((i) => i.id.startsWith('nix.') && i.id !== 'nix.installed').map((i) => i.status),
        ['skipped', 'skipped', 'skipped'],
      );
      assert.equal(report.items.find((i) => i.id === 'workspace.flake')?.folder, dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a directory that does not exist', () => {
    let stderr = '';
    const status = runCli(['health', '/nonexistent/nixify'], {
      cwd: '/',
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
    });
    assert.equal(status, EXIT_USAGE);
    assert.match(stderr, /no such directory/);
  });
});
