// Evaluation errors of the real Nix (2.8 and 2.26) on the broken flakes of
// test/fixtures/nix-errors/cases, through the dev shell's and the Derivations view's own calls: the
// parser puts each at the place the recordings' expectations say, so a Nix that words or places its
// errors differently is noticed here. `UPDATE_RECORDINGS=1` rewrites the recordings (the unit tier
// parses them) before checking.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNixEvalErrors } from '../../src/core/nix/evalError';
import {
  expectedFor,
  NIX_ERROR_CASES,
  NIX_ERROR_COMMANDS,
  normaliseRecording,
  recordingPath,
  recordingVersion,
  type ExpectedNixError,
} from '../shared/nixErrorCases';
import { forEachNix } from './helpers/nix';
import { runNixErrorCase } from './helpers/nixErrors';
import { removeTempDirs } from './helpers/paths';

const UPDATE = process.env['UPDATE_RECORDINGS'] === '1';

forEachNix('Nix evaluation errors become located diagnostics', (nix) => {
  after(removeTempDirs);
  const version = recordingVersion(nix.version);

  it('is a Nix version with recordings', function () {
    assert.ok(version, `no recordings for ${nix.label} (test/fixtures/nix-errors/<major.minor>)`);
  });
  if (version === null) return;

  for (const c of NIX_ERROR_CASES) {
    for (const command of NIX_ERROR_COMMANDS) {
      it(`${c.name} through ${command}`, async function () {
        const run = await runNixErrorCase(nix, c, command);
        const recorded = normaliseRecording(run.stderr, run.root);
        const file = recordingPath(version, c, command);
        if (UPDATE) {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, recorded);
        }
        const diagnostics = parseNixEvalErrors(run.stderr, run.flakeDir);
        assert.equal(diagnostics.length, 1, run.stderr);
        const [d] = diagnostics;
        assert.ok(d);
        const seen: ExpectedNixError = {
          file: path.relative(run.root, d.file),
          line: d.line,
          column: d.column,
          ...(d.endColumn !== undefined && { endColumn: d.endColumn }),
          message: d.message,
          located: d.located,
        };
        if (UPDATE) console.log(`      ${version} ${c.name} ${command}: ${JSON.stringify(seen)}`);
        assert.deepEqual(seen, expectedFor(c, version, command), `Nix said:\n${run.stderr}`);
        // The recording is what this Nix says now (store hashes depend only on the files).
        assert.equal(recorded, fs.readFileSync(file, 'utf8'), `${file} is out of date: UPDATE_RECORDINGS=1`);
      });
    }
  }
});
