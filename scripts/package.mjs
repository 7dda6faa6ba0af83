// `npm run package`: a production build, then `nixify-<version>.vsix` with vsce, offline, then its size
// and the files in it. The bundles in dist/ hold every dependency (only `vscode` and Node built-ins stay
// external), so vsce runs without npm dependency detection.
//
// vsce lists every file below its folder before applying .vscodeignore; in a checkout with .tools/
// (code-server) and .test-runs/ that walk alone takes ~9 s. So the files the allowlist names are
// copied into a staging folder first and vsce packages that, applying the same .vscodeignore again;
// the .vsix must then hold exactly those files, or packaging fails.
// Usage: node scripts/package.mjs [--out FILE]
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds and packages; returns the .vsix path, its size and its entries.
 * @param {{out?: string}} [options]
 */
export async function packageVsix({ out } = {}) {
  const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8'));
  const file = path.resolve(out ?? path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`));

  // No `vscode:prepublish` script: vsce would run it through a shell. The build runs here instead.
  await promisify(execFile)(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--production'], {
    cwd: repoRoot,
  });

  const stage = await mkdtemp(path.join(tmpdir(), 'nixify-package-'));
  try {
    const sources = await allowlistedSources();
    for (const source of ['.vscodeignore', ...sources]) {
      await cp(path.join(repoRoot, source), path.join(stage, source));
    }
    const { createVSIX } = await import('@vscode/vsce');
    // vsce prints its own tree of the files; the caller reports them. Warnings and errors still show.
    const log = console.log;
    console.log = () => {};
    try {
      await createVSIX({
        cwd: stage,
        packagePath: file,
        dependencies: false,
        // No public repository yet, so no URL to rewrite the README's relative links to (vsce would
        // refuse the images). They stay relative: right in the repository; on VS Code's extension
        // page, which shows only https/data images, the alt text stands in.
        allowMissingRepository: true,
        rewriteRelativeLinks: false,
      });
    } finally {
      console.log = log;
    }
    const entries = await vsixEntries(file);
    const packed = extensionFiles(entries)
      .map((entry) => entry.name)
      .sort();
    const expected = sources.map(installedName).sort();
    if (packed.join('\n') !== expected.join('\n')) {
      throw new Error(`vsce packed [${packed.join(', ')}], the allowlist names [${expected.join(', ')}]`);
    }
    const { size } = await stat(file);
    return { file, size, entries };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

// vsce stores these under other names in the .vsix (and so in the installed extension).
const RENAMED_BY_VSCE = { LICENSE: 'LICENSE.txt', 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md' };

/** A repository file's name in the .vsix's `extension/` folder and in the installed extension. */
export const installedName = (source) => RENAMED_BY_VSCE[source] ?? source;

/**
 * The repository files that `.vscodeignore` lets into the package (`/`-separated, sorted). The file is
 * an allowlist (`**`, then `!path` or `!dir/**` lines); any other kind of line is refused rather than
 * half-understood. vsce matches with `dot: true`, so dot files below an allowed folder count too.
 */
export async function allowlistedSources() {
  const lines = (await readFile(path.join(repoRoot, '.vscodeignore'), 'utf8'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  if (lines[0] !== '**') throw new Error('.vscodeignore must start with `**` (an allowlist)');
  const files = [];
  for (const line of lines.slice(1)) {
    const match = /^!([\w./-]+?)(\/\*\*)?$/.exec(line);
    if (!match?.[1] || match[1].includes('*')) throw new Error(`.vscodeignore: unsupported line ${line}`);
    const [, entry, wholeDir] = match;
    if (wholeDir) {
      const found = await readdir(path.join(repoRoot, entry), { recursive: true, withFileTypes: true }).catch(
        () => [],
      );
      for (const item of found) {
        if (item.isFile()) files.push(path.relative(repoRoot, path.join(item.parentPath, item.name)));
      }
    } else if (await isFile(path.join(repoRoot, entry))) {
      files.push(entry);
    }
  }
  return [...new Set(files.map((file) => file.split(path.sep).join('/')))].sort();
}

/** The files the installed extension holds, as vsce names them, per the allowlist. */
export async function allowlistedFiles() {
  return (await allowlistedSources()).map(installedName).sort();
}

const isFile = (file) =>
  stat(file).then(
    (s) => s.isFile(),
    () => false,
  );

/**
 * The files of a .vsix (a zip), read from its central directory: name and uncompressed size.
 * @returns {Promise<{name: string, size: number}[]>}
 */
export async function vsixEntries(file) {
  const zip = await readFile(file);
  // The end-of-central-directory record is the last thing in the file, before an optional comment.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error(`${file} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: broken central directory`);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), size });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The files the installed extension gets: the vsix's `extension/` folder, relative to it. */
export function extensionFiles(entries) {
  return entries
    .filter((entry) => entry.name.startsWith('extension/') && !entry.name.endsWith('/'))
    .map((entry) => ({ ...entry, name: entry.name.slice('extension/'.length) }));
}

export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outAt = process.argv.indexOf('--out');
  const { file, size, entries } = await packageVsix({ out: outAt > 0 ? process.argv[outAt + 1] : undefined });
  const files = extensionFiles(entries).sort((a, b) => a.name.localeCompare(b.name));
  console.log(`${path.relative(process.cwd(), file)}: ${kib(size)}, ${files.length} files`);
  const width = Math.max(...files.map((f) => f.name.length));
  for (const f of files) console.log(`  ${f.name.padEnd(width)}  ${kib(f.size).padStart(10)}`);
}
