import * as path from 'node:path';
import { compareBytes, under, type FsCache } from './fsCache';
import { keyProblem } from './problems';
import { bool, dashed, isTable, str, strings, table, type TomlTable } from './toml';
import type { CargoTarget, Problem } from './types';

// Target discovery as cargo does it (src/cargo/util/toml/targets.rs): explicit tables merged with
// what is inferred from the conventional paths, the edition-2015 rule that explicit targets switch
// auto-discovery off, legacy bin paths, and the output order of `cargo metadata`.

type Kind = 'bin' | 'example' | 'test' | 'bench';

interface KindSpec {
  kind: Kind;
  table: string;
  human: string;
  auto: string;
  dir: string;
  defaults: { doc: boolean; doctest: boolean; test: boolean };
}

const KINDS: Record<Kind, KindSpec> = {
  bin: {
    kind: 'bin',
    table: 'bin',
    human: 'bin target',
    auto: 'autobins',
    dir: 'src/bin',
    defaults: { doc: true, doctest: false, test: true },
  },
  example: {
    kind: 'example',
    table: 'example',
    human: 'example target',
    auto: 'autoexamples',
    dir: 'examples',
    defaults: { doc: false, doctest: false, test: false },
  },
  test: {
    kind: 'test',
    table: 'test',
    human: 'integration-test target',
    auto: 'autotests',
    dir: 'tests',
    defaults: { doc: false, doctest: false, test: true },
  },
  bench: {
    kind: 'bench',
    table: 'bench',
    human: 'bench target',
    auto: 'autobenches',
    dir: 'benches',
    defaults: { doc: false, doctest: false, test: false },
  },
};

export interface TargetContext {
  packageName: string;
  packageDir: string;
  manifestPath: string;
  text: string;
  edition: string;
  fsCache: FsCache;
  problems: Problem[];
}

export function discoverTargets(manifest: TomlTable, pkg: TomlTable, ctx: TargetContext): CargoTarget[] {
  const targets: CargoTarget[] = [];
  const lib = libTarget(manifest, pkg, ctx);
  if (lib) targets.push(lib);
  for (const spec of Object.values(KINDS))
    targets.push(...kindTargets(spec, manifest, pkg, ctx, lib !== null));
  const build = buildScriptTarget(pkg, ctx);
  if (build) targets.push(build);
  return targets;
}

function libTarget(manifest: TomlTable, pkg: TomlTable, ctx: TargetContext): CargoTarget | null {
  const lib = table(manifest['lib']);
  const inferred = under(ctx.packageDir, 'src', 'lib.rs');
  const hasInferred = ctx.fsCache.isFile(inferred);
  let srcPath: string;
  if (lib) {
    const explicit = str(lib['path']);
    if (explicit !== undefined) srcPath = path.resolve(ctx.packageDir, explicit);
    else if (hasInferred) srcPath = inferred;
    else {
      ctx.problems.push(
        keyProblem(
          ctx,
          'lib',
          undefined,
          `can't find library \`${libName(lib, ctx)}\`, rename file to \`src/lib.rs\` or specify lib.path`,
        ),
      );
      return null;
    }
  } else if (hasInferred && bool(pkg['autolib']) !== false) {
    srcPath = inferred;
  } else {
    return null;
  }
  const t = lib ?? {};
  const procMacro = bool(dashed(t, 'proc-macro')) === true;
  const crateTypes = procMacro ? ['proc-macro'] : (strings(dashed(t, 'crate-type')) ?? ['lib']);
  const doctestable = crateTypes.some((c) => c === 'lib' || c === 'rlib' || c === 'proc-macro');
  return {
    kind: [...crateTypes],
    crate_types: [...crateTypes],
    name: libName(t, ctx),
    src_path: srcPath,
    edition: str(t['edition']) ?? ctx.edition,
    doc: bool(t['doc']) ?? true,
    doctest: bool(t['doctest']) ?? doctestable,
    test: bool(t['test']) ?? true,
  };
}

function libName(lib: TomlTable, ctx: TargetContext): string {
  return str(lib['name']) ?? ctx.packageName.replace(/-/g, '_');
}

interface Declared {
  name: string;
  path: string | undefined;
  source: TomlTable;
}

