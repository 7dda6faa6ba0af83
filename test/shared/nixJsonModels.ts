// Generated answers of `nix path-info --json`, `nix derivation show` / `nix show-derivation` and
// `nix config show --json` / `nix show-config --json`, each as a model (what the parser must
// return) rendered in both dialects: Nix 2.8 (path-info an array, `inputDrvs` values lists) and
// Nix 2.18+ (path-info an object keyed by path, `inputDrvs` values `{outputs, dynamicOutputs}`,
// the newest with store paths written without their directory). See testing.md §3.
import fc from 'fast-check';
import type { Derivation } from '../../src/core/nix/derivationShow';
import type { NixConfig } from '../../src/core/nix/nixConfig';
import type { PathInfo } from '../../src/core/nix/pathInfo';

export type Dialect = '2.8' | 'modern' | 'modern-base-names';
export const DIALECTS: readonly Dialect[] = ['2.8', 'modern', 'modern-base-names'];

const STORE = '/nix/store';
const NIX_BASE32 = '0123456789abcdfghijklmnpqrsvwxyz';

const hashPart = fc.string({ unit: fc.constantFrom(...NIX_BASE32), minLength: 32, maxLength: 32 });
const namePart = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}(-[0-9]\.[0-9]\.[0-9])?$/);
const storePath = fc.tuple(hashPart, namePart).map(([hash, name]) => `${STORE}/${hash}-${name}`);
const drvPath = storePath.map((p) => `${p}.drv`);
const base64 = fc.base64String({ minLength: 4, maxLength: 44 });
// Anything JSON can carry in a string, including names such as `__proto__`.
const anyText = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', ''));

const pathInfo = (path: string): fc.Arbitrary<PathInfo> =>
  fc.record(
    {
      path: fc.constant(path),
      narHash: base64.map((b) => `sha256-${b}`),
      narSize: fc.nat(),
      references: fc.array(storePath, { maxLength: 4 }),
      signatures: fc.array(
        base64.map((b) => `cache.example.org-1:${b}`),
        { maxLength: 2 },
      ),
      deriver: fc.option(drvPath, { nil: null }),
      ca: fc.option(
        base64.map((b) => `fixed:r:sha256:${b}`),
        { nil: null },
      ),
      downloadSize: fc.option(fc.nat(), { nil: null }),
    },
    { noNullPrototype: true },
  );

/** Store paths Nix was asked about: each with its info, or null when the store does not have it. */
export const pathInfoModel: fc.Arbitrary<Map<string, PathInfo | null>> = fc
  .uniqueArray(storePath, { maxLength: 6 })
  .chain((paths) =>
    fc.tuple(...paths.map((p) => fc.tuple(fc.constant(p), fc.option(pathInfo(p), { nil: null })))),
  )
  .map((entries) => new Map(entries));

export function renderPathInfo(model: Map<string, PathInfo | null>, dialect: Dialect): string {
  if (dialect === '2.8') {
    // 2.8 leaves out what it does not know and adds what the parser ignores.
    return JSON.stringify(
      [...model].map(([path, info]) =>
        info === null
          ? { path, valid: false }
          : {
              path,
              narHash: info.narHash,
              narSize: info.narSize,
              references: info.references,
              ...(info.signatures.length > 0 && { signatures: info.signatures }),
              ...(info.deriver !== null && { deriver: info.deriver }),
              ...(info.ca !== null && { ca: info.ca }),
              ...(info.downloadSize !== null && { downloadSize: info.downloadSize, url: 'nar/x.nar.xz' }),
              registrationTime: 1795254850,
            },
      ),
    );
  }
  const entries = [...model].map(([path, info]) => {
    if (info === null) return [path, null];
    const { path: _path, downloadSize, ...rest } = info;
    return [path, { ...rest, ...(downloadSize !== null && { downloadSize }), ultimate: false }];
  });
  return JSON.stringify(Object.fromEntries(entries));
}

const OUTPUT_NAMES = ['out', 'bin', 'dev', 'doc', 'lib', 'html'];

