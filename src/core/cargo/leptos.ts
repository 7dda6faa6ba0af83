// Leptos sites as cargo-leptos reads them: each package with `[package.metadata.leptos]` is a site
// of its own (the package is both the server and the browser half), and each entry of
// `[[workspace.metadata.leptos]]` (a list of tables, or one table) is a site whose server is
// `bin-package` and whose browser half is `lib-package`. The defaults are cargo-leptos's documented
// ones. nix/leptos.nix reads the same keys when the flake is evaluated, with the same defaults, and
// builds these sites; nix/wasm.nix leaves their crates to it.
import * as path from 'node:path';
import { bool, str, strings, table, type TomlTable } from './toml';
import type { CargoPackage, LeptosPackage, LeptosSite } from './types';

/** Every site of a workspace: the workspace's own entries first, then the packages', in package order. */
export function leptosSites(
  rootDir: string,
  rootManifest: TomlTable | null,
  packages: readonly CargoPackage[],
): LeptosSite[] {
  const sites: LeptosSite[] = [];
  for (const entry of workspaceEntries(rootManifest)) {
    const binPackage = str(entry['bin-package']);
    const libPackage = str(entry['lib-package']);
    // cargo-leptos refuses such an entry; it builds nothing, so neither do we.
    if (binPackage === undefined || libPackage === undefined) continue;
    sites.push(site(entry, 'workspace', str(entry['name']) ?? libPackage, binPackage, libPackage, ''));
  }
  for (const pkg of packages) {
    const metadata = table(table(pkg.metadata)?.['leptos']);
    if (metadata === undefined) continue;
    const dir = path.relative(rootDir, path.dirname(pkg.manifest_path)).split(path.sep).join('/');
    sites.push(site(metadata, 'package', pkg.name, pkg.name, pkg.name, dir));
  }
  return sites;
}

/** `[[workspace.metadata.leptos]]`: an array of tables, or a single `[workspace.metadata.leptos]` table. */
function workspaceEntries(rootManifest: TomlTable | null): TomlTable[] {
  const entries = table(table(rootManifest?.['workspace'])?.['metadata'])?.['leptos'];
  const list: unknown[] = Array.isArray(entries) ? entries : entries === undefined ? [] : [entries];
  return list.map((entry) => table(entry)).filter((entry): entry is TomlTable => entry !== undefined);
}

function site(
  t: TomlTable,
  source: LeptosSite['source'],
  name: string,
  binPackage: string,
  libPackage: string,
  configDir: string,
): LeptosSite {
  const features = strings(t['features']) ?? [];
  const port = t['reload-port'];
  const tailwindInput = str(t['tailwind-input-file']) ?? null;
  return {
    source,
    name,
    config_dir: configDir,
    // "defaults to the lib package name or, in a workspace, the project name".
    output_name: nonEmpty(str(t['output-name'])) ?? name,
    bin_package: binPackage,
    lib_package: libPackage,
    bin_target: nonEmpty(str(t['bin-target'])) ?? null,
    bin_target_triple: str(t['bin-target-triple']) ?? null,
    // `features` applies to both halves.
    bin_features: [...features, ...(strings(t['bin-features']) ?? [])],
    lib_features: [...features, ...(strings(t['lib-features']) ?? [])],
    // false means cargo-leptos passes --no-default-features.
    bin_default_features: bool(t['bin-default-features']) ?? false,
    lib_default_features: bool(t['lib-default-features']) ?? false,
    site_root: str(t['site-root']) ?? 'target/site',
    site_pkg_dir: str(t['site-pkg-dir']) ?? 'pkg',
    site_addr: str(t['site-addr']) ?? '127.0.0.1:3000',
    reload_port: typeof port === 'number' || typeof port === 'bigint' ? Number(port) : 3001,
    assets_dir: str(t['assets-dir']) ?? null,
    style_file: str(t['style-file']) ?? null,
    tailwind_input_file: tailwindInput,
    tailwind_config_file:
      str(t['tailwind-config-file']) ?? (tailwindInput === null ? null : 'tailwind.config.js'),
    env: str(t['env']) ?? null,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/** What a package is in the sites: null when it is in none. */
export function leptosPackage(pkg: CargoPackage, sites: readonly LeptosSite[]): LeptosPackage | null {
  const mine = sites.filter((s) => s.bin_package === pkg.name || s.lib_package === pkg.name);
  if (mine.length === 0) return null;
  return {
    server: mine.some((s) => s.bin_package === pkg.name),
    front: mine.some((s) => s.lib_package === pkg.name),
    sites: mine,
  };
}
