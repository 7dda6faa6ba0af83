// Bundles the extension and the CLI with esbuild.
// --production: minified, no sourcemaps (what the .vsix ships); default: sourcemaps for debugging.
import * as esbuild from 'esbuild';
import { assertFresh } from './nix-sources.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  external: ['vscode'],
};

// The Nix files users get are bundled as text through src/core/flake/nix/sources.generated.ts.
try {
  assertFresh();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
];

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('esbuild: watching src/ for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
