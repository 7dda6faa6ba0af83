import * as assert from 'node:assert/strict';
import {
  changedValues,
  EnvBackup,
  patchEnv,
  pristineEnv,
  restoreEnv,
  type EnvRecord,
} from '../../../src/devShell/processEnv';
import { delta } from './fixtures';

describe('process environment patching', () => {
  const base = (): EnvRecord => ({ PATH: '/usr/bin:/bin', HOME: '/home/u', GONE: 'x', RUST_LOG: 'info' });

  it('computes only the changed names: set, prepended PATH in full, unset as undefined', () => {
    const values = changedValues(base(), delta({ unset: ['GONE'] }));
    assert.deepEqual(values, {
      RUST_LOG: 'debug',
      SECRET_TOKEN: 'hunter2',
      PATH: '/nix/store/aaa-tool/bin:/nix/store/bbb-ra/bin:/usr/bin:/bin',
      XDG_DATA_DIRS: '/nix/store/ccc/share',
      GONE: undefined,
    });
  });

  it('patches and restores exactly, absent names included', () => {
    const env = base();
    const before = { ...env };
    const backup = new EnvBackup();
    patchEnv(env, changedValues(env, delta({ unset: ['GONE'] })), backup);
    assert.equal(env.RUST_LOG, 'debug');
    assert.equal('GONE' in env, false);
    assert.ok(env.PATH?.startsWith('/nix/store/aaa-tool/bin:'));
    assert.deepEqual(pristineEnv(env, backup), before);
    restoreEnv(env, backup);
    assert.deepEqual(env, before);
    assert.equal(backup.size, 0);
  });

  it('a second patch (a reloaded shell) leaves nothing of the first behind', () => {
    const env = base();
    const before = { ...env };
    const backup = new EnvBackup();
    patchEnv(env, changedValues(pristineEnv(env, backup), delta()), backup);
    patchEnv(
      env,
      changedValues(pristineEnv(env, backup), delta({ set: { ONLY_NEW: '1' }, prepend: {} })),
      backup,
    );
    assert.equal(env.SECRET_TOKEN, undefined);
    assert.equal(env.PATH, '/usr/bin:/bin', 'the first shell’s PATH entries stayed');
    assert.equal(env.ONLY_NEW, '1');
    restoreEnv(env, backup);
    assert.deepEqual(env, before);
  });

  it('keeps a value someone else set after the patch', () => {
    const env = base();
    const backup = new EnvBackup();
    patchEnv(env, { RUST_LOG: 'debug' }, backup);
    env.RUST_LOG = 'trace';
    restoreEnv(env, backup);
    assert.equal(env.RUST_LOG, 'trace');
  });

  it('works on process.env itself without writing the string "undefined"', () => {
    const name = 'NIXIFY_UNIT_TEST_VARIABLE';
    const backup = new EnvBackup();
    patchEnv(process.env, { [name]: 'on' }, backup);
    assert.equal(process.env[name], 'on');
    restoreEnv(process.env, backup);
    assert.equal(name in process.env, false);
  });
});
