import * as assert from 'node:assert/strict';
import type { NixConfig } from '../../../../src/core/nix/nixConfig';
import { planSubstituters, sameCache } from '../../../../src/core/nix/substituters';
import { NO_BUILDERS } from './nixJson';

describe('core/nix/substituters', () => {
  const config: NixConfig = {
    substituters: ['https://cache.nixos.org/'],
    trustedSubstituters: ['https://team.cachix.org'],
    trustedPublicKeys: ['cache.nixos.org-1:A='],
    requireSigs: true,
    system: 'x86_64-linux',
    ...NO_BUILDERS,
  };

  it("uses only the user's caches and keys when the flake declares none", () => {
    assert.deepEqual(planSubstituters(config, null), {
      substituters: ['https://cache.nixos.org/'],
      trustedPublicKeys: ['cache.nixos.org-1:A='],
      requireSigs: true,
      flakeSubstituters: [],
      notes: [],
    });
  });

  it('leaves out a flake cache the user does not trust and says how to trust it, key included', () => {
    const plan = planSubstituters(config, {
      substituters: ['https://evil.example.org'],
      trustedPublicKeys: ['evil-1:B='],
    });
    assert.deepEqual(plan.substituters, ['https://cache.nixos.org/']);
    assert.deepEqual(plan.trustedPublicKeys, ['cache.nixos.org-1:A=']);
    assert.deepEqual(plan.flakeSubstituters, [{ url: 'https://evil.example.org', trusted: false }]);
    assert.deepEqual(plan.notes, [
      'https://evil.example.org (declared by the flake) is not used: your Nix configuration does not trust it. ' +
        'To use it, add "extra-substituters = https://evil.example.org" and "extra-trusted-public-keys = evil-1:B=" to nix.conf.',
    ]);
  });

  it('adds a flake cache listed in trusted-substituters, but never its key', () => {
    const plan = planSubstituters(config, {
      substituters: ['https://team.cachix.org/'],
      trustedPublicKeys: ['team.cachix.org-1:C='],
    });
    assert.deepEqual(plan.substituters, ['https://cache.nixos.org/', 'https://team.cachix.org/']);
    assert.deepEqual(plan.trustedPublicKeys, ['cache.nixos.org-1:A=']);
    assert.equal(plan.notes.length, 1);
    assert.match(
      plan.notes[0] ?? '',
      /^The flake's key team\.cachix\.org-1:C= is not in trusted-public-keys/,
    );
  });

  it('does not repeat a flake cache that is already a substituter, and needs no note when its key is trusted', () => {
    const plan = planSubstituters(config, {
      substituters: ['https://cache.nixos.org'],
      trustedPublicKeys: ['cache.nixos.org-1:A='],
    });
    assert.deepEqual(plan.substituters, ['https://cache.nixos.org/']);
    assert.deepEqual(plan.flakeSubstituters, [{ url: 'https://cache.nixos.org', trusted: true }]);
    assert.deepEqual(plan.notes, []);
  });

  it('compares caches without their trailing slash', () => {
    assert.ok(sameCache('https://a/', 'https://a'));
    assert.ok(!sameCache('https://a', 'https://b'));
  });
});
