// Installs Nixify the way a user gets it: `npm run package` builds the .vsix, then code-server's own
// `--install-extension` unpacks it into the run's extensions folder. What lands there is then checked
// against the .vscodeignore allowlist, file by file: no src/, test/ or node_modules/ can sneak in, and
// nothing the allowlist names can go missing.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { allowlistedFiles, packageVsix } from '../../scripts/package.mjs';
import { codeServerCli, repoRoot } from './codeServer.mjs';

// What VS Code itself adds to an extension folder it installed from a .vsix.
const ADDED_BY_INSTALL = ['.vsixmanifest'];

/**
 * Packages the extension into the run folder and installs it there.
 * @param {object} dirs from createRunDirs
 * @returns {Promise<{vsix: string, size: number, target: string, files: string[]}>}
 */
export async function installExtension(dirs) {
  const { file, size } = await packageVsix({ out: path.join(dirs.runDir, 'nixify.vsix') });
  const output = await codeServerCli(['--install-extension', file, '--force'], dirs);
  if (!/successfully installed/i.test(output)) throw new Error(`code-server did not install it:\n${output}`);

  const { publisher, name, version } = JSON.parse(
    await readFile(path.join(repoRoot, 'package.json'), 'utf8'),
  );
  const target = path.join(dirs.extensionsDir, `${publisher}.${name}-${version}`);
  const files = await filesBelow(target);
  const expected = [...(await allowlistedFiles()), ...ADDED_BY_INSTALL].sort();
  const extra = files.filter((f) => !expected.includes(f));
  const missing = expected.filter((f) => !files.includes(f));
  if (extra.length > 0 || missing.length > 0) {
    throw new Error(
      `the installed folder differs from the .vscodeignore allowlist: extra ${extra.join(', ') || '-'}; missing ${missing.join(', ') || '-'}`,
    );
  }
  return { vsix: file, size, target, files };
}

/** Every file below `dir`, as sorted `/`-separated relative paths. */
export async function filesBelow(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}
