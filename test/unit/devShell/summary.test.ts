import * as assert from 'node:assert/strict';
import {
  findExecutable,
  formatDuration,
  renderEnvironment,
  sameShell,
  shellLabel,
  summarizeDelta,
} from '../../../src/devShell/summary';
import { delta, devShellEnv, source } from './fixtures';

describe('dev shell summary', () => {
  it('counts variables (PATH once) and PATH entries, and lists names without values', () => {
    const summary = summarizeDelta(delta({ unset: ['OLD'] }));
    assert.deepEqual(summary, {
      variables: 4,
      pathEntries: 2,
      unset: 1,
      names: ['OLD', 'PATH', 'RUST_LOG', 'SECRET_TOKEN', 'XDG_DATA_DIRS'],
    });
    assert.ok(!JSON.stringify(summary).includes('hunter2'));
  });

  it('counts no PATH entries when the shell adds none', () => {
    assert.equal(summarizeDelta(delta({ prepend: {} })).pathEntries, 0);
    assert.equal(summarizeDelta(delta({ prepend: { PATH: '::/a::' } })).pathEntries, 1);
  });

  it('labels flakes by attribute path and other shells by file', () => {
    assert.equal(shellLabel(source()), 'devShells.x86_64-linux.default');
    assert.equal(shellLabel(source({ kind: 'shell.nix', attr: '' })), 'shell.nix');
  });

  it('tells shells apart by folder, kind, attribute and system', () => {
    assert.equal(sameShell(source(), source()), true);
    assert.equal(sameShell(source(), source({ attr: 'ci' })), false);
    assert.equal(sameShell(source(), source({ system: 'aarch64-linux' })), false);
  });

  it('formats durations for people', () => {
    assert.equal(formatDuration(12.4), '12 ms');
    assert.equal(formatDuration(1234), '1.2 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
  });

  it('finds an executable on the shell’s own PATH entries only, first match wins', () => {
    const present = new Set(['/b/rust-analyzer', '/c/rust-analyzer']);
    const isExecutable = (file: string) => present.has(file);
    assert.equal(findExecutable('rust-analyzer', '/a:/b:/c', isExecutable), '/b/rust-analyzer');
    assert.equal(findExecutable('rust-analyzer', '/a', isExecutable), undefined);
    assert.equal(findExecutable('rust-analyzer', undefined, isExecutable), undefined);
  });

  it('renders the environment as shell lines that prepend, set and unset', () => {
    const text = renderEnvironment(devShellEnv({ delta: delta({ set: { Q: "it's" }, unset: ['GONE'] }) }));
    assert.match(
      text,
      /^export PATH='\/nix\/store\/aaa-tool\/bin:\/nix\/store\/bbb-ra\/bin'"\$\{PATH:\+:\$PATH\}"$/m,
    );
    assert.match(text, /^export Q='it'\\''s'$/m);
    assert.match(text, /^unset GONE$/m);
    assert.match(text, /^# Nix dev shell devShells\.x86_64-linux\.default of \/ws$/m);
  });
});
