// The manifest against what `npm run package` ships: the icon is a real PNG of a size the marketplace
// takes, every setting has Markdown documentation, and every file the manifest points at gets through
// the .vscodeignore allowlist — judged by vsce's own file filter, on a small copy of the tree (the
// real checkout holds .tools/ and .test-runs/, whose walk alone takes seconds).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';
import { REPO_ROOT } from './helpers/repo';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<
  string,
  unknown
>;

interface Setting {
  description?: unknown;
  markdownDescription?: unknown;
}

function settings(): Record<string, Setting> {
  const contributes = manifest['contributes'] as { configuration?: unknown } | undefined;
  const configurations = [contributes?.configuration ?? []].flat() as {
    properties?: Record<string, Setting>;
  }[];
  return Object.assign(
    {},
    ...configurations.map((configuration) => configuration.properties ?? {}),
  ) as Record<string, Setting>;
}

// Keys under `contributes` whose string values are files of the extension (icons, grammars, language
// configurations, walkthrough media and their light/dark variants, icon fonts, snippets, themes).
const FILE_KEYS = new Set([
  'icon',
  'path',
  'configuration',
  'image',
  'markdown',
  'svg',
  'light',
  'dark',
  'hc',
  'hcLight',
  'fontPath',
]);

/** Every file the manifest refers to, relative to the repository root. */
function referencedFiles(): string[] {
  const files = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value !== 'string' || value.startsWith('$(') || /^[a-z]+:/i.test(value)) return;
    files.add(path.posix.normalize(value.replace(/^\.\//, '')));
  };
  add(manifest['main']);
  add(manifest['browser']);
  add(manifest['icon']);
  for (const bin of Object.values((manifest['bin'] as Record<string, unknown> | undefined) ?? {})) add(bin);
  const walk = (node: unknown, key: string | undefined): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, key);
    } else if (node !== null && typeof node === 'object') {
      for (const [childKey, child] of Object.entries(node)) walk(child, childKey);
    } else if (key !== undefined && FILE_KEYS.has(key)) {
      add(node);
    }
  };
  walk(manifest['contributes'], undefined);
  return [...files].sort();
}

describe('packaging', () => {
  it('has a PNG icon of 128×128 or 256×256', () => {
    const icon = manifest['icon'];
    assert.equal(typeof icon, 'string', 'package.json has an icon');
    const png = fs.readFileSync(path.join(REPO_ROOT, icon as string));
    assert.deepEqual(
      [...png.subarray(0, 8)],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      'PNG signature',
    );
    assert.equal(png.toString('latin1', 12, 16), 'IHDR');
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.ok(width === height && (width === 128 || width === 256), `icon is ${width}×${height}`);
  });

  it('documents every setting in Markdown, linking only to settings that exist', () => {
    const all = settings();
    assert.ok(Object.keys(all).length > 0);
    for (const [name, setting] of Object.entries(all)) {
      const text = setting.markdownDescription;
      assert.ok(typeof text === 'string' && text.trim().length > 20, `${name} has a markdownDescription`);
      for (const [, linked] of text.matchAll(/`#([\w.]+)#`/g)) {
        assert.ok(linked !== undefined && linked in all, `${name} links to #${linked}#, which is no setting`);
      }
    }
  });

  it('refers only to files that exist (build output aside)', () => {
    const missing = referencedFiles().filter(
      (file) => !file.startsWith('dist/') && !fs.existsSync(path.join(REPO_ROOT, file)),
    );
    assert.deepEqual(missing, []);
  });

  it('ships every file the manifest refers to, and none of the sources, tests or dependencies', async () => {
    const referenced = referencedFiles();
    assert.ok(referenced.includes('dist/extension.js') && referenced.includes('media/icon.png'));
    const leftOut = [
      'src/extension.ts',
      'src/core/cargo/detect.ts',
      'test/unit/packaging.test.ts',
      'test/fixtures/simple/Cargo.toml',
      'node_modules/diff/package.json',
      'out/src/extension.js',
      'dist/extension.js.map',
      'scripts/package.mjs',
      'examples/Cargo.toml',
      '.tools/code-server/package.json',
      '.test-runs/e2e/log.txt',
      'tsconfig.json',
      'package-lock.json',
      'nixify-0.1.0.vsix',
      '.env',
    ];
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-vscodeignore-'));
    try {
      for (const file of ['package.json', '.vscodeignore']) {
        fs.copyFileSync(path.join(REPO_ROOT, file), path.join(tree, file));
      }
      for (const file of [...referenced, ...leftOut, 'README.md', 'CHANGELOG.md', 'LICENSE']) {
        fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
        fs.writeFileSync(path.join(tree, file), '');
      }
      const packaged = await listFiles({ cwd: tree, packageManager: PackageManager.None });
      assert.deepEqual(
        referenced.filter((file) => !packaged.includes(file)),
        [],
        'referenced files left out',
      );
      assert.deepEqual(
        packaged.filter((file) => leftOut.includes(file)),
        [],
        'files that must not ship',
      );
      for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) assert.ok(packaged.includes(file), file);
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  });
});
