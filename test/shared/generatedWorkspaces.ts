// Generated Cargo workspaces for the property-based tests (fast-check): members as lists or globs,
// excludes, default-members, `[workspace.package]` and `[workspace.dependencies]` inheritance, path
// dependencies of every kind (normal, dev, build, `[target.'cfg(…)']`, renamed, optional, through
// the workspace), odd package names, and random damage to one file. Each case is written to a temp
// dir and judged against `cargo metadata --no-deps --offline` with the conformance tier's comparison.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { detectWorkspaces, type DetectResult, type Problem } from '../../src/core/cargo';
import { compareWithCargo, tryCargoMetadata } from './cargoMetadata';

type DepKind = 'normal' | 'dev' | 'build' | 'target';

interface DepSpec {
  /** Index of the crate depended on. */
  to: number;
  kind: DepKind;
  rename: boolean;
  optional: boolean;
  viaWorkspace: boolean;
}

interface CrateSpec {
  name: string;
  bin: boolean;
  inheritVersion: boolean;
  inheritEdition: boolean;
  deps: DepSpec[];
}

interface Damage {
  /** Index into the written manifests, modulo their count. */
  file: number;
  kind: 'truncate' | 'inject';
  /** Where: a fraction of the text (truncate) or of its lines (inject). */
  at: number;
  text: string;
}

export interface WorkspaceSpec {
  rootPackage: boolean;
  crates: CrateSpec[];
  /** `list` names each directory; the others are one glob of the glob crate's kinds. */
  members: 'list' | keyof typeof GLOBS;
  excluded: number[];
  defaultMembers: number[] | null;
  workspacePackage: boolean;
  damage: Damage | null;
}

// Each matches every crate directory (c0 … c4), in its own way.
const GLOBS = {
  star: 'crates/*',
  question: 'crates/c?',
  class: 'crates/[c]*',
  negated: 'crates/[!x]?',
  recursive: 'crates/**/c*',
} as const;

// Valid names of every shape cargo allows, and a few it refuses (digit first, a dot, a template).
const NAME = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{0,5}([-_][a-z0-9]{1,4})?$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('Foo_Bar', '_under', 'a--b', 'é-crate', 'x_y', 'x-y', 'core', 'test'),
  },
  { weight: 1, arbitrary: fc.constantFrom('1st', 'a.b', '{{project-name}}') },
);

const GARBAGE = fc.oneof(
  fc.constantFrom(
    '{% if serde %}serde = "1"{% endif %}',
    '[',
    '= 1',
    'name = "unterminated',
    'key = ',
    '[[workspace]]',
    '[package]',
    'members = 3',
    'version = "x.y"',
    'edition = { workspace = true }',
  ),
  fc.string({ maxLength: 12 }),
);

function depArbitrary(index: number, count: number): fc.Arbitrary<DepSpec> {
  return fc
    .record({
      to: fc.nat({ max: count - 1 }),
      kind: fc.constantFrom<DepKind>('normal', 'dev', 'build', 'target'),
      rename: fc.boolean(),
      optional: fc.boolean(),
      viaWorkspace: fc.boolean(),
    })
    .map((dep) => {
      // Normal, build and target dependencies point backwards (cycles there are a separate error);
      // dev-dependencies may point anywhere, as cargo allows.
      const to = dep.kind === 'dev' ? dep.to : dep.to % Math.max(index, 1);
      return { ...dep, to, optional: dep.optional && dep.kind !== 'dev' };
    });
}

export const workspaceSpec: fc.Arbitrary<WorkspaceSpec> = fc.integer({ min: 1, max: 5 }).chain((count) =>
  fc.record({
    rootPackage: fc.boolean(),
    crates: fc.tuple(
      ...Array.from({ length: count }, (_, index) =>
        fc.record({
          name: NAME,
          bin: fc.boolean(),
          inheritVersion: fc.boolean(),
          inheritEdition: fc.boolean(),
          deps:
            index === 0 && count === 1
              ? fc.constant<DepSpec[]>([])
              : fc.array(depArbitrary(index, count), { maxLength: 3 }),
        }),
      ),
    ),
    members: fc.constantFrom<WorkspaceSpec['members']>(
      'list',
      ...(Object.keys(GLOBS) as (keyof typeof GLOBS)[]),
    ),
    excluded: fc.uniqueArray(fc.nat({ max: count - 1 }), { maxLength: 1 }),
    defaultMembers: fc.option(fc.uniqueArray(fc.nat({ max: count - 1 }), { maxLength: 2 }), { nil: null }),
    workspacePackage: fc.oneof(
      { weight: 3, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    // Two cases in three are whole, so that cargo accepts a good share of them.
    damage: fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.record<Damage>({
          file: fc.nat(),
          kind: fc.constantFrom<'truncate' | 'inject'>('truncate', 'inject'),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          text: GARBAGE,
        }),
      },
    ),
  }),
);

