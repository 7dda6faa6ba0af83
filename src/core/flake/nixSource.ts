/**
 * Template tag for Nix source kept in TypeScript: backslashes stay exactly as written (regexes and
 * escapes read as they do in the .nix file) and `\${` stands for Nix's own `${`. Interpolating a
 * TypeScript value is refused: generated files are built from data with the renderers instead.
 */
export function nixSource(strings: TemplateStringsArray, ...values: never[]): string {
  if (values.length > 0 || strings.raw.length !== 1) {
    throw new Error('nixSource takes no interpolations');
  }
  return (strings.raw[0] ?? '').replaceAll('\\${', '${');
}
