// Cargo workspaces written by the tests themselves: a large one with an irregular graph of path
// dependencies (for the rebuild-set test), and a small one whose crates really build offline.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seededRandom as random } from '../../shared/seededRandom';

function write(root: string, rel: string, content: string): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

type Table = 'dependencies' | 'build-dependencies' | 'dev-dependencies' | 'unix' | 'windows';

export interface LargeWorkspace {
  /** A crate for each way of being depended on (the first such edge), for the edits the test makes. */
  samples: Record<string, string>;
}

const pad = (i: number) => String(i).padStart(3, '0');

/**
 * `count` crates named `crate-with-a-rather-long-descriptive-name-NNN` in directories named
 * otherwise, found by two globs, an explicit list, and as path dependencies of members (in no list);
 * each depends on up to four earlier crates through [dependencies], [build-dependencies] (with a
 * build.rs), [dev-dependencies] (a few on later crates: dev cycles, which cargo allows) or
 * [target.'cfg(…)'.dependencies], by path, renamed, or with `workspace = true`.
 */
export function writeLargeWorkspace(root: string, count: number, seed = 20240611): LargeWorkspace {
  const rand = random(seed);
  const names = Array.from(
    { length: count },
    (_, i) => `crate-with-a-rather-long-descriptive-name-${pad(i)}`,
  );
  const dirs = names.map((_, i) => {
    if (i % 20 === 18 && i + 1 < count) return `implicit/only-a-path-dependency-${pad(i)}`;
    if (i % 3 === 0) return `alpha/c${pad(i)}`;
    if (i % 3 === 1) return `beta/group-${i % 2}/d-${pad(i)}-impl`;
    return `explicit/e${pad(i)}`;
  });
  const inherited = (i: number) => i % 4 === 0;

  const edges: { from: number; to: number; table: Table }[] = [];
  for (let i = 1; i < count; i++) {
    const targets = new Set<number>();
    // The crate right after an implicit one depends on it: that is how cargo finds it.
    if (dirs[i - 1]?.startsWith('implicit/')) targets.add(i - 1);
    const wanted = Math.floor(rand() * 5);
    while (targets.size < Math.min(wanted, i)) targets.add(i - 1 - Math.floor(rand() * rand() * i));
    for (const to of targets) {
      const r = rand();
      const table: Table =
        to === i - 1 && dirs[to]?.startsWith('implicit/')
          ? 'dependencies'
          : r < 0.55
            ? 'dependencies'
            : r < 0.67
              ? 'build-dependencies'
              : r < 0.8
                ? 'dev-dependencies'
                : r < 0.9
                  ? 'unix'
                  : 'windows';
      edges.push({ from: i, to, table });
    }
    if (i % 17 === 5 && i + 7 < count) edges.push({ from: i, to: i + 7, table: 'dev-dependencies' });
  }

  const explicit = dirs.filter((d) => d.startsWith('explicit/'));
  const workspaceDeps = names
    .map((name, i) => (inherited(i) ? `${name} = { path = "${dirs[i]}" }` : null))
    .filter((line): line is string => line !== null);
  write(
    root,
    'Cargo.toml',
    `[workspace]
resolver = "2"
members = [
  "alpha/*",
  "beta/*/d-*-impl",
${explicit.map((d) => `  "${d}",`).join('\n')}
]

[workspace.package]
version = "0.3.0"
edition = "2021"

[workspace.dependencies]
${workspaceDeps.join('\n')}
`,
  );

  names.forEach((name, i) => {
    const dir = dirs[i] ?? '';
    const mine = edges.filter((e) => e.from === i);
    const spec = (to: number, key: string) => {
      if (inherited(to) && key === names[to]) return `${key} = { workspace = true }`;
      const rel = path.posix.relative(dir, dirs[to] ?? '');
      return key === names[to]
        ? `${key} = { path = "${rel}" }`
        : `${key} = { path = "${rel}", package = "${names[to]}" }`;
    };
    const keyFor = (to: number) => (rand() < 0.15 ? `renamed-${pad(to)}` : (names[to] ?? ''));
    const table = (header: string, which: Table) => {
      const lines = mine.filter((e) => e.table === which).map((e) => spec(e.to, keyFor(e.to)));
      return lines.length === 0 ? '' : `\n[${header}]\n${lines.join('\n')}\n`;
    };
    const version = i % 2 === 0 ? 'version.workspace = true' : `version = "1.${i}.0"`;
    const edition = i % 3 === 0 ? 'edition.workspace = true' : 'edition = "2021"';
    const hasBuild = mine.some((e) => e.table === 'build-dependencies');
    write(
      root,
      `${dir}/Cargo.toml`,
      `[package]
name = "${name}"
${version}
${edition}
${table('dependencies', 'dependencies')}${table('build-dependencies', 'build-dependencies')}${table('dev-dependencies', 'dev-dependencies')}${table("target.'cfg(unix)'.dependencies", 'unix')}${table("target.'cfg(windows)'.dependencies", 'windows')}`,
    );
    write(root, `${dir}/src/lib.rs`, `pub fn value() -> u32 {\n    ${i}\n}\n`);
    if (i % 5 === 0) write(root, `${dir}/src/main.rs`, 'fn main() {}\n');
    if (hasBuild) write(root, `${dir}/build.rs`, 'fn main() {}\n');
  });

  const sample = (table: Table) => {
    const edge = edges.find((e) => e.table === table);
    return names[edge?.to ?? 0] ?? '';
  };
  return {
    samples: {
      'a crate nothing depends on': names[count - 1] ?? '',
      'a build dependency': sample('build-dependencies'),
      'a dev dependency': sample('dev-dependencies'),
      "a [target.'cfg(windows)'] dependency": sample('windows'),
      'a crate in no members list': names[dirs.findIndex((d) => d.startsWith('implicit/'))] ?? '',
    },
  };
}

