import * as assert from 'node:assert/strict';
import { Reconciler } from '../../../src/devShell/reconciler';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

function recorder(fail?: (wanted: string) => boolean) {
  const steps: string[] = [];
  const errors: unknown[] = [];
  const reconciler = new Reconciler<string>(
    async (wanted, current) => {
      steps.push(`${current}->${wanted}`);
      await tick();
      if (fail?.(wanted)) return 'none';
      return wanted;
    },
    'none',
    (a, b) => a === b,
    (error) => errors.push(error),
  );
  return { reconciler, steps, errors };
}

describe('Reconciler', () => {
  it('coalesces requests made during a step and ends in the last one', async () => {
    const { reconciler, steps } = recorder();
    const requests: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) requests.push(reconciler.set(i % 2 === 0 ? 'on' : 'none'));
    requests.push(reconciler.set('on'));
    await Promise.all(requests);
    assert.equal(reconciler.state, 'on');
    assert.ok(steps.length <= 2, `too many steps: ${steps.join(', ')}`);
  });

  it('does nothing when the wanted state is the current one', async () => {
    const { reconciler, steps } = recorder();
    await reconciler.set('none');
    assert.deepEqual(steps, []);
  });

  it('does not retry a step that fell short until asked again', async () => {
    const { reconciler, steps } = recorder((wanted) => wanted === 'on');
    await reconciler.set('on');
    assert.equal(reconciler.state, 'none');
    assert.equal(steps.length, 1);
    await reconciler.set('on');
    assert.equal(steps.length, 2);
  });

  it('reports a throwing step and moves on', async () => {
    const errors: unknown[] = [];
    const reconciler = new Reconciler<string>(
      async () => {
        throw new Error('boom');
      },
      'a',
      (x, y) => x === y,
      (error) => errors.push(error),
    );
    await reconciler.set('b');
    assert.equal(errors.length, 1);
    assert.equal(reconciler.state, 'b');
    await reconciler.settled();
  });

  it('handles a request made right after the previous run finished', async () => {
    const { reconciler } = recorder();
    await reconciler.set('on');
    const next = reconciler.set('none');
    await next;
    assert.equal(reconciler.state, 'none');
  });
});
