import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectWorkspaces, type CargoPackage, type Workspace } from '../../../../src/core/cargo';
import { leptosPackage, leptosSites } from '../../../../src/core/cargo/leptos';
import { pkg } from '../../helpers/model';
import { tree } from '../../helpers/tree';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

function only(root: string): Workspace {
  const [ws] = detectWorkspaces(root).workspaces;
  assert.ok(ws, `a workspace at ${root}`);
  return ws;
}

function byName(ws: Workspace, name: string): CargoPackage {
  const found = ws.packages.find((p) => p.name === name);
  assert.ok(found, `package ${name}`);
  return found;
}

describe('core/cargo/leptos', () => {
  const roots: string[] = [];
  const make = (files: Record<string, string>) => {
    const root = tree(files);
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('[package.metadata.leptos]: one site, the package both halves, the keys it sets and the defaults of the others', () => {
    const ws = only(path.join(FIXTURES, 'leptos-package'));
    const leptos = byName(ws, 'leptos-start').nixify.leptos;
    assert.deepEqual(leptos, {
      server: true,
      front: true,
      sites: [
        {
          source: 'package',
          name: 'leptos-start',
          config_dir: '',
          output_name: 'leptos-start',
          bin_package: 'leptos-start',
          lib_package: 'leptos-start',
          bin_target: null,
          bin_target_triple: null,
          bin_features: ['ssr'],
          lib_features: ['hydrate'],
          bin_default_features: false,
          lib_default_features: false,
          site_root: 'target/site',
          site_pkg_dir: 'pkg',
          site_addr: '127.0.0.1:3000',
          reload_port: 3001,
          assets_dir: 'public',
          style_file: 'style/main.scss',
          tailwind_input_file: null,
          tailwind_config_file: null,
          env: null,
        },
      ],
    });
  });

  it('[[workspace.metadata.leptos]]: bin-package is the server, lib-package the front, output-name defaults to the name', () => {
    const ws = only(path.join(FIXTURES, 'leptos-workspace'));
    const server = byName(ws, 'server').nixify.leptos;
    const front = byName(ws, 'frontend').nixify.leptos;
    assert.equal(byName(ws, 'app').nixify.leptos, null, 'a library both halves use is no part of the site');
    assert.deepEqual(
      [server?.server, server?.front, front?.server, front?.front],
      [true, false, false, true],
    );
    const site = front?.sites[0];
    assert.deepEqual(server?.sites, front?.sites);
    assert.equal(site?.source, 'workspace');
    assert.equal(site?.output_name, 'shop');
    assert.equal(site?.config_dir, '');
    assert.equal(site?.style_file, 'style/main.scss');
    assert.deepEqual([site?.bin_features, site?.lib_features], [[], []]);
  });

  it('the crates of a site are not wasm crates, even a cdylib depending on wasm-bindgen', () => {
    for (const [fixture, name] of [
      ['leptos-package', 'leptos-start'],
      ['leptos-workspace', 'frontend'],
      ['leptos-workspace', 'server'],
    ] as const) {
      const p = byName(only(path.join(FIXTURES, fixture)), name);
      assert.ok(p.nixify.has_cdylib || name === 'server');
      assert.equal(p.nixify.wasm, null, `${fixture}: ${name}`);
    }
    // The same cdylib outside any site is one.
    assert.notEqual(
      byName(only(path.join(FIXTURES, 'wasm-bindgen-cdylib')), 'wasm-widget').nixify.wasm,
      null,
    );
  });

  it('a single [workspace.metadata.leptos] table is one site; entries without both packages are skipped', () => {
    const root = make({
      'Cargo.toml':
        '[workspace]\nmembers = ["srv", "web"]\n[workspace.metadata.leptos]\nname = "one"\nbin-package = "srv"\nlib-package = "web"\n',
      'srv/Cargo.toml': '[package]\nname = "srv"\nversion = "0.1.0"\n',
      'srv/src/main.rs': '',
      'web/Cargo.toml': '[package]\nname = "web"\nversion = "0.1.0"\n',
      'web/src/lib.rs': '',
    });
    const ws = only(root);
    assert.deepEqual(
      byName(ws, 'web').nixify.leptos?.sites.map((s) => s.name),
      ['one'],
    );
    const manifest = {
      workspace: { metadata: { leptos: [{ name: 'half', 'bin-package': 'srv' }, { 'lib-package': 'web' }] } },
    };
    assert.deepEqual(leptosSites(root, manifest, ws.packages), []);
  });

  it('features apply to both halves before their own; the other keys are read as cargo-leptos reads them', () => {
    const root = '/w';
    const manifest = {
      workspace: {
        metadata: {
          leptos: [
            {
              name: 'blog',
              'output-name': 'blog_site',
              'bin-package': 'srv',
              'lib-package': 'web',
              'bin-target': 'serve',
              'bin-target-triple': 'x86_64-unknown-linux-musl',
              features: ['tracing'],
              'bin-features': ['ssr'],
              'lib-features': ['hydrate'],
              'bin-default-features': true,
              'lib-default-features': true,
              'site-root': 'out/site',
              'site-pkg-dir': 'static',
              'site-addr': '0.0.0.0:8080',
              'reload-port': 8081,
              'assets-dir': 'public',
              'tailwind-input-file': 'style/tailwind.css',
              env: 'PROD',
            },
          ],
        },
      },
    };
    const [site] = leptosSites(root, manifest, []);
    assert.deepEqual(site, {
      source: 'workspace',
      name: 'blog',
      config_dir: '',
      output_name: 'blog_site',
      bin_package: 'srv',
      lib_package: 'web',
      bin_target: 'serve',
      bin_target_triple: 'x86_64-unknown-linux-musl',
      bin_features: ['tracing', 'ssr'],
      lib_features: ['tracing', 'hydrate'],
      bin_default_features: true,
      lib_default_features: true,
      site_root: 'out/site',
      site_pkg_dir: 'static',
      site_addr: '0.0.0.0:8080',
      reload_port: 8081,
      assets_dir: 'public',
      style_file: null,
      tailwind_input_file: 'style/tailwind.css',
      // cargo-leptos's default when tailwind is on.
      tailwind_config_file: 'tailwind.config.js',
      env: 'PROD',
    });
  });

  it("a member's [package.metadata.leptos] paths start from its own directory", () => {
    const member = pkg('site', '/w/crates/site', { metadata: { leptos: { 'output-name': '' } } });
    const sites = leptosSites('/w', null, [member]);
    assert.deepEqual(
      sites.map((s) => [s.config_dir, s.output_name]),
      [['crates/site', 'site']],
      'an empty output-name is the default, as in cargo-leptos',
    );
    assert.equal(leptosPackage(pkg('other', '/w/other'), sites), null);
  });
});