function kindTargets(
  spec: KindSpec,
  manifest: TomlTable,
  pkg: TomlTable,
  ctx: TargetContext,
  hasLib: boolean,
): CargoTarget[] {
  const inferred = inferTargets(spec, ctx);
  const explicitTables = Array.isArray(manifest[spec.table])
    ? (manifest[spec.table] as unknown[]).filter(isTable)
    : undefined;
  const autodiscover = bool(pkg[spec.auto]);
  let declared: Declared[];
  if (explicitTables === undefined) {
    declared = autodiscover === false ? [] : inferred.map(([name, p]) => ({ name, path: p, source: {} }));
  } else {
    declared = [];
    for (const t of explicitTables) {
      const explicitPath = str(t['path']);
      const name = str(t['name']) ?? (explicitPath ? path.parse(explicitPath).name : undefined);
      if (!name) {
        ctx.problems.push(
          keyProblem(ctx, spec.table, undefined, `${spec.human} \`${spec.table}.name\` is required`),
        );
        continue;
      }
      declared.push({
        name,
        path: explicitPath ? path.resolve(ctx.packageDir, explicitPath) : undefined,
        source: t,
      });
    }
    const seenNames = new Set(declared.map((d) => d.name));
    const seenPaths = new Set(declared.map((d) => d.path));
    const remaining = inferred.filter(([name, p]) => !seenNames.has(name) && !seenPaths.has(p));
    // Edition 2015 predates auto-discovery next to explicit targets: it stays off unless asked for.
    if (autodiscover ?? ctx.edition !== '2015') {
      declared.push(...remaining.map(([name, p]) => ({ name, path: p, source: {} })));
    }
  }
  // cargo sorts targets by name, except where the `auto…` flag is explicitly false: then the
  // declared order stands (seen with `autobenches = false` in large workspaces).
  if (autodiscover !== false) declared.sort((a, b) => compareBytes(a.name, b.name));
  const result: CargoTarget[] = [];
  const seen = new Set<string>();
  for (const d of declared) {
    if (seen.has(d.name)) {
      ctx.problems.push(
        keyProblem(
          ctx,
          spec.table,
          undefined,
          `found duplicate ${spec.kind} name ${d.name}, but all ${spec.human}s must have a unique name`,
        ),
      );
      continue;
    }
    seen.add(d.name);
    const srcPath = d.path ?? resolveTargetPath(spec, d.name, inferred, ctx, hasLib);
    if (!srcPath) continue;
    result.push(toTarget(spec, d, srcPath, ctx));
  }
  return result;
}

function toTarget(spec: KindSpec, d: Declared, srcPath: string, ctx: TargetContext): CargoTarget {
  const t = d.source;
  const crateTypes = spec.kind === 'example' ? (strings(dashed(t, 'crate-type')) ?? ['bin']) : ['bin'];
  const target: CargoTarget = {
    kind: [spec.kind],
    crate_types: crateTypes,
    name: d.name,
    src_path: srcPath,
    edition: str(t['edition']) ?? ctx.edition,
    doc: bool(t['doc']) ?? spec.defaults.doc,
    doctest: bool(t['doctest']) ?? spec.defaults.doctest,
    test: bool(t['test']) ?? spec.defaults.test,
  };
  const required = strings(dashed(t, 'required-features'));
  if (required) target['required-features'] = required;
  return target;
}

/** An explicit target without `path`: the one inferred file of that name, or a legacy location. */
function resolveTargetPath(
  spec: KindSpec,
  name: string,
  inferred: Array<[string, string]>,
  ctx: TargetContext,
  hasLib: boolean,
): string | undefined {
  const matching = inferred.filter(([n]) => n === name).map(([, p]) => p);
  if (matching.length === 1) return matching[0];
  if (ctx.edition === '2015' && spec.kind === 'bin') {
    const legacy = legacyBinPath(name, ctx, hasLib);
    if (legacy) return legacy;
  }
  const message =
    matching.length === 0
      ? `can't find \`${name}\` ${spec.human.replace(' target', '')}, specify ${spec.table}.path`
      : `cannot infer path for \`${name}\` ${spec.human}: multiple target files found at \`${matching.join('` and `')}\``;
  ctx.problems.push(keyProblem(ctx, spec.table, undefined, message));
  return undefined;
}

function legacyBinPath(name: string, ctx: TargetContext, hasLib: boolean): string | undefined {
  const candidates = [
    ...(hasLib ? [] : [under(ctx.packageDir, 'src', `${name}.rs`)]),
    under(ctx.packageDir, 'src', 'main.rs'),
    under(ctx.packageDir, 'src', 'bin', 'main.rs'),
  ];
  return candidates.find((candidate) => ctx.fsCache.isFile(candidate));
}

// (name, absolute path) pairs found by convention: src/main.rs, DIR/NAME.rs and DIR/NAME/main.rs.
function inferTargets(spec: KindSpec, ctx: TargetContext): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  if (spec.kind === 'bin') {
    const main = under(ctx.packageDir, 'src', 'main.rs');
    if (ctx.fsCache.isFile(main)) result.push([ctx.packageName, main]);
  }
  const dir = under(ctx.packageDir, spec.dir);
  const entries = ctx.fsCache.list(dir);
  if (!entries) return result;
  for (const name of [...entries.keys()].sort(compareBytes)) {
    if (name.startsWith('.')) continue;
    const full = under(dir, name);
    const kind = entries.get(name);
    if (kind === 'dir') {
      const main = under(full, 'main.rs');
      if (ctx.fsCache.isFile(main)) result.push([name, main]);
    } else if (name.endsWith('.rs') && kind !== 'other') {
      result.push([name.slice(0, -3), full]);
    }
  }
  return result;
}

function buildScriptTarget(pkg: TomlTable, ctx: TargetContext): CargoTarget | null {
  const build = pkg['build'];
  let srcPath: string | undefined;
  if (build === false) return null;
  if (typeof build === 'string') srcPath = path.resolve(ctx.packageDir, build);
  else {
    const conventional = under(ctx.packageDir, 'build.rs');
    if (ctx.fsCache.isFile(conventional)) srcPath = conventional;
    else if (build === true) {
      ctx.problems.push(
        keyProblem(ctx, 'package', 'build', 'package.build = true but no `build.rs` was found'),
      );
    }
  }
  if (!srcPath) return null;
  return {
    kind: ['custom-build'],
    crate_types: ['bin'],
    name: `build-script-${path.parse(srcPath).name}`,
    src_path: srcPath,
    edition: ctx.edition,
    doc: false,
    doctest: false,
    test: false,
  };
}
