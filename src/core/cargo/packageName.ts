// cargo's `validate_package_name` (util/restricted_names.rs): it refuses the manifest, so detection
// reports it — a cargo-generate `{{project-name}}` left in place is the common case.

const XID_START = /^[\p{XID_Start}_]$/u;
const XID_CONTINUE = /^[\p{XID_Continue}-]$/u;

/** cargo's error for a package name it refuses, or undefined for a valid name. */
export function packageNameError(name: string): string | undefined {
  if (name === '') return 'package name cannot be empty';
  const chars = [...name];
  const first = chars[0] ?? '';
  if (/^[0-9]$/.test(first))
    return `invalid character \`${first}\` in package name: \`${name}\`, the name cannot start with a digit`;
  if (!XID_START.test(first))
    return `invalid character \`${first}\` in package name: \`${name}\`, the first character must be a Unicode XID start character (most letters or \`_\`)`;
  const bad = chars.slice(1).find((ch) => !XID_CONTINUE.test(ch));
  if (bad !== undefined)
    return `invalid character \`${bad}\` in package name: \`${name}\`, characters must be Unicode XID characters (numbers, \`-\`, \`_\`, or most letters)`;
  return undefined;
}