/**
 * Crates with only path dependencies, which cargo builds offline. `app` (a binary) uses `core-lib`,
 * a build dependency `build-helper` in its build.rs, and `test-util` in its tests. The crates it does
 * not use need files cargo looks for: `unrelated-tool` declares a [[bin]] with a path, an [[example]]
 * and a [[test]] without one; `sys-thing` has `links`, so its build script must exist. A `nonce`
 * comment in the binaries makes their derivations new, so that Nix really builds them.
 */
export function writeBuildableWorkspace(root: string, nonce = ''): void {
  const stamp = nonce === '' ? '' : `// ${nonce}\n`;
  write(root, 'Cargo.toml', '[workspace]\nresolver = "2"\nmembers = ["crates/*"]\n');
  const pkg = (name: string, extra = '') =>
    `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`;
  write(
    root,
    'crates/app/Cargo.toml',
    pkg(
      'app',
      `
[dependencies]
core-lib = { path = "../core" }

[build-dependencies]
build-helper = { path = "../build-helper" }

[dev-dependencies]
test-util = { path = "../test-util" }
`,
    ),
  );
  write(
    root,
    'crates/app/build.rs',
    'fn main() {\n    println!("cargo:rustc-env=BUILD_VALUE={}", build_helper::value());\n}\n',
  );
  write(
    root,
    'crates/app/src/main.rs',
    stamp + 'fn main() {\n    println!("{}, built with {}", core_lib::greeting(), env!("BUILD_VALUE"));\n}\n',
  );
  write(
    root,
    'crates/app/tests/greeting.rs',
    '#[test]\nfn greets() {\n    test_util::assert_greeting(&core_lib::greeting());\n}\n',
  );
  write(root, 'crates/core/Cargo.toml', pkg('core-lib'));
  write(
    root,
    'crates/core/src/lib.rs',
    'pub fn greeting() -> String {\n    "hello from core-lib".to_string()\n}\n',
  );
  write(root, 'crates/build-helper/Cargo.toml', pkg('build-helper'));
  write(root, 'crates/build-helper/src/lib.rs', 'pub fn value() -> u32 {\n    42\n}\n');
  write(root, 'crates/test-util/Cargo.toml', pkg('test-util'));
  write(
    root,
    'crates/test-util/src/lib.rs',
    'pub fn assert_greeting(greeting: &str) {\n    assert!(greeting.starts_with("hello"));\n}\n',
  );
  write(
    root,
    'crates/tool/Cargo.toml',
    pkg(
      'unrelated-tool',
      `
[[bin]]
name = "tool"
path = "src/tool.rs"

[[example]]
name = "demo"

[[test]]
name = "it"
`,
    ),
  );
  write(root, 'crates/tool/src/tool.rs', stamp + 'fn main() {\n    println!("tool");\n}\n');
  write(root, 'crates/tool/examples/demo.rs', 'fn main() {}\n');
  write(root, 'crates/tool/tests/it.rs', '#[test]\nfn it_works() {}\n');
  write(root, 'crates/sys/Cargo.toml', pkg('sys-thing', 'links = "thing"\n'));
  write(root, 'crates/sys/build.rs', 'fn main() {}\n');
  write(root, 'crates/sys/src/lib.rs', 'pub fn thing() {}\n');
}

/**
 * `app` depends on `patched-thing = "0.1"` from crates.io, which the root's [patch.crates-io] points
 * at vendor/patched-thing: cargo builds app from that path, but the patched crate is no member.
 */
export function writePatchedWorkspace(root: string): void {
  write(
    root,
    'Cargo.toml',
    '[workspace]\nresolver = "2"\nmembers = ["app"]\n\n[patch.crates-io]\npatched-thing = { path = "vendor/patched-thing" }\n',
  );
  write(
    root,
    'app/Cargo.toml',
    '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\npatched-thing = "0.1"\n',
  );
  write(root, 'app/src/main.rs', 'fn main() {}\n');
  write(
    root,
    'vendor/patched-thing/Cargo.toml',
    '[package]\nname = "patched-thing"\nversion = "0.1.0"\nedition = "2021"\n',
  );
  write(root, 'vendor/patched-thing/src/lib.rs', '');
}

/** The machine's cargo, or null. */
export function findCargo(): string | null {
  const home = process.env['HOME'] ?? '';
  const candidates = [...(process.env['PATH'] ?? '').split(':'), path.join(home, '.cargo', 'bin')];
  for (const dir of candidates) {
    const cargo = path.join(dir, 'cargo');
    if (dir !== '' && fs.existsSync(cargo)) return cargo;
  }
  return null;
}

/** `base` with another CARGO_HOME (say, one whose config reads crates.io from a vendor folder). */
export function withCargoHome(base: NodeJS.ProcessEnv, cargoHome: string): NodeJS.ProcessEnv {
  return {
    ...base,
    CARGO_HOME: cargoHome,
    // rustup finds its toolchains under the real home, not the substituted CARGO_HOME.
    RUSTUP_HOME: base['RUSTUP_HOME'] ?? path.join(base['HOME'] ?? os.homedir(), '.rustup'),
  };
}

/**
 * `cargo generate-lockfile --offline`: cargo itself accepts the workspace. With `cargoHome` (a
 * CARGO_HOME whose config reads crates.io from a vendor folder) registry checksums come from there.
 */
export function generateLockfile(cargo: string, root: string, cargoHome?: string): void {
  const env = cargoHome ? withCargoHome(process.env, cargoHome) : process.env;
  const result = spawnSync(cargo, ['generate-lockfile', '--offline'], { cwd: root, encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`cargo generate-lockfile in ${root}:\n${result.stderr}`);
}
