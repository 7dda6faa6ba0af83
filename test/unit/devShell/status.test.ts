import * as assert from 'node:assert/strict';
import { nextStatus, offStatus, type AppliedShell } from '../../../src/core/devenv/status';
import { isActive, presentStatus } from '../../../src/devShell/status';
import { devShellEnv, source } from './fixtures';

const off = offStatus('ws', source());
const applied = { env: devShellEnv(), fromCache: true };
const on = (shell: AppliedShell = applied) => nextStatus(off, { type: 'applied', applied: shell });

describe('dev shell status presentation', () => {
  it('off: a click turns it on', () => {
    const view = presentStatus(off, false);
    assert.equal(view.text, '$(circle-large-outline) Dev shell');
    assert.equal(view.action, 'toggle');
    assert.equal(view.severity, 'none');
    assert.match(view.tooltip, /Nix dev shell: off/);
    assert.match(view.tooltip, /Click to turn it on/);
    assert.equal(isActive(off), false);
  });

  it('loading: a spinner, and a click cancels', () => {
    const view = presentStatus(nextStatus(off, { type: 'loading', source: source() }), false);
    assert.equal(view.text, '$(sync~spin) Dev shell');
    assert.equal(view.action, 'cancel');
    assert.match(view.tooltip, /Click to cancel/);
  });

  it('on: attribute, variables, PATH entries, cache and evaluation time, and never a value', () => {
    const status = on();
    const view = presentStatus(status, false);
    assert.equal(view.text, '$(check) Dev shell');
    assert.equal(view.action, 'toggle');
    assert.match(view.tooltip, /devShells\.x86_64-linux\.default/);
    assert.match(view.tooltip, /4 variables added, 2 PATH entries/);
    assert.match(view.tooltip, /From the cache \(evaluated 2025-01-02T03:04:05\.000Z in 1\.2 s\)/);
    assert.ok(!view.tooltip.includes('hunter2'), 'a value leaked into the tooltip');
    assert.ok(!view.tooltip.includes('/nix/store/aaa-tool'), 'a value leaked into the tooltip');
    assert.equal(isActive(status), true);
    const fresh = presentStatus(on({ ...applied, fromCache: false }), false);
    assert.match(fresh.tooltip, /Freshly evaluated in 1\.2 s/);
  });

  it('stale: a warning, and the shell stays on', () => {
    const view = presentStatus(nextStatus(on(), { type: 'staleChecked', stale: true }), false);
    assert.equal(view.text, '$(history) Dev shell');
    assert.equal(view.severity, 'warning');
    assert.equal(view.action, 'toggle');
    assert.match(view.tooltip, /stale/);
  });

  it('error: a click opens the log, and says the last good environment stays', () => {
    const status = nextStatus(on(), { type: 'failed', error: 'error: syntax error\nmore' });
    const view = presentStatus(status, false);
    assert.equal(view.text, '$(error) Dev shell');
    assert.equal(view.action, 'showLog');
    assert.equal(view.severity, 'error');
    assert.match(view.tooltip, /Failed: error: syntax error/);
    assert.ok(!view.tooltip.includes('more'));
    assert.match(view.tooltip, /last good environment stays/);
    assert.equal(isActive(status), true);
  });

  it('names a non-default attribute, and the folder in a multi-root workspace', () => {
    const status = offStatus('backend', source({ attr: 'ci' }));
    assert.equal(presentStatus(status, true).text, '$(circle-large-outline) Dev shell: ci (backend)');
  });

  it('says when the folder has no shell at all', () => {
    const view = presentStatus(offStatus('ws', null), false);
    assert.match(view.tooltip, /No flake\.nix, shell\.nix or default\.nix/);
    assert.ok(!view.tooltip.endsWith('\n\n'));
  });
});
