import * as assert from 'node:assert/strict';
import type { BuildRequirements } from '../../../../src/core/derivations/flakeOutputs';
import {
  countPlacements,
  formatPlacementCounts,
  placeBuild,
  type LocalMachine,
} from '../../../../src/core/derivations/placement';
import { buildMachine as machine } from '../../helpers/buildMachine';

const local: LocalMachine = {
  system: 'x86_64-linux',
  extraPlatforms: ['i686-linux'],
  systemFeatures: ['benchmark', 'big-parallel', 'nixos-test', 'kvm'],
  maxJobs: 2,
};

function needs(system: string, features: string[] = [], preferLocalBuild = false): BuildRequirements {
  return { system, requiredSystemFeatures: features, preferLocalBuild };
}

describe('placeBuild', () => {
  it('builds here when there are no builders and the system is this machine’s', () => {
    assert.deepEqual(placeBuild(needs('x86_64-linux'), local, []), { where: 'local' });
    assert.deepEqual(placeBuild(needs('i686-linux'), local, []), { where: 'local' }, 'extra-platforms');
  });

  it('offers a derivation to matching builders first, fastest first, and keeps here as the fallback', () => {
    const builders = [
      machine('ssh://slow', { speedFactor: 1 }),
      machine('ssh-ng://fast', { speedFactor: 4 }),
    ];
    assert.deepEqual(placeBuild(needs('x86_64-linux'), local, builders), {
      where: 'either',
      builders: ['ssh-ng://fast', 'ssh://slow'],
    });
  });

  it('sends a foreign system only to a builder for it', () => {
    const builders = [
      machine('ssh://mac', { systems: ['aarch64-darwin', 'x86_64-darwin'] }),
      machine('ssh://linux'),
    ];
    assert.deepEqual(placeBuild(needs('aarch64-darwin'), local, builders), {
      where: 'remote',
      builders: ['ssh://mac'],
    });
  });

  it('keeps preferLocalBuild derivations here', () => {
    assert.deepEqual(placeBuild(needs('x86_64-linux', [], true), local, [machine('ssh://b')]), {
      where: 'local',
    });
  });

  it('honours supported and mandatory features as Nix does', () => {
    const gpu = machine('ssh://gpu', { supportedFeatures: ['cuda'], mandatoryFeatures: ['cuda'] });
    const plain = machine('ssh://plain', { supportedFeatures: ['big-parallel'] });
    // A mandatory feature keeps ordinary builds off the GPU machine.
    assert.deepEqual(placeBuild(needs('x86_64-linux'), local, [gpu, plain]), {
      where: 'either',
      builders: ['ssh://plain'],
    });
    // Only the GPU machine has cuda, and this machine lacks it.
    assert.deepEqual(placeBuild(needs('x86_64-linux', ['cuda']), local, [gpu, plain]), {
      where: 'remote',
      builders: ['ssh://gpu'],
    });
  });

  it('a builder without systems builds for this machine’s system; max-jobs 0 takes nothing', () => {
    assert.deepEqual(placeBuild(needs('x86_64-linux'), local, [machine('ssh://any', { systems: [] })]), {
      where: 'either',
      builders: ['ssh://any'],
    });
    assert.deepEqual(placeBuild(needs('x86_64-linux'), local, [machine('ssh://off', { maxJobs: 0 })]), {
      where: 'local',
    });
  });

  it('says why nothing can build it', () => {
    const placement = placeBuild(needs('aarch64-darwin', ['apple-virt']), local, [machine('ssh://linux')]);
    assert.equal(placement.where, 'nowhere');
    assert.match(
      placement.where === 'nowhere' ? placement.reason : '',
      /needs aarch64-darwin with apple-virt; this machine is x86_64-linux/,
    );
    const noJobs = placeBuild(needs('x86_64-linux'), { ...local, maxJobs: 0 }, []);
    assert.deepEqual(noJobs, { where: 'nowhere', reason: 'max-jobs is 0 and no builder takes it' });
    assert.deepEqual(placeBuild(needs('x86_64-linux'), { ...local, maxJobs: 0 }, [machine('ssh://b')]), {
      where: 'remote',
      builders: ['ssh://b'],
    });
  });
});

describe('formatPlacementCounts', () => {
  it('counts remote and either as on builders, and says nothing without builders', () => {
    const counts = countPlacements([
      { where: 'local' },
      { where: 'either', builders: ['ssh://b'] },
      { where: 'remote', builders: ['ssh://b'] },
    ]);
    assert.deepEqual(counts, { local: 1, remote: 2, nowhere: 0 });
    assert.equal(formatPlacementCounts(counts, true), '1 here · 2 on builders');
    assert.equal(formatPlacementCounts({ local: 3, remote: 0, nowhere: 0 }, false), '');
    assert.equal(formatPlacementCounts({ local: 3, remote: 0, nowhere: 1 }, false), '3 here · 1 nowhere');
  });
});
