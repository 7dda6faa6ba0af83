import * as path from 'node:path';
import { compareBytes } from './fsCache';
import { locateDependency } from './locate';
import type { CargoPackage, Problem } from './types';

/**
 * Path-dependency cycles among members through normal and build dependencies. `cargo metadata
 * --no-deps` does not notice them, every build does; dev-dependency cycles are legal.
 */
export function findDependencyCycles(
  packages: CargoPackage[],
  textOf: (manifest: string) => string,
): Problem[] {
  const byDir = new Map(packages.map((p) => [path.dirname(p.manifest_path), p]));
  const edges = (pkg: CargoPackage) =>
    pkg.dependencies.filter((d) => d.kind !== 'dev' && d.path !== undefined && byDir.has(d.path));
  const problems: Problem[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: Array<{ pkg: CargoPackage; via?: string }> = [];

  const visit = (pkg: CargoPackage, via?: string): void => {
    const mark = state.get(pkg.id);
    if (mark === 'done') return;
    if (mark === 'active') {
      const start = stack.findIndex((frame) => frame.pkg.id === pkg.id);
      problems.push(cycleProblem([...stack.slice(start), { pkg, ...(via ? { via } : {}) }], textOf));
      return;
    }
    state.set(pkg.id, 'active');
    stack.push({ pkg, ...(via ? { via } : {}) });
    for (const dep of edges(pkg)) {
      const target = byDir.get(dep.path ?? '');
      if (target) visit(target, dep.rename ?? dep.name);
    }
    stack.pop();
    state.set(pkg.id, 'done');
  };
  for (const pkg of [...packages].sort((a, b) => compareBytes(a.manifest_path, b.manifest_path))) visit(pkg);
  return problems;
}

type Frame = { pkg: CargoPackage; via?: string };

/** Worded like cargo's resolver error; placed on the first package's edge into the cycle. */
function cycleProblem(frames: Frame[], textOf: (m: string) => string): Problem {
  const label = (p: CargoPackage) => `package \`${p.name} v${p.version} (${path.dirname(p.manifest_path)})\``;
  const [first, second] = frames as [Frame, Frame]; // a cycle has at least two frames
  const lines = [
    `cyclic package dependency: ${label(first.pkg)} depends on itself. Cycle:`,
    label(first.pkg),
  ];
  for (let i = frames.length - 1; i > 0; i--) {
    const [from, to] = [frames[i - 1], frames[i]] as [Frame, Frame];
    lines.push(`    ... which satisfies path dependency \`${to.via}\` of ${label(from.pkg)}`);
  }
  const dependency = first.pkg.dependencies.find((d) => (d.rename ?? d.name) === second.via);
  const at = dependency
    ? locateDependency(textOf(first.pkg.manifest_path), dependency)
    : { line: 1, column: 1 };
  return { file: first.pkg.manifest_path, ...at, message: lines.join('\n'), severity: 'error' };
}
