// Properties of the Nix JSON parsers, shared by the unit tier (fixed seed, few runs) and
// `npm run property` (RUNS): a generated answer in either dialect reads back as its model, and a
// damaged one either reads or is refused with the parser's own error, never another exception.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { DerivationJsonError, parseDerivationsJson } from '../../src/core/nix/derivationShow';
import { NixConfigError, parseNixConfigJson } from '../../src/core/nix/nixConfig';
import { parsePathInfoJson, PathInfoError } from '../../src/core/nix/pathInfo';
import {
  DIALECTS,
  type Dialect,
  derivationModel,
  nixConfigModel,
  pathInfoModel,
  renderDerivations,
  renderNixConfig,
  renderPathInfo,
} from './nixJsonModels';
import { named, type NamedProperty } from './namedProperty';
import { applyDamage, jsonDamage } from './textDamage';

/** Runs `parse` on damaged text: `read` or `refused` (its typed error); any other throw fails. */
function readOrRefuse(parse: () => unknown, errorType: new (...args: never[]) => Error): string {
  try {
    parse();
    return 'read';
  } catch (error) {
    assert.ok(
      error instanceof errorType,
      `not a ${errorType.name}: ${(error as Error).stack ?? String(error)}`,
    );
    return 'refused';
  }
}

const dialect = fc.constantFrom(...DIALECTS);
// Store paths without their directory are a derivation-show matter only.
const twoDialects = fc.constantFrom<Dialect>('2.8', 'modern');

export function nixJsonProperties(): NamedProperty[] {
  return [
    named(
      'path-info, both dialects, reads back as generated',
      fc.tuple(pathInfoModel, twoDialects),
      ([model, d]) => {
        assert.deepEqual(parsePathInfoJson(renderPathInfo(model, d)), model);
        return d;
      },
    ),
    named('path-info, damaged', fc.tuple(pathInfoModel, twoDialects, jsonDamage), ([model, d, damage]) =>
      readOrRefuse(() => parsePathInfoJson(applyDamage(renderPathInfo(model, d), damage)), PathInfoError),
    ),
    named(
      'derivation show, both dialects, reads back as generated',
      fc.tuple(derivationModel, dialect),
      ([model, d]) => {
        assert.deepEqual(parseDerivationsJson(renderDerivations(model, d)), model);
        return d;
      },
    ),
    named('derivation show, damaged', fc.tuple(derivationModel, dialect, jsonDamage), ([model, d, damage]) =>
      readOrRefuse(
        () => parseDerivationsJson(applyDamage(renderDerivations(model, d), damage)),
        DerivationJsonError,
      ),
    ),
    named(
      'config show, both dialects, reads back as generated',
      fc.tuple(nixConfigModel, twoDialects, fc.boolean()),
      ([model, d, listsAsText]) => {
        const noMachinesFile = () => null;
        const parsed = parseNixConfigJson(renderNixConfig(model, d, listsAsText), noMachinesFile);
        const { substituters, trustedSubstituters, trustedPublicKeys, requireSigs, system } = parsed;
        assert.deepEqual(
          { substituters, trustedSubstituters, trustedPublicKeys, requireSigs, system },
          model,
        );
        assert.deepEqual(parsed.builders, []);
        return d;
      },
    ),
    named('config show, damaged', fc.tuple(nixConfigModel, twoDialects, jsonDamage), ([model, d, damage]) =>
      readOrRefuse(
        () => parseNixConfigJson(applyDamage(renderNixConfig(model, d), damage), () => null),
        NixConfigError,
      ),
    ),
  ];
}