const derivation = (path: string): fc.Arbitrary<Derivation> =>
  fc.record(
    {
      path: fc.constant(path),
      name: fc.constant(path.slice(STORE.length + 34, -'.drv'.length)),
      outputs: fc
        .uniqueArray(fc.constantFrom(...OUTPUT_NAMES), { minLength: 1, maxLength: 3 })
        .chain((names) =>
          fc.tuple(...names.map((n) => fc.tuple(fc.constant(n), fc.option(storePath, { nil: null })))),
        )
        .map((pairs) => Object.fromEntries(pairs)),
      inputDrvs: fc
        .uniqueArray(drvPath, { maxLength: 3 })
        .chain((drvs) =>
          fc.tuple(
            ...drvs.map((d) =>
              fc.tuple(fc.constant(d), fc.uniqueArray(fc.constantFrom(...OUTPUT_NAMES), { maxLength: 2 })),
            ),
          ),
        )
        .map((pairs) => Object.fromEntries(pairs)),
      inputSrcs: fc.array(storePath, { maxLength: 3 }),
      env: fc.array(fc.tuple(anyText, anyText), { maxLength: 4 }).map((pairs) => Object.fromEntries(pairs)),
      builder: fc.constantFrom('/bin/sh', `${STORE}/${'1'.repeat(32)}-bash-5.2/bin/bash`),
      args: fc.array(fc.string(), { maxLength: 3 }),
      system: fc.constantFrom('x86_64-linux', 'aarch64-darwin', 'builtin'),
    },
    { noNullPrototype: true },
  );

/** The derivations one `derivation show` prints, keyed by their .drv path. */
export const derivationModel: fc.Arbitrary<Map<string, Derivation>> = fc
  .uniqueArray(drvPath, { minLength: 1, maxLength: 4 })
  .chain((paths) => fc.tuple(...paths.map(derivation)))
  .map((drvs) => new Map(drvs.map((d) => [d.path, d] as const)));

export function renderDerivations(model: Map<string, Derivation>, dialect: Dialect): string {
  const short = (p: string) => (dialect === 'modern-base-names' ? p.slice(STORE.length + 1) : p);
  const entries = [...model].map(([path, drv]) => [
    short(path),
    {
      ...(dialect !== '2.8' && { name: drv.name }),
      outputs: Object.fromEntries(
        Object.entries(drv.outputs).map(([name, out]) => [
          name,
          // An output of a content-addressed derivation has no path before it is built.
          out === null ? { hashAlgo: 'sha256', method: 'nar' } : { path: short(out) },
        ]),
      ),
      inputSrcs: drv.inputSrcs.map(short),
      inputDrvs: Object.fromEntries(
        Object.entries(drv.inputDrvs).map(([input, outputs]) => [
          short(input),
          dialect === '2.8' ? outputs : { outputs, dynamicOutputs: {} },
        ]),
      ),
      system: drv.system,
      builder: drv.builder,
      args: drv.args,
      env: drv.env,
    },
  ]);
  return JSON.stringify(Object.fromEntries(entries));
}

const word = fc.stringMatching(/^[a-z0-9:/._?=-]{1,20}$/);

/** The settings the model renders; builders, features and jobs have their own recorded-output tests. */
type ConfigModel = Pick<
  NixConfig,
  'substituters' | 'trustedSubstituters' | 'trustedPublicKeys' | 'requireSigs' | 'system'
>;

export const nixConfigModel: fc.Arbitrary<ConfigModel> = fc.record(
  {
    substituters: fc.array(word, { maxLength: 3 }),
    trustedSubstituters: fc.array(word, { maxLength: 3 }),
    trustedPublicKeys: fc.array(word, { maxLength: 3 }),
    requireSigs: fc.boolean(),
    system: fc.constantFrom('x86_64-linux', 'aarch64-linux', 'aarch64-darwin'),
  },
  { noNullPrototype: true },
);

/** Some Nix versions print list settings as one space-separated string: `listsAsText` does so. */
export function renderNixConfig(model: ConfigModel, dialect: Dialect, listsAsText = false): string {
  const setting = (value: unknown, defaultValue: unknown) => ({
    aliases: [],
    defaultValue,
    description: 'Long text.\n',
    documentDefault: true,
    ...(dialect !== '2.8' && { experimentalFeature: null }),
    value,
  });
  const list = (words: string[]) => (listsAsText ? words.join(' ') : words);
  return JSON.stringify({
    'accept-flake-config': setting(false, false),
    substituters: setting(list(model.substituters), ['https://cache.nixos.org/']),
    'trusted-substituters': setting(list(model.trustedSubstituters), []),
    'trusted-public-keys': setting(list(model.trustedPublicKeys), []),
    'require-sigs': setting(model.requireSigs, true),
    system: setting(model.system, 'x86_64-linux'),
  });
}
