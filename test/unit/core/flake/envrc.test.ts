import * as assert from 'node:assert/strict';
import { renderEnvrc } from '../../../../src/core/flake/envrc';

describe('core/flake/envrc renderEnvrc', () => {
  const text = renderEnvrc();
  const commands = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

  it('loads the flake, watching nix/*.nix first so nix-direnv notices it', () => {
    assert.deepEqual(commands, ['watch_file nix/*.nix', 'use flake']);
  });

  it('says why, and names nix-direnv', () => {
    assert.ok(text.startsWith('# '));
    assert.match(text, /nix-direnv/);
  });

  it('ends in one newline and has no tabs or trailing spaces', () => {
    assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
    assert.ok(!text.includes('\t'));
    assert.ok(!/ +$/m.test(text));
  });
});
