import * as path from 'node:path';
import type { FsCache } from './fsCache';
import type { CargoPackage, Lockfile, WasmInfo } from './types';

export const DEFAULT_WASM_TARGET = 'wasm32-unknown-unknown';

export interface WasmContext {
  fsCache: FsCache;
  /** `build.target` cargo would use in the package's directory. */
  buildTarget: { target: string; file: string } | null;
  lockfile: Lockfile | null;
}

/**
 * Why a crate is built for wasm32 on its own, or null when nothing says it is. Not asked for the
 * crates of Leptos sites: those are built as sites (src/core/cargo/leptos.ts).
 */
export function detectWasm(pkg: CargoPackage, ctx: WasmContext): WasmInfo | null {
  const reasons: string[] = [];
  const packageDir = path.dirname(pkg.manifest_path);
  const usesBindgen = pkg.dependencies.some((d) => d.name === 'wasm-bindgen' && d.kind !== 'dev');
  if (pkg.nixify.has_cdylib && usesBindgen) reasons.push('cdylib depending on wasm-bindgen');
  if (ctx.buildTarget?.target.startsWith('wasm32')) {
    reasons.push(`build.target = "${ctx.buildTarget.target}" in ${ctx.buildTarget.file}`);
  }
  if (ctx.fsCache.isFile(path.join(packageDir, 'Trunk.toml'))) reasons.push('Trunk.toml');
  if (reasons.length === 0) return null;
  const target = ctx.buildTarget?.target.startsWith('wasm32') ? ctx.buildTarget.target : DEFAULT_WASM_TARGET;
  const bindgen = ctx.lockfile?.packages.find((p) => p.name === 'wasm-bindgen');
  return { target, reasons, wasm_bindgen_version: bindgen?.version ?? null };
}
