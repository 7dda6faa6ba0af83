import * as assert from 'node:assert/strict';
import { findDependencyCycles } from '../../../../src/core/cargo/cycles';
import type { CargoDependency, CargoPackage } from '../../../../src/core/cargo/types';

function dep(name: string, kind: CargoDependency['kind']): CargoDependency {
  return {
    name,
    source: null,
    req: '*',
    kind,
    rename: null,
    optional: false,
    uses_default_features: true,
    features: [],
    target: null,
    registry: null,
    path: `/ws/${name}`,
  };
}

function pkg(name: string, deps: CargoDependency[]): CargoPackage {
  return {
    name,
    version: '0.1.0',
    id: name,
    manifest_path: `/ws/${name}/Cargo.toml`,
    dependencies: deps,
  } as CargoPackage;
}

describe('core/cargo/cycles', () => {
  const text = () => '[package]\nname = "x"\n\n[dependencies]\nb = { path = "../b" }\n';

  it('finds a cycle through normal or build dependencies', () => {
    const problems = findDependencyCycles([pkg('a', [dep('b', null)]), pkg('b', [dep('a', 'build')])], text);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.file, '/ws/a/Cargo.toml');
    assert.equal(problems[0]?.line, 5);
    assert.match(
      problems[0]?.message ?? '',
      /^cyclic package dependency: package `a v0\.1\.0 \(\/ws\/a\)` depends on itself/,
    );
  });

  it('allows cycles through dev-dependencies', () => {
    assert.deepEqual(
      findDependencyCycles([pkg('a', [dep('b', null)]), pkg('b', [dep('a', 'dev')])], text),
      [],
    );
  });
});
