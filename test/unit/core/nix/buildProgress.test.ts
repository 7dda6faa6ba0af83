// The build progress parser on recorded stderr of Nix 2.8 and 2.26 (record-build-progress.sh): two
// builds, one path substituted from a signed file:// cache.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildInstallables,
  BuildProgressParser,
  formatBuildProgress,
  type BuildEvent,
} from '../../../../src/core/nix/buildProgress';

const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/nix-json');

for (const version of ['2.8', '2.26']) {
  describe(`build progress (recorded Nix ${version})`, () => {
    const lines = fs.readFileSync(path.join(FIXTURES, `build-progress-${version}.txt`), 'utf8').split('\n');

    it('ends with every build done, the substitution counted and nothing still building', () => {
      const parser = new BuildProgressParser();
      for (const line of lines) parser.push(line);
      const p = parser.progress;
      assert.equal(p.buildsDone, 2);
      assert.equal(p.buildsExpected, 2);
      assert.equal(p.buildsFailed, 0);
      assert.equal(p.copiesDone, 1);
      assert.equal(p.copiesExpected, 1);
      assert.ok(p.bytesExpected > 0, 'bytes expected');
      assert.deepEqual(p.building, []);
      assert.match(formatBuildProgress(p), /^2\/2 builds · 1\/1 downloads · 0\.0\/0\.0 MB downloaded$/);
    });

    it('reports each build log line with the derivation it came from, and progress while building', () => {
      const parser = new BuildProgressParser();
      const logs: BuildEvent[] = [];
      let sawRunning = false;
      for (const line of lines) {
        const event = parser.push(line);
        if (event?.kind === 'log') logs.push(event);
        if (parser.progress.building.length > 0) sawRunning = true;
      }
      assert.ok(sawRunning);
      const text = logs.map((e) => (e.kind === 'log' ? `${path.basename(e.drvPath ?? '?')}: ${e.line}` : ''));
      assert.equal(text.length, 2);
      assert.match(text[0] ?? '', /-lib\.drv: building lib$/);
      assert.match(text[1] ?? '', /-app\.drv: building app$/);
    });
  });
}

describe('build progress (edge cases)', () => {
  it('turns plain lines and msg events into messages, failures into a count', () => {
    const parser = new BuildProgressParser();
    assert.deepEqual(parser.push('warning: something'), {
      kind: 'message',
      level: 0,
      text: 'warning: something',
    });
    assert.deepEqual(
      parser.push('@nix {"action":"msg","level":0,"msg":"\\u001b[31;1merror:\\u001b[0m boom"}'),
      {
        kind: 'message',
        level: 0,
        text: 'error: boom',
      },
    );
    parser.push('@nix {"action":"start","id":1,"level":0,"text":"","type":104}');
    parser.push('@nix {"action":"result","fields":[0,3,0,1],"id":1,"type":105}');
    assert.equal(parser.progress.buildsFailed, 1);
    assert.equal(formatBuildProgress(parser.progress), '0/3 builds · 1 failed');
    assert.equal(parser.push(''), null);
    assert.equal(formatBuildProgress(new BuildProgressParser().progress), 'starting…');
  });

  it('asks for every output: `^*` on modern Nix, the bare .drv on 2.8', () => {
    assert.deepEqual(buildInstallables(['/nix/store/a-x.drv'], true), ['/nix/store/a-x.drv^*']);
    assert.deepEqual(buildInstallables(['/nix/store/a-x.drv'], false), ['/nix/store/a-x.drv']);
  });
});