const crateDir = (index: number) => `crates/c${index}`;

/** The files of a spec, {relative path: text}; manifests first. */
export function renderWorkspace(spec: WorkspaceSpec): Record<string, string> {
  const files: Record<string, string> = {};
  const { crates } = spec;
  const viaWorkspace = new Set(crates.flatMap((c) => c.deps.filter((d) => d.viaWorkspace).map((d) => d.to)));
  const root: string[] = [];
  if (spec.rootPackage)
    root.push('[package]', 'name = "root-pkg"', 'version = "0.1.0"', 'edition = "2021"', '');
  const memberDirs = crates
    .map((_, i) => i)
    .filter((i) => spec.members !== 'list' || !spec.excluded.includes(i));
  root.push('[workspace]');
  root.push(
    spec.members !== 'list'
      ? `members = [${JSON.stringify(GLOBS[spec.members])}]`
      : `members = [${memberDirs.map((i) => JSON.stringify(crateDir(i))).join(', ')}]`,
  );
  if (spec.excluded.length > 0)
    root.push(`exclude = [${spec.excluded.map((i) => JSON.stringify(crateDir(i))).join(', ')}]`);
  if (spec.defaultMembers)
    root.push(
      `default-members = [${spec.defaultMembers.map((i) => JSON.stringify(crateDir(i))).join(', ')}]`,
    );
  root.push('resolver = "2"', '');
  if (spec.workspacePackage) root.push('[workspace.package]', 'version = "0.3.0"', 'edition = "2021"', '');
  if (viaWorkspace.size > 0) {
    root.push('[workspace.dependencies]');
    for (const to of [...viaWorkspace].sort())
      root.push(`${JSON.stringify(crates[to]?.name)} = { path = ${JSON.stringify(crateDir(to))} }`);
    root.push('');
  }
  files['Cargo.toml'] = `${root.join('\n')}\n`;
  crates.forEach((crate, index) => {
    const lines = ['[package]', `name = ${JSON.stringify(crate.name)}`];
    lines.push(crate.inheritVersion ? 'version.workspace = true' : 'version = "0.1.0"');
    lines.push(crate.inheritEdition ? 'edition.workspace = true' : 'edition = "2021"', '');
    const sections = new Map<string, string[]>();
    crate.deps.forEach((dep, n) => {
      const target = crates[dep.to];
      if (!target || dep.to === index) return;
      const section =
        dep.kind === 'normal'
          ? 'dependencies'
          : dep.kind === 'target'
            ? "target.'cfg(unix)'.dependencies"
            : `${dep.kind}-dependencies`;
      const key = dep.rename ? `alias${n}` : target.name;
      const fields = dep.viaWorkspace ? ['workspace = true'] : [`path = "../c${dep.to}"`];
      if (dep.rename && !dep.viaWorkspace) fields.push(`package = ${JSON.stringify(target.name)}`);
      if (dep.rename && dep.viaWorkspace) return; // a renamed workspace dependency needs its own key there
      if (dep.optional) fields.push('optional = true');
      const entries = sections.get(section) ?? [];
      if (entries.some((e) => e.startsWith(`${JSON.stringify(key)} =`))) return; // one entry per key
      entries.push(`${JSON.stringify(key)} = { ${fields.join(', ')} }`);
      sections.set(section, entries);
    });
    for (const [section, entries] of sections) lines.push(`[${section}]`, ...entries, '');
    files[`${crateDir(index)}/Cargo.toml`] = `${lines.join('\n')}\n`;
    files[`${crateDir(index)}/src/${crate.bin ? 'main' : 'lib'}.rs`] = crate.bin ? 'fn main() {}\n' : '';
  });
  if (spec.rootPackage) files['src/lib.rs'] = '';
  files['Cargo.lock'] = lockfile(spec);
  if (spec.damage) damage(files, spec.damage);
  return files;
}

