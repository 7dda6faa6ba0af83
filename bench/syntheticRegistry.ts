// A Cargo workspace that really builds offline: members over a local vendored registry of synthetic
// crates (a cargo "directory" source, each crate with its .cargo-checksum.json; cargo writes a
// Cargo.lock with the matching checksums). The registry has layers of dependencies, optional
// dependencies behind features, build scripts and proc-macros; the members enable different
// features of the same crates (normal and dev-dependencies), which is what makes cargo's resolver
// pick other builds for `-p member` than for `--workspace`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededRandom as random } from '../test/shared/seededRandom';
import { write } from './support';

/** Every registry crate's name starts with this, so a compilation can be told external by name. */
export const REGISTRY_PREFIX = 'reg-';

export interface SyntheticWorkspace {
  /** Member names, in dependency order: `member-00` is the core every other member depends on. */
  members: string[];
  /** Member directory (relative to the root) by name. */
  dirs: Record<string, string>;
  /** Members depending (transitively, by path) on each member, the member itself excluded. */
  dependents: Record<string, string[]>;
  /** A leaf member (nothing depends on it) and the core one, for the edit measurements. */
  leaf: string;
  core: string;
  registryCrates: number;
}

const pad = (i: number) => String(i).padStart(3, '0');
const regName = (i: number) => `${REGISTRY_PREFIX}${pad(i)}`;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function isProcMacro(i: number): boolean {
  return i % 25 === 7;
}

function hasBuildScript(i: number): boolean {
  return i % 17 === 3;
}

/** Writes `vendor/<name>/` for `count` registry crates; returns each crate's normal dependencies. */
function writeRegistry(vendor: string, count: number): void {
  const rand = random(7);
  for (let i = 0; i < count; i++) {
    const name = regName(i);
    const dir = path.join(vendor, name);
    const files: Record<string, string> = {};
    const macro = isProcMacro(i);
    // Up to three earlier crates, the last one optional behind the `extra` feature.
    const deps = new Set<number>();
    if (!macro && i > 0) {
      const wanted = Math.floor(rand() * 4);
      for (let k = 0; k < wanted; k++) {
        const d = Math.floor(rand() * i);
        if (!isProcMacro(d)) deps.add(d);
      }
    }
    const depList = [...deps].sort((a, b) => a - b);
    const optional = depList.length > 1 ? depList[depList.length - 1] : undefined;
    const depLines = depList.map(
      (d) => `${regName(d)} = { version = "1.0.0"${d === optional ? ', optional = true' : ''} }`,
    );
    const build = hasBuildScript(i);
    const buildDep = build && i > 1 && !isProcMacro(i - 1) ? i - 1 : undefined;
    files['Cargo.toml'] = `[package]
name = "${name}"
version = "1.0.0"
edition = "2021"
${build ? 'build = "build.rs"\n' : ''}
[lib]
path = "src/lib.rs"
${macro ? 'proc-macro = true\n' : ''}
[features]
default = ["std"]
std = []
fast = []
${optional !== undefined ? `extra = ["dep:${regName(optional)}"]` : 'extra = []'}

[dependencies]
${depLines.join('\n')}
${buildDep !== undefined ? `\n[build-dependencies]\n${regName(buildDep)} = "1.0.0"\n` : ''}`;
    const ident = (d: number) => regName(d).replace(/-/g, '_');
    const sum = depList
      .map((d) =>
        d === optional
          ? `+ { #[cfg(feature = "extra")] { ${ident(d)}::value() } #[cfg(not(feature = "extra"))] { 0 } }`
          : `+ ${ident(d)}::value()`,
      )
      .join(' ');
    files['src/lib.rs'] = macro
      ? `extern crate proc_macro;
use proc_macro::TokenStream;

/// Expands to the number ${i}.
#[proc_macro]
pub fn number_${i}(_input: TokenStream) -> TokenStream {
    "${i}u64".parse().unwrap()
}
`
      : `//! Synthetic registry crate ${i}.
${build ? 'include!(concat!(env!("OUT_DIR"), "/generated.rs"));\n' : ''}
pub fn value() -> u64 {
    let base: u64 = ${i};
    #[cfg(feature = "fast")]
    let base = base * 2;
    #[cfg(feature = "std")]
    let base = base + std::mem::size_of::<usize>() as u64;
    base ${sum}${build ? ' + generated()' : ''}
}
`;
    if (build) {
      files['build.rs'] = `fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::write(format!("{out}/generated.rs"), "fn generated() -> u64 { ${i} }").unwrap();
    ${buildDep !== undefined ? `let _ = ${ident(buildDep)}::value();` : ''}
    println!("cargo:rerun-if-changed=build.rs");
}
`;
    }
    const checksums: Record<string, string> = {};
    for (const [rel, text] of Object.entries(files)) {
      write(path.join(dir, rel), text);
      checksums[rel] = sha256(text);
    }
    const packageSum = sha256(JSON.stringify(checksums));
    fs.writeFileSync(
      path.join(dir, '.cargo-checksum.json'),
      JSON.stringify({ files: checksums, package: packageSum }),
    );
  }
}

/**
 * The workspace in `root` (its registry in `vendor`): `memberCount` members under crates/, member-00
 * the core, members 1–5 a middle layer on the core, the rest leaves on one or two middle members.
 */
