// Every transition of a folder's dev-shell status, as the controller makes them through nextStatus.
import * as assert from 'node:assert/strict';
import {
  nextStatus,
  offStatus,
  type DevShellEvent,
  type DevShellStatus,
} from '../../../../src/core/devenv/status';
import { devShellEnv, source } from '../../devShell/fixtures';

const off = offStatus('ws', source());
const applied = { env: devShellEnv(), fromCache: false };
const run = (status: DevShellStatus, ...events: DevShellEvent[]) => events.reduce(nextStatus, status);
const loading: DevShellEvent = { type: 'loading', source: source() };
const on = run(off, loading, { type: 'applied', applied });
const phaseOf = (status: DevShellStatus) => [
  status.phase,
  status.applied !== undefined,
  status.stale,
  status.error,
];

describe('core/devenv/status nextStatus', () => {
  it('starts off, with nothing applied', () => {
    assert.deepEqual(off, {
      phase: 'off',
      folderName: 'ws',
      source: source(),
      applied: undefined,
      stale: false,
      error: undefined,
    });
  });

  it('loading → on: the environment applies and its shell becomes the source', () => {
    const other = devShellEnv({ source: source({ attr: 'ci' }) });
    const status = run(off, loading, { type: 'applied', applied: { env: other, fromCache: true } });
    assert.deepEqual(phaseOf(status), ['on', true, false, undefined]);
    assert.equal(status.source?.attr, 'ci');
  });

  it('a failure keeps the last good environment, and the next success clears the error', () => {
    const failed = run(on, loading, { type: 'failed', error: 'error: syntax error' });
    assert.deepEqual(phaseOf(failed), ['error', true, false, 'error: syntax error']);
    assert.equal(failed.applied, on.applied);
    assert.deepEqual(phaseOf(run(failed, loading, { type: 'applied', applied })), [
      'on',
      true,
      false,
      undefined,
    ]);
  });

  it('a failure with nothing applied is an error with no environment (e.g. an untrusted workspace)', () => {
    assert.deepEqual(phaseOf(run(off, { type: 'failed', error: 'not trusted' })), [
      'error',
      false,
      false,
      'not trusted',
    ]);
  });

  it('stale and fresh again: only the check of an applied environment moves between on and stale', () => {
    const stale = nextStatus(on, { type: 'staleChecked', stale: true });
    assert.deepEqual(phaseOf(stale), ['stale', true, true, undefined]);
    assert.deepEqual(phaseOf(nextStatus(stale, { type: 'staleChecked', stale: false })), [
      'on',
      true,
      false,
      undefined,
    ]);
    assert.equal(nextStatus(off, { type: 'staleChecked', stale: true }), off);
  });

  it('a check that changes nothing returns the same status (listeners hear nothing)', () => {
    assert.equal(nextStatus(on, { type: 'staleChecked', stale: false }), on);
    const stale = nextStatus(on, { type: 'staleChecked', stale: true });
    assert.equal(nextStatus(stale, { type: 'staleChecked', stale: true }), stale);
  });

  it('staleness found after a failure keeps the error showing, and comes back when a reload is cancelled', () => {
    const failed = run(on, loading, { type: 'failed', error: 'boom' }, { type: 'staleChecked', stale: true });
    assert.deepEqual(phaseOf(failed), ['error', true, true, 'boom']);
    const cancelled = run(failed, loading, { type: 'cancelled', source: source() });
    assert.deepEqual(phaseOf(cancelled), ['stale', true, true, undefined]);
  });

  it('a cancelled re-evaluation goes back to the applied environment; a cancelled first one goes off', () => {
    assert.deepEqual(phaseOf(run(on, loading, { type: 'cancelled', source: source() })), [
      'on',
      true,
      false,
      undefined,
    ]);
    const first = run(off, loading, { type: 'cancelled', source: source({ attr: 'ci' }) });
    assert.deepEqual(first, offStatus('ws', source({ attr: 'ci' })));
  });

  it('turning off drops the environment, its staleness and its error', () => {
    const busy = run(on, { type: 'staleChecked', stale: true }, loading, { type: 'failed', error: 'boom' });
    assert.deepEqual(run(busy, { type: 'turnedOff', source: source() }), offStatus('ws', source()));
  });

  it('an off shell follows its files and settings; a running one keeps the shell it runs', () => {
    assert.deepEqual(nextStatus(off, { type: 'sourceChanged', source: null }), offStatus('ws', null));
    assert.equal(nextStatus(on, { type: 'sourceChanged', source: null }), on);
    const inFlight = nextStatus(on, loading);
    assert.equal(nextStatus(inFlight, { type: 'sourceChanged', source: null }), inFlight);
  });
});
