import * as path from 'node:path';
import type { FsCache } from './fsCache';
import { table } from './toml';
import type { CargoPackage, Lockfile, WasmInfo } from './types';

export const DEFAULT_WASM_TARGET = 'wasm32-unknown-unknown';

export interface WasmContext {
  fsCache: FsCache;
  /** `build.target` cargo would use in the package's directory. */
  buildTarget: { target: string; file: string } | null;
  lockfile: Lockfile | null;
  /** Packages named as `lib-package` by `[[workspace.metadata.leptos]]`. */
  leptosLibPackages: ReadonlySet<string>;
}

/** Why a crate is built for wasm32, or null when nothing says it is. */
export function detectWasm(pkg: CargoPackage, ctx: WasmContext): WasmInfo | null {
  const reasons: string[] = [];
  const packageDir = path.dirname(pkg.manifest_path);
  const usesBindgen = pkg.dependencies.some((d) => d.name === 'wasm-bindgen' && d.kind !== 'dev');
  if (pkg.nixify.has_cdylib && usesBindgen) reasons.push('cdylib depending on wasm-bindgen');
  if (ctx.buildTarget?.target.startsWith('wasm32')) {
    reasons.push(`build.target = "${ctx.buildTarget.target}" in ${ctx.buildTarget.file}`);
  }
  if (ctx.fsCache.isFile(path.join(packageDir, 'Trunk.toml'))) reasons.push('Trunk.toml');
  if (table(table(pkg.metadata)?.['leptos']))
    reasons.push('[package.metadata.leptos] (cargo-leptos builds the lib for wasm32)');
  if (ctx.leptosLibPackages.has(pkg.name)) reasons.push('lib-package of [[workspace.metadata.leptos]]');
  if (reasons.length === 0) return null;
  const target = ctx.buildTarget?.target.startsWith('wasm32') ? ctx.buildTarget.target : DEFAULT_WASM_TARGET;
  const bindgen = ctx.lockfile?.packages.find((p) => p.name === 'wasm-bindgen');
  return { target, reasons, wasm_bindgen_version: bindgen?.version ?? null };
}
