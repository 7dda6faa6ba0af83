import * as assert from 'node:assert/strict';
import { mergeGitignore } from '../../../../src/core/flake/gitignore';

const ALL = ['result', 'result-*', '.direnv/'];
const BLOCK = '# Nix (added by Nixify)\nresult\nresult-*\n.direnv/\n';

describe('core/flake/gitignore mergeGitignore', () => {
  it('writes the whole block when there is no file', () => {
    assert.deepEqual(mergeGitignore(null), { content: BLOCK, added: ALL });
  });

  it('writes the whole block into an empty file', () => {
    assert.deepEqual(mergeGitignore(''), { content: BLOCK, added: ALL });
  });

  it('writes no blank line ahead of the block in a file of blank lines', () => {
    assert.equal(mergeGitignore('\n').content, '\n' + BLOCK);
  });

  it('appends after a blank line, keeping what is there', () => {
    assert.deepEqual(mergeGitignore('/target\n'), { content: '/target\n\n' + BLOCK, added: ALL });
  });

  it('adds the missing final newline only because it appends', () => {
    assert.equal(mergeGitignore('/target').content, '/target\n\n' + BLOCK);
  });

  it('does not double a blank line that is already there', () => {
    assert.equal(mergeGitignore('/target\n\n').content, '/target\n\n' + BLOCK);
  });

  it('returns the very same text when nothing is missing, even without a final newline', () => {
    for (const existing of [
      'result\nresult-*\n.direnv/\n',
      '/target\nresult*\n.direnv',
      '# mine\r\n/result\r\n/result-*\r\n/.direnv/\r\n',
      'result\nresult-*\n.direnv/',
    ]) {
      assert.deepEqual(mergeGitignore(existing), { content: existing, added: [] });
    }
  });

  it('adds only what is missing', () => {
    assert.deepEqual(mergeGitignore('target\nresult\n'), {
      content: 'target\nresult\n\n# Nix (added by Nixify)\nresult-*\n.direnv/\n',
      added: ['result-*', '.direnv/'],
    });
    assert.deepEqual(mergeGitignore('.direnv\n').added, ['result', 'result-*']);
  });

  it('counts equivalent forms as present', () => {
    const covered = (line: string) => ALL.filter((w) => !mergeGitignore(line).added.includes(w));
    assert.deepEqual(covered('result*'), ['result', 'result-*']);
    assert.deepEqual(covered('/result*'), ['result', 'result-*']);
    assert.deepEqual(covered('**/result*'), ['result', 'result-*']);
    assert.deepEqual(covered('/result'), ['result']);
    assert.deepEqual(covered('**/result'), ['result']);
    assert.deepEqual(covered('/result-*'), ['result-*']);
    for (const line of [
      '.direnv',
      '.direnv/',
      '/.direnv',
      '/.direnv/',
      '**/.direnv',
      '.direnv/*',
      '.direnv/**',
    ]) {
      assert.deepEqual(covered(line), ['.direnv/'], line);
    }
  });

  it('does not count forms that miss a path', () => {
    const covered = (line: string) => ALL.filter((w) => !mergeGitignore(line).added.includes(w));
    // `result` is a symlink: a directory-only pattern leaves it tracked.
    assert.deepEqual(covered('result/'), []);
    assert.deepEqual(covered('result-*/'), []);
    assert.deepEqual(covered('result-'), []);
    assert.deepEqual(covered('results'), []);
    assert.deepEqual(covered('src/result'), []);
    assert.deepEqual(covered('# result'), []);
    assert.deepEqual(covered('\\#result'), []);
    assert.deepEqual(covered(' result'), []);
    assert.deepEqual(covered('direnv'), []);
    assert.deepEqual(covered('.direnvrc'), []);
    assert.deepEqual(covered('.envrc'), []);
  });

  it('reads lines as git does: trailing spaces, CR and a BOM do not matter', () => {
    assert.deepEqual(mergeGitignore('\uFEFFresult  \r\nresult-*\t\r\n.direnv/ \r\n').added, []);
  });

  it('leaves a path the user un-ignored with `!` alone', () => {
    assert.deepEqual(mergeGitignore('*\n!result\n').added, ['result-*', '.direnv/']);
  });

  it('keeps CRLF line endings when the file uses them', () => {
    assert.equal(
      mergeGitignore('/target\r\n').content,
      '/target\r\n\r\n# Nix (added by Nixify)\r\nresult\r\nresult-*\r\n.direnv/\r\n',
    );
    assert.equal(
      mergeGitignore('/target\r\nresult*').content,
      '/target\r\nresult*\r\n\r\n# Nix (added by Nixify)\r\n.direnv/\r\n',
    );
  });

  it('keeps every byte of the original as the prefix of the result', () => {
    const existing = '  weird  \n\n#comment\n\\!bang\n*.log\n\n\n';
    const { content } = mergeGitignore(existing);
    assert.ok(content.startsWith(existing));
    assert.equal(content.slice(existing.length), BLOCK);
  });

  it('is idempotent', () => {
    for (const existing of [null, '', '/target', 'result\r\n', '\uFEFF.direnv']) {
      const once = mergeGitignore(existing).content;
      assert.deepEqual(mergeGitignore(once), { content: once, added: [] });
    }
  });
});
