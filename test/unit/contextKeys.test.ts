import * as assert from 'node:assert/strict';
import { ContextKey, detectionContextKeys } from '../../src/contextKeys';
import { demoWorkspace, pkg, result, workspace } from './helpers/model';

describe('detectionContextKeys', () => {
  it('is all false before anything was detected', () => {
    assert.deepEqual(detectionContextKeys([{ result: undefined, hasFlake: false }]), {
      [ContextKey.detected]: false,
      [ContextKey.inCargoWorkspace]: false,
      [ContextKey.hasFlake]: false,
    });
    assert.deepEqual(detectionContextKeys([]), {
      [ContextKey.detected]: false,
      [ContextKey.inCargoWorkspace]: false,
      [ContextKey.hasFlake]: false,
    });
  });

  it('is in a Cargo workspace when any folder has one', () => {
    const keys = detectionContextKeys([
      { result: result('/a', []), hasFlake: false },
      { result: result('/b', [demoWorkspace('/b')]), hasFlake: false },
    ]);
    assert.equal(keys[ContextKey.inCargoWorkspace], true);
  });

  it('ignores workspaces with neither packages nor a [workspace] table', () => {
    const keys = detectionContextKeys([
      { result: result('/a', [workspace('/a', [], { explicit: false })]), hasFlake: false },
    ]);
    assert.equal(keys[ContextKey.inCargoWorkspace], false);
  });

  it('has a flake when any folder has one at its root', () => {
    const keys = detectionContextKeys([
      { result: result('/a', [workspace('/a', [pkg('a', '/a')])]), hasFlake: false },
      { result: undefined, hasFlake: true },
    ]);
    assert.equal(keys[ContextKey.hasFlake], true);
  });

  it('says detection is done only once every folder has a result', () => {
    const done = { result: result('/a', []), hasFlake: false };
    assert.equal(
      detectionContextKeys([done, { result: undefined, hasFlake: false }])[ContextKey.detected],
      false,
    );
    assert.equal(detectionContextKeys([done, done])[ContextKey.detected], true);
  });
});
