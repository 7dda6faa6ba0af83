import * as assert from 'node:assert/strict';
import { COMMAND_IDS } from '../../../src/commands/ids';
import { readPackageJson } from '../helpers/packageJson';

describe('command ids', () => {
  const contributed = readPackageJson().contributes.commands;

  it('match the commands contributed in package.json', () => {
    assert.deepEqual(contributed.map((command) => command.command).sort(), [...COMMAND_IDS].sort());
  });

  it('are named nixify.verbNoun and filed under the Nixify category', () => {
    for (const command of contributed) {
      assert.match(command.command, /^nixify\.[a-z]+[A-Z][A-Za-z]*$/);
      assert.equal(command.category, 'Nixify', command.command);
    }
  });
});
