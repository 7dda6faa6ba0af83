import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FsCache } from '../../../../src/core/cargo/fsCache';
import { findToolchainFile, parseToolchain } from '../../../../src/core/cargo/toolchain';

describe('core/cargo/toolchain', () => {
  it('parses rust-toolchain.toml', () => {
    const { toolchain } = parseToolchain(
      '[toolchain]\nchannel = "1.85.0"\ncomponents = ["rust-src", "rust-analyzer"]\ntargets = ["wasm32-unknown-unknown"]\nprofile = "minimal"\n',
      'rust-toolchain.toml',
    );
    assert.deepEqual(toolchain, {
      path: 'rust-toolchain.toml',
      channel: '1.85.0',
      components: ['rust-src', 'rust-analyzer'],
      targets: ['wasm32-unknown-unknown'],
      profile: 'minimal',
    });
  });

  it('parses a legacy one-line channel file', () => {
    assert.equal(
      parseToolchain('nightly-2024-05-01\n', 'rust-toolchain').toolchain?.channel,
      'nightly-2024-05-01',
    );
  });

  it('finds the file in a parent directory, legacy name first', () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-tc-')));
    try {
      fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
      fs.writeFileSync(path.join(root, 'rust-toolchain'), 'stable\n');
      fs.writeFileSync(path.join(root, 'rust-toolchain.toml'), '[toolchain]\nchannel = "beta"\n');
      const found = findToolchainFile(path.join(root, 'a', 'b'), new FsCache());
      assert.equal(found.toolchain?.channel, 'stable');
      assert.equal(found.problems.length, 1);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('warns at the channel line about a name no flake can fetch (rustup: a custom toolchain)', () => {
    const { toolchain, problems } = parseToolchain(
      '[toolchain]\n\nchannel = "banana"\n',
      '/w/rust-toolchain.toml',
    );
    assert.equal(toolchain?.channel, 'banana');
    assert.deepEqual(
      problems.map((p) => [p.line, p.column, p.severity]),
      [[3, 1, 'warning']],
    );
    assert.match(problems[0]?.message ?? '', /channel `banana` is no release channel/);
    assert.equal(parseToolchain('my-linked\n', '/w/rust-toolchain').problems[0]?.line, 1);
    for (const channel of [
      'stable',
      'nightly-2024-08-01',
      '1.85',
      '1.85.0',
      '1.86.0-beta.2',
      'stable-x86_64-unknown-linux-gnu',
    ]) {
      assert.deepEqual(parseToolchain(`[toolchain]\nchannel = "${channel}"\n`, 'f').problems, [], channel);
    }
  });
});