/** A version 3 Cargo.lock naming every package, as `cargo generate-lockfile` would (order aside). */
function lockfile(spec: WorkspaceSpec): string {
  const names = [...(spec.rootPackage ? ['root-pkg'] : []), ...spec.crates.map((c) => c.name)];
  const entries = names.map((name) => `[[package]]\nname = ${JSON.stringify(name)}\nversion = "0.1.0"\n`);
  return ['# This file is automatically @generated by Cargo.', 'version = 3', '', ...entries].join('\n');
}

function damage(files: Record<string, string>, d: Damage): void {
  // Any file detection parses: the manifests and Cargo.lock.
  const manifests = Object.keys(files).filter((f) => f.endsWith('Cargo.toml') || f === 'Cargo.lock');
  const file = manifests[d.file % manifests.length] ?? 'Cargo.toml';
  const text = files[file] ?? '';
  if (d.kind === 'truncate') {
    files[file] = text.slice(0, Math.floor(text.length * d.at));
  } else {
    const lines = text.split('\n');
    lines.splice(Math.floor(lines.length * d.at), 0, d.text);
    files[file] = lines.join('\n');
  }
}

export type Verdict =
  | { cargo: 'accepted'; disagreement: null }
  | { cargo: 'refused'; disagreement: null }
  | { cargo: 'accepted' | 'refused'; disagreement: string };

/** Writes the spec, runs detection and cargo, and says whether they agree. Never throws for a disagreement. */
export function judge(spec: WorkspaceSpec, env: NodeJS.ProcessEnv): Verdict {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-property-')));
  try {
    for (const [file, text] of Object.entries(renderWorkspace(spec))) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    let result: DetectResult;
    try {
      // Through JSON, as the CLI prints it: absent keys stay absent for the comparison.
      result = JSON.parse(JSON.stringify(detectWorkspaces(dir))) as DetectResult;
    } catch (error) {
      return { cargo: 'refused', disagreement: `detection threw: ${String(error)}` };
    }
    const problems: Problem[] = [...result.problems, ...result.workspaces.flatMap((w) => w.problems)];
    const internal = problems.find((p) => p.message.includes('internal error'));
    const manifest = path.join(dir, 'Cargo.toml');
    const cargo = tryCargoMetadata(manifest, env);
    if (internal) return { cargo: cargo.ok ? 'accepted' : 'refused', disagreement: internal.message };
    if (cargo.ok) {
      try {
        compareWithCargo(result, manifest, cargo.metadata);
      } catch (error) {
        return {
          cargo: 'accepted',
          disagreement: (error as Error).message.split('\n').slice(0, 12).join('\n'),
        };
      }
      const ws = result.workspaces.find((w) => w.manifest_path === manifest);
      // cargo metadata --no-deps does not read Cargo.lock; a damaged one is Nixify's error alone.
      const errors =
        ws?.problems.filter((p) => p.severity === 'error' && !p.file.endsWith('Cargo.lock')) ?? [];
      if (errors.length > 0)
        return {
          cargo: 'accepted',
          disagreement: `Nixify reports errors cargo does not: ${errors[0]?.message}`,
        };
      return { cargo: 'accepted', disagreement: null };
    }
    // cargo refused: Nixify must say so at the file and line cargo names, and still list the rest.
    if (!problems.some((p) => p.severity === 'error'))
      return { cargo: 'refused', disagreement: `cargo refuses, Nixify reports no error:\n${cargo.stderr}` };
    const at = /--> (\S+?):(\d+):(\d+)/.exec(cargo.stderr);
    if (at) {
      const file = path.resolve(dir, path.relative(dir, path.resolve(path.dirname(manifest), at[1] ?? '')));
      const line = Number(at[2]);
      if (!problems.some((p) => p.file === file && p.line === line))
        return {
          cargo: 'refused',
          disagreement: `cargo's error is at ${path.relative(dir, file)}:${line}; Nixify's: ${problems.map((p) => `${path.relative(dir, p.file)}:${p.line}`).join(', ')}\n${cargo.stderr.split('\n').slice(0, 4).join('\n')}`,
        };
    }
    return { cargo: 'refused', disagreement: null };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
