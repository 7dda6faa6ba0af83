import * as assert from 'node:assert/strict';
import { applyEnvDelta, sortedDelta, withHookChanges } from '../../../../src/core/devenv/envDelta';
import type { EnvDelta } from '../../../../src/core/devenv/types';

const delta = (partial: Partial<EnvDelta>): EnvDelta => ({ set: {}, prepend: {}, unset: [], ...partial });
const neverDropped = () => false;

describe('core/devenv/envDelta', () => {
  describe('applyEnvDelta', () => {
    it('sets, prepends with one colon, and unsets', () => {
      const result = applyEnvDelta(
        { PATH: '/usr/bin:/bin', KEEP: 'k', GONE: 'g', OVER: 'old' },
        delta({ set: { OVER: 'new', NEW: 'n' }, prepend: { PATH: '/nix/store/a/bin' }, unset: ['GONE'] }),
      );
      assert.deepEqual(result, { PATH: '/nix/store/a/bin:/usr/bin:/bin', KEEP: 'k', OVER: 'new', NEW: 'n' });
    });

    it('leaves no empty trailing colon when the user has no value (or an empty one)', () => {
      const d = delta({ prepend: { XDG_DATA_DIRS: '/nix/store/a/share' } });
      assert.deepEqual(applyEnvDelta({}, d), { XDG_DATA_DIRS: '/nix/store/a/share' });
      assert.deepEqual(applyEnvDelta({ XDG_DATA_DIRS: '' }, d), { XDG_DATA_DIRS: '/nix/store/a/share' });
    });

    it('drops undefined entries of the base and does not modify it', () => {
      const base = { A: 'a', B: undefined };
      assert.deepEqual(applyEnvDelta(base, delta({ prepend: { PATH: '' } })), { A: 'a' });
      assert.deepEqual(base, { A: 'a', B: undefined });
    });
  });

  describe('withHookChanges', () => {
    const baseline = { PATH: '/usr/bin', USER_VAR: 'u', UNSET_ME: 'x' };
    const base = delta({ set: { SHELL_VAR: 's', DROPPED: 'd' }, prepend: { PATH: '/nix/a/bin' } });

    it('adds exports, overrides, unsets and a PATH entry the hook put in front', () => {
      const after = {
        PATH: '/hook/bin:/nix/a/bin:/usr/bin',
        USER_VAR: 'u',
        SHELL_VAR: 'changed',
        HOOK_VAR: 'h',
        PWD: '/somewhere',
      };
      const result = withHookChanges(base, baseline, after, (name) => name === 'PWD');
      assert.deepEqual(result, {
        set: { HOOK_VAR: 'h', SHELL_VAR: 'changed' },
        prepend: { PATH: '/hook/bin:/nix/a/bin' },
        unset: ['DROPPED', 'UNSET_ME'],
      });
    });

    it('sets a PATH the hook replaced, and drops the prepend when it restored the user PATH', () => {
      const common = { USER_VAR: 'u', UNSET_ME: 'x', SHELL_VAR: 's', DROPPED: 'd' };
      const replaced = withHookChanges(base, baseline, { ...common, PATH: '/only/this' }, neverDropped);
      assert.deepEqual(replaced.set['PATH'], '/only/this');
      assert.ok(!('PATH' in replaced.prepend));
      const restored = withHookChanges(base, baseline, { ...common, PATH: '/usr/bin' }, neverDropped);
      assert.ok(!('PATH' in restored.prepend) && !('PATH' in restored.set));
    });

    it('prepends the whole value when the user had none', () => {
      const result = withHookChanges(
        delta({ prepend: { XDG_DATA_DIRS: '/nix/a/share' } }),
        {},
        { XDG_DATA_DIRS: '/hook/share:/nix/a/share' },
        neverDropped,
      );
      assert.deepEqual(result.prepend, { XDG_DATA_DIRS: '/hook/share:/nix/a/share' });
    });

    it('changes nothing when the hook changed nothing', () => {
      const after = applyEnvDelta(baseline, base);
      assert.deepEqual(withHookChanges(base, baseline, after, neverDropped), sortedDelta(base));
    });
  });
});
