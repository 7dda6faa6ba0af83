// The Nix system double (`x86_64-linux`, `aarch64-darwin`…) of this machine, without asking nix: a
// `nix` process costs 25–40 ms and the warm path must run none.

const NIX_CPU: Readonly<Record<string, string>> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  ia32: 'i686',
  arm: 'armv7l',
  riscv64: 'riscv64',
  // Node says `ppc64` for the little-endian POWER machines Nix supports.
  ppc64: 'powerpc64le',
};

/** `builtins.currentSystem` as Nix would say it, from Node's `process.platform` and `process.arch`. */
export function currentNixSystem(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  return `${NIX_CPU[arch] ?? arch}-${platform}`;
}
