// Adds the paths Nix and direnv create to `.gitignore` without touching what the user wrote: the
// merge must be safe to apply without asking, so it only ever appends.

const HEADER = '# Nix (added by Nixify)';

/**
 * The lines Nixify wants, each with the patterns that already do its job. `result` is a symlink,
 * which git matches as a file, so directory-only forms like `result/` do not count; `.direnv` is a
 * directory, so ignoring its contents is as good as ignoring it.
 */
const WANTED: readonly { line: string; covers: RegExp }[] = [
  { line: 'result', covers: /^(?:\/|\*\*\/)?result\*?$/ },
  { line: 'result-*', covers: /^(?:\/|\*\*\/)?result-?\*$/ },
  { line: '.direnv/', covers: /^(?:\/|\*\*\/)?\.direnv(?:\/(?:\*\*?)?)?$/ },
];

/**
 * `existing` (null when there is no file) with the missing lines appended under one comment. When
 * nothing is missing the content is `existing` itself, byte for byte, and `added` is empty.
 */
export function mergeGitignore(existing: string | null): { content: string; added: string[] } {
  const patterns = (existing ?? '').split('\n').map(pattern);
  const added = WANTED.filter(({ covers }) => !patterns.some((p) => covers.test(p))).map((w) => w.line);
  if (added.length === 0) return { content: existing ?? '', added };

  const eol = existing?.includes('\r\n') ? '\r\n' : '\n';
  let content = existing ?? '';
  if (content !== '' && !content.endsWith('\n')) content += eol;
  // A blank line keeps our block apart from the user's last group, unless one is there already.
  if (content.trim() !== '' && !/\n[ \t]*\r?\n$/.test(content)) content += eol;
  content += [HEADER, ...added].map((line) => line + eol).join('');
  return { content, added };
}

/**
 * One line as git reads it: no BOM, no CR, no trailing spaces. A `!` negation still counts as
 * present: the user chose to track that path, and appending after it would overrule them.
 */
function pattern(line: string): string {
  const text = line.replace(/^\uFEFF/, '').replace(/\s+$/, '');
  return text.startsWith('!') ? text.slice(1) : text;
}
