import * as assert from 'node:assert/strict';
import {
  NIXIFY_EXTENSION_ID,
  RustAnalyzerHandOff,
  type RustAnalyzerExtensionApi,
  type RustAnalyzerExtensionPort,
} from '../../../src/devShell/handOff';
import type { EnvRecord } from '../../../src/devShell/processEnv';
import { delta } from './fixtures';

function fakePort(api: RustAnalyzerExtensionApi | undefined, env: EnvRecord) {
  const calls: string[] = [];
  const serverPaths = new Map<string, string | undefined>();
  const port: RustAnalyzerExtensionPort = {
    activate: async () => {
      calls.push('activate');
      return api;
    },
    restartServer: async () => {
      calls.push('restartServer');
    },
    serverPath: (folder) => serverPaths.get(folder),
    setServerPath: async (folder, value) => {
      calls.push(`setServerPath ${value ?? '(unset)'}`);
      serverPaths.set(folder, value);
    },
    env,
  };
  return { port, calls, serverPaths };
}

const log = { info: () => undefined, warn: () => undefined };

describe('rust-analyzer extension hand-off', () => {
  it('without an API: patches the environment, sets server.path, restarts; off undoes all of it', async () => {
    const env: EnvRecord = { PATH: '/usr/bin', HOME: '/h' };
    const before = { ...env };
    const { port, calls, serverPaths } = fakePort({}, env);
    serverPaths.set('/ws', '/user/choice');
    const handOff = new RustAnalyzerHandOff(() => port, log);
    assert.equal(
      await handOff.apply({
        folder: '/ws',
        delta: delta(),
        serverPath: '/nix/store/bbb-ra/bin/rust-analyzer',
      }),
      true,
    );
    assert.deepEqual(calls, [
      'activate',
      'setServerPath /nix/store/bbb-ra/bin/rust-analyzer',
      'restartServer',
    ]);
    assert.equal(env.SECRET_TOKEN, 'hunter2');
    assert.ok(env.PATH?.startsWith('/nix/store/aaa-tool/bin:'));
    assert.equal(handOff.pristineEnv(env).PATH, '/usr/bin');
    calls.length = 0;
    await handOff.remove('/ws');
    assert.deepEqual(calls, ['setServerPath /user/choice', 'restartServer']);
    assert.deepEqual(env, before);
  });

  it('with addConfiguration: hands the variables and server path over its API, process env untouched', async () => {
    const env: EnvRecord = { PATH: '/usr/bin' };
    const configurations: [string, Record<string, unknown>][] = [];
    const api: RustAnalyzerExtensionApi = {
      addConfiguration: async (id, configuration) => {
        configurations.push([id, configuration]);
      },
    };
    const { port, calls } = fakePort(api, env);
    const handOff = new RustAnalyzerHandOff(() => port, log);
    await handOff.apply({ folder: '/ws', delta: delta(), serverPath: '/ra' });
    assert.deepEqual(env, { PATH: '/usr/bin' });
    const [id, configuration] = configurations[0] ?? [];
    assert.equal(id, NIXIFY_EXTENSION_ID);
    const extraEnv = configuration?.['server.extraEnv'] as Record<string, string>;
    assert.equal(extraEnv.SECRET_TOKEN, 'hunter2');
    assert.ok(extraEnv.PATH?.endsWith(':/usr/bin'));
    assert.deepEqual(configuration?.['cargo.extraEnv'], extraEnv);
    assert.equal(configuration?.['server.path'], '/ra');
    assert.deepEqual(calls, ['activate', 'restartServer']);
    await handOff.remove('/ws');
    assert.deepEqual(configurations[1], [NIXIFY_EXTENSION_ID, {}]);
  });

  it('serves one folder at a time', async () => {
    const { port, calls } = fakePort({}, {});
    const handOff = new RustAnalyzerHandOff(() => port, log);
    await handOff.apply({ folder: '/a', delta: delta(), serverPath: undefined });
    assert.equal(await handOff.apply({ folder: '/b', delta: delta(), serverPath: undefined }), false);
    assert.equal(handOff.ownerFolder, '/a');
    await handOff.remove('/b');
    assert.equal(handOff.ownerFolder, '/a');
    assert.equal(calls.filter((c) => c === 'restartServer').length, 1);
  });

  it('leaves a server path the user changed after ours', async () => {
    const { port, serverPaths } = fakePort({}, {});
    const handOff = new RustAnalyzerHandOff(() => port, log);
    await handOff.apply({ folder: '/ws', delta: delta(), serverPath: '/ra' });
    serverPaths.set('/ws', '/mine');
    await handOff.remove('/ws');
    assert.equal(serverPaths.get('/ws'), '/mine');
  });

  it('does nothing without the extension', async () => {
    const handOff = new RustAnalyzerHandOff(() => undefined, log);
    assert.equal(await handOff.apply({ folder: '/ws', delta: delta(), serverPath: undefined }), false);
  });
});