export function writeSyntheticWorkspace(
  root: string,
  vendor: string,
  opts: { members?: number; registry?: number } = {},
): SyntheticWorkspace {
  const memberCount = opts.members ?? 24;
  const registryCount = opts.registry ?? 160;
  writeRegistry(vendor, registryCount);
  const rand = random(11);
  const members = Array.from({ length: memberCount }, (_, i) => `member-${String(i).padStart(2, '0')}`);
  const dirs: Record<string, string> = {};
  const pathDeps: Record<string, string[]> = {};
  const usable = Array.from({ length: registryCount }, (_, i) => i).filter((i) => !isProcMacro(i));
  const macros = Array.from({ length: registryCount }, (_, i) => i).filter(isProcMacro);
  members.forEach((name, i) => {
    const dir = `crates/${name}`;
    dirs[name] = dir;
    const internal =
      i === 0
        ? []
        : i <= 5
          ? [members[0] as string]
          : [members[1 + (i % 5)] as string, ...(i % 3 === 0 ? [members[1 + ((i + 2) % 5)] as string] : [])];
    pathDeps[name] = [...new Set(internal)];
    // Registry dependencies: a few shared by everyone (with features that differ per member), a
    // few of the member's own; dev-dependencies with other features.
    const shared = [
      usable[usable.length - 1],
      usable[usable.length - 2],
      usable[usable.length - 3],
    ] as number[];
    const own = new Set<number>();
    const wanted = 3 + Math.floor(rand() * 5);
    while (own.size < wanted) own.add(usable[Math.floor(rand() * usable.length)] as number);
    for (const s of shared) own.delete(s);
    const features = (k: number) => {
      const f = [(i + k) % 3 === 0 ? 'fast' : null, (i + k) % 4 === 1 ? 'extra' : null].filter(
        (x) => x !== null,
      );
      return f.length === 0 ? '' : `, features = [${f.map((x) => `"${x}"`).join(', ')}]`;
    };
    const lines = [
      ...internal.map((d) => `${d} = { path = "../${d}" }`),
      ...shared.map((s, k) => `${regName(s)} = { version = "1.0.0"${features(k)} }`),
      ...[...own].map((s) => `${regName(s)} = "1.0.0"`),
      ...(i % 4 === 2 ? [`${regName(macros[i % macros.length] as number)} = "1.0.0"`] : []),
    ];
    const devDep = usable[(i * 7) % usable.length] as number;
    const bin = i % 2 === 1;
    const build = i % 6 === 4;
    const buildDep = usable[(i * 13) % usable.length] as number;
    write(
      path.join(root, dir, 'Cargo.toml'),
      `[package]
name = "${name}"
version = "0.1.0"
edition = "2021"

[dependencies]
${lines.join('\n')}

[dev-dependencies]
${regName(devDep)} = { version = "1.0.0", features = ["fast", "extra"] }
${build ? `\n[build-dependencies]\n${regName(buildDep)} = "1.0.0"\n` : ''}`,
    );
    const ident = (n: string) => n.replace(/-/g, '_');
    const uses = [
      ...internal.map((d) => `${ident(d)}::total()`),
      ...shared.map((s) => `${ident(regName(s))}::value()`),
      ...[...own].map((s) => `${ident(regName(s))}::value()`),
    ];
    write(
      path.join(root, dir, 'src/lib.rs'),
      `//! Synthetic member ${i}.
pub fn total() -> u64 {
    [${uses.join(', ')}].iter().sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds_up() {
        assert!(super::total() + ${ident(regName(devDep))}::value() > 0);
    }
}
`,
    );
    if (bin) {
      write(
        path.join(root, dir, 'src/main.rs'),
        `fn main() {\n    println!("{}", ${ident(name)}::total());\n}\n`,
      );
    }
    if (build) {
      write(
        path.join(root, dir, 'build.rs'),
        `fn main() {\n    let _ = ${ident(regName(buildDep))}::value();\n    println!("cargo:rerun-if-changed=build.rs");\n}\n`,
      );
    }
  });
  write(path.join(root, 'Cargo.toml'), `[workspace]\nresolver = "2"\nmembers = ["crates/*"]\n`);
  write(path.join(root, '.gitignore'), 'target/\nresult*\n');
  const dependents: Record<string, string[]> = {};
  for (const m of members) {
    const found = new Set<string>();
    const visit = (target: string) => {
      for (const other of members) {
        if (!found.has(other) && (pathDeps[other] ?? []).includes(target)) {
          found.add(other);
          visit(other);
        }
      }
    };
    visit(m);
    dependents[m] = [...found].sort();
  }
  const leaf = [...members].reverse().find((m) => (dependents[m] ?? []).length === 0) as string;
  return { members, dirs, dependents, leaf, core: members[0] as string, registryCrates: registryCount };
}

/** `cargo fmt` over the workspace: the flake's fmt check must pass on it. */
export function formatWorkspace(cargo: string, root: string): void {
  const result = spawnSync(cargo, ['fmt', '--all'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cargo fmt failed: ${result.stderr}`);
}

/** A CARGO_HOME whose config reads crates.io from `vendor` (offline). */
export function vendoredCargoHome(home: string, vendor: string): string {
  write(
    path.join(home, 'config.toml'),
    `[source.crates-io]\nreplace-with = "vendored-sources"\n[source.vendored-sources]\ndirectory = "${vendor}"\n[net]\noffline = true\n`,
  );
  return home;
}
