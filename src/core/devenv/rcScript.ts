// The bash script `nix develop` sources before it runs anything, rebuilt from the parsed JSON.
//
// Why not ask nix for it (`nix print-dev-env <profile>`, the text form)? It would cost another nix
// process, Nix 2.8 rebuilds a derivation to answer it (it does not read the saved profile back), and
// 2.8's script replaces XDG_DATA_DIRS where 2.18+ prepends to it. Rendering it from the JSON we
// already have gives every Nix version the modern behaviour. The layout follows `makeRcScript` and
// `BuildEnvironment::toBash` in Nix 2.26's src/nix/develop.cc.
import type { BuildEnvironment } from './buildEnvironment';
import { outputRewrites, rewrite } from './buildEnvironment';
import { NIX_IGNORED_VARIABLES, PREPENDED_VARIABLES, withoutSandboxPathEntries } from './variables';

const SAVED_VARIABLES = ['PATH', 'XDG_DATA_DIRS'];
const TEMP_VARIABLES = ['TMP', 'TMPDIR', 'TEMP', 'TEMPDIR'];
const BASH_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Bash accepts odd function names; anything that could end the definition early is refused.
const FUNCTION_NAME = /^[^\s()<>;&|'"$`\\{}]+$/;

/** `'…'` quoting that bash reads back byte for byte (Nix's `escapeShellArgAlways`). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface RcScriptOptions {
  /** The folder `nix develop` would run in: output paths are rewritten to `<folder>/outputs/<name>`. */
  folder: string;
  /** NIX_BUILD_TOP and TMP* for the hook (nix makes a fresh `mktemp -d`; the caller owns this one). */
  buildTop: string;
}

/** The rc script: saved PATH-like values, the shell's variables and functions, then `eval "$shellHook"`. */
export function renderRcScript(env: BuildEnvironment, options: RcScriptOptions): string {
  const rewrites = outputRewrites(env, options.folder);
  const lines = ['unset shellHook'];
  for (const name of SAVED_VARIABLES) {
    lines.push(`${name}=\${${name}:-}`, `nix_saved_${name}="$${name}"`);
  }
  // Nix keeps variables in a std::map: name order.
  for (const name of Object.keys(env.variables).sort()) {
    const variable = env.variables[name];
    if (!variable || NIX_IGNORED_VARIABLES.has(name) || !BASH_NAME.test(name)) continue;
    if (variable.type === 'exported' || variable.type === 'var') {
      const value = rewrite(variable.value, rewrites);
      // The one departure from Nix: the hook must see the PATH the delta will give (see variables.ts).
      const cleaned = PREPENDED_VARIABLES.has(name) ? withoutSandboxPathEntries(value) : value;
      lines.push(`${name}=${shellQuote(cleaned)}`);
      if (variable.type === 'exported') lines.push(`export ${name}`);
    } else if (variable.type === 'array') {
      lines.push(`declare -a ${name}=(${variable.value.map((item) => `${shellQuote(item)} `).join('')})`);
    } else {
      const pairs = Object.entries(variable.value).map(([k, v]) => `[${shellQuote(k)}]=${shellQuote(v)} `);
      lines.push(`declare -A ${name}=(${pairs.join('')})`);
    }
  }
  for (const [name, body] of Object.entries(env.bashFunctions)) {
    if (FUNCTION_NAME.test(name)) lines.push(`${name} ()\n{\n${body}}`);
  }
  for (const name of SAVED_VARIABLES) {
    lines.push(`${name}="$${name}\${nix_saved_${name}:+:$nix_saved_${name}}"`);
    // A shell without entries would leave `:user`, an empty entry (the current directory) on PATH.
    lines.push(`${name}="\${${name}#:}"`);
  }
  lines.push(`export NIX_BUILD_TOP=${shellQuote(options.buildTop)}`);
  for (const name of TEMP_VARIABLES) lines.push(`export ${name}="$NIX_BUILD_TOP"`);
  lines.push('eval "${shellHook:-}"');
  return `${lines.join('\n')}\n`;
}
