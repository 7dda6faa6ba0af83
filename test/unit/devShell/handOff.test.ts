import * as assert from 'node:assert/strict';
import {
  changedValues,
  NIXIFY_EXTENSION_ID,
  RustAnalyzerHandOff,
  type EnvRecord,
  type RustAnalyzerExtensionApi,
  type RustAnalyzerExtensionPort,
} from '../../../src/devShell/handOff';
import { delta } from './fixtures';

function fakePort(api: RustAnalyzerExtensionApi | undefined, env: EnvRecord) {
  const calls: string[] = [];
  const port: RustAnalyzerExtensionPort = {
    activate: async () => {
      calls.push('activate');
      return api;
    },
    restartServer: async () => {
      calls.push('restartServer');
    },
    env,
  };
  return { port, calls };
}

function recordingApi() {
  const configurations: [string, Record<string, unknown>][] = [];
  const api: RustAnalyzerExtensionApi = {
    addConfiguration: async (id, configuration) => {
      configurations.push([id, configuration]);
    },
  };
  return { api, configurations };
}

const log = { info: () => undefined, warn: () => undefined };

describe('rust-analyzer extension hand-off', () => {
  it('computes only the changed names: set, prepended PATH in full, unset as undefined', () => {
    const base: EnvRecord = { PATH: '/usr/bin:/bin', HOME: '/home/u', GONE: 'x', RUST_LOG: 'info' };
    const values = changedValues(base, delta({ unset: ['GONE'] }));
    assert.deepEqual(values, {
      RUST_LOG: 'debug',
      SECRET_TOKEN: 'hunter2',
      PATH: '/nix/store/aaa-tool/bin:/nix/store/bbb-ra/bin:/usr/bin:/bin',
      XDG_DATA_DIRS: '/nix/store/ccc/share',
      GONE: undefined,
    });
  });

  it('with addConfiguration: hands the variables and server path over its API, the environment untouched', async () => {
    const env: EnvRecord = { PATH: '/usr/bin' };
    const { api, configurations } = recordingApi();
    const { port, calls } = fakePort(api, env);
    const handOff = new RustAnalyzerHandOff(() => port, log);
    assert.equal(await handOff.apply({ folder: '/ws', delta: delta(), serverPath: '/ra' }), 'handed');
    assert.deepEqual(env, { PATH: '/usr/bin' });
    const [id, configuration] = configurations[0] ?? [];
    assert.equal(id, NIXIFY_EXTENSION_ID);
    const extraEnv = configuration?.['server.extraEnv'] as Record<string, string>;
    assert.equal(extraEnv.SECRET_TOKEN, 'hunter2');
    assert.ok(extraEnv.PATH?.endsWith(':/usr/bin'));
    assert.deepEqual(configuration?.['cargo.extraEnv'], extraEnv);
    assert.deepEqual(configuration?.['check.extraEnv'], extraEnv);
    assert.equal(configuration?.['server.path'], '/ra');
    assert.deepEqual(calls, ['activate', 'restartServer']);
    await handOff.remove('/ws');
    assert.deepEqual(configurations[1], [NIXIFY_EXTENSION_ID, {}]);
    assert.equal(handOff.ownerFolder, undefined);
  });

  it('without addConfiguration: hands nothing over and changes no environment', async () => {
    const env: EnvRecord = { PATH: '/usr/bin', HOME: '/h' };
    const before = { ...env };
    const { port, calls } = fakePort({}, env);
    const handOff = new RustAnalyzerHandOff(() => port, log);
    assert.equal(
      await handOff.apply({
        folder: '/ws',
        delta: delta(),
        serverPath: '/nix/store/bbb-ra/bin/rust-analyzer',
      }),
      'unsupported',
    );
    assert.deepEqual(calls, ['activate'], 'the server was restarted for nothing');
    assert.deepEqual(env, before);
    assert.equal(handOff.ownerFolder, undefined);
  });

  it('serves one folder at a time', async () => {
    const { api } = recordingApi();
    const { port, calls } = fakePort(api, {});
    const handOff = new RustAnalyzerHandOff(() => port, log);
    await handOff.apply({ folder: '/a', delta: delta(), serverPath: undefined });
    assert.equal(await handOff.apply({ folder: '/b', delta: delta(), serverPath: undefined }), 'busy');
    assert.equal(handOff.ownerFolder, '/a');
    await handOff.remove('/b');
    assert.equal(handOff.ownerFolder, '/a');
    assert.equal(calls.filter((c) => c === 'restartServer').length, 1);
  });

  it('does nothing without the extension', async () => {
    const handOff = new RustAnalyzerHandOff(() => undefined, log);
    assert.equal(await handOff.apply({ folder: '/ws', delta: delta(), serverPath: undefined }), 'absent');
  });
});
