import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cachixNixConfig, validCachixKey, validCachixName } from '../../../../src/core/flake/cachix';

// cachix.cachix.org's published key: a real one to hold the checks to.
const REAL_KEY = 'cachix.cachix.org-1:eWNHQldwUO7G2VkjpnjDbWwy4KQ/HNxht7H4SSoMckM=';

const run = promisify(execFile);

/** Nix's own parser on `{ <block> }`: rejects when it does not parse. */
async function nixParse(block: string): Promise<string> {
  return (await run('nix-instantiate', ['--parse', '-E', `{\n${block}}`])).stdout;
}

/** The `nixConfig` value Nix reads from `{ <block> }`. */
async function nixConfigValue(block: string): Promise<unknown> {
  const expr = `({\n${block}}).nixConfig`;
  return JSON.parse((await run('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr])).stdout);
}

describe('core/flake/cachix validCachixName', () => {
  it('accepts lowercase letters, digits and inner dashes', () => {
    for (const name of ['cachix', 'my-cache', 'a', '0', 'nix-community', 'a1-b2-c3', 'x'.repeat(63)]) {
      assert.ok(validCachixName(name), name);
    }
  });

  it('refuses anything else', () => {
    for (const name of [
      '',
      'My-Cache',
      'my_cache',
      'my.cache',
      '-cache',
      'cache-',
      'a b',
      'é',
      'x'.repeat(64),
    ]) {
      assert.ok(!validCachixName(name), name);
    }
  });
});

describe('core/flake/cachix validCachixKey', () => {
  it('accepts a real key, and checks it belongs to the named cache', () => {
    assert.ok(validCachixKey(REAL_KEY));
    assert.ok(validCachixKey(REAL_KEY, 'cachix'));
    assert.ok(!validCachixKey(REAL_KEY, 'other'));
  });

  it('refuses keys of the wrong shape', () => {
    const body = 'eWNHQldwUO7G2VkjpnjDbWwy4KQ/HNxht7H4SSoMckM=';
    for (const key of [
      '',
      body,
      `cachix.cachix.org:${body}`,
      `cachix.cachix.org-2:${body}`,
      `cachix.example.org-1:${body}`,
      `Cachix.cachix.org-1:${body}`,
      `-x.cachix.org-1:${body}`,
      `cachix.cachix.org-1:${body.slice(1)}`,
      `cachix.cachix.org-1:${body.slice(0, -1)}`,
      `cachix.cachix.org-1:A${body}`,
      `cachix.cachix.org-1:${body.replace('=', 'A')}`,
      ` ${REAL_KEY}`,
      `${REAL_KEY}\n`,
      'demo.cachix.org-1:PUT-THE-PUBLIC-KEY-HERE',
    ]) {
      assert.ok(!validCachixKey(key), JSON.stringify(key));
    }
  });

  it('refuses base64 that is not canonical: a mistyped last character', () => {
    // `N` leaves low bits set that `M` does not; both decode to 32 bytes.
    assert.ok(!validCachixKey(REAL_KEY.replace('ckM=', 'ckN=')));
  });
});

describe('core/flake/cachix cachixNixConfig', () => {
  it('writes the substituter and the key at top-level indentation', () => {
    const text = cachixNixConfig('cachix', REAL_KEY);
    assert.ok(text.endsWith('  };\n'));
    assert.ok(
      text
        .split('\n')
        .slice(0, -1)
        .every((line) => line.startsWith('  ')),
    );
    assert.match(text, /^ {2}nixConfig = \{$/m);
    assert.match(text, /^ {4}extra-substituters = \[ "https:\/\/cachix\.cachix\.org" \];$/m);
    assert.match(
      text,
      new RegExp(`^ {4}extra-trusted-public-keys = \\[ "${REAL_KEY.replace(/[+/]/g, '\\$&')}" \\];$`, 'm'),
    );
    assert.doesNotMatch(text, /PUT-THE-PUBLIC-KEY-HERE|app\.cachix\.org/);
  });

  it('says why, and that Nix asks first', () => {
    const comments = cachixNixConfig('demo', null)
      .split('\n')
      .filter((l) => l.trim().startsWith('#'))
      .join(' ');
    assert.match(comments, /accept-flake-config/);
    assert.match(comments, /asks/);
  });

  it('writes a placeholder and says where the key is shown when there is none', () => {
    const text = cachixNixConfig('demo', null);
    assert.match(text, /"demo\.cachix\.org-1:PUT-THE-PUBLIC-KEY-HERE"/);
    assert.match(text, /^ {4}#.*https:\/\/app\.cachix\.org\/cache\/demo$/m);
  });

  it('refuses a name that is not a cache name', () => {
    assert.throws(() => cachixNixConfig('Bad Name', null), RangeError);
  });

  it('parses with the real Nix parser, with a key, without one and with a hostile one', async () => {
    const cases: [string, string | null, string][] = [
      ['cachix', REAL_KEY, REAL_KEY],
      ['demo', null, 'demo.cachix.org-1:PUT-THE-PUBLIC-KEY-HERE'],
      ['demo', 'x"; y = ${builtins.currentTime}; z = "\\', 'x"; y = ${builtins.currentTime}; z = "\\'],
    ];
    for (const [name, key, expected] of cases) {
      const block = cachixNixConfig(name, key);
      assert.match(await nixParse(block), /^\{ nixConfig = \{ /);
      // Escaping keeps a pasted key one string: no attribute and no interpolation get in.
      assert.deepEqual(await nixConfigValue(block), {
        'extra-substituters': [`https://${name}.cachix.org`],
        'extra-trusted-public-keys': [expected],
      });
    }
  });
});
