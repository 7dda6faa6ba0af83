import type { SystemLibrary } from './types';

/**
 * Crates in Cargo.lock that link against a system library or run a native tool, and the nixpkgs
 * attributes that provide it. Extend by adding a row: the key is the crate name as locked.
 */
export const SYSTEM_LIBRARY_TABLE: Readonly<Record<string, Omit<SystemLibrary, 'crate'>>> = {
  'openssl-sys': { buildInputs: ['openssl'], nativeBuildInputs: ['pkg-config'], why: 'links OpenSSL' },
  'openssl-src': { buildInputs: [], nativeBuildInputs: ['perl'], why: 'builds vendored OpenSSL with perl' },
  'libgit2-sys': {
    buildInputs: ['libgit2', 'zlib'],
    nativeBuildInputs: ['pkg-config'],
    why: 'links libgit2',
  },
  'libssh2-sys': {
    buildInputs: ['libssh2', 'openssl'],
    nativeBuildInputs: ['pkg-config'],
    why: 'links libssh2',
  },
  'libsqlite3-sys': { buildInputs: ['sqlite'], nativeBuildInputs: ['pkg-config'], why: 'links SQLite' },
  'zstd-sys': { buildInputs: ['zstd'], nativeBuildInputs: ['pkg-config'], why: 'links zstd' },
  'libz-sys': { buildInputs: ['zlib'], nativeBuildInputs: ['pkg-config'], why: 'links zlib' },
  'lzma-sys': { buildInputs: ['xz'], nativeBuildInputs: ['pkg-config'], why: 'links liblzma' },
  'bzip2-sys': { buildInputs: ['bzip2'], nativeBuildInputs: ['pkg-config'], why: 'links libbz2' },
  'curl-sys': { buildInputs: ['curl'], nativeBuildInputs: ['pkg-config'], why: 'links libcurl' },
  'pq-sys': { buildInputs: ['libpq'], nativeBuildInputs: ['pkg-config'], why: 'links libpq (PostgreSQL)' },
  'mysqlclient-sys': {
    buildInputs: ['libmysqlclient'],
    nativeBuildInputs: ['pkg-config'],
    why: 'links the MySQL client library',
  },
  'alsa-sys': { buildInputs: ['alsa-lib'], nativeBuildInputs: ['pkg-config'], why: 'links ALSA' },
  'libudev-sys': { buildInputs: ['udev'], nativeBuildInputs: ['pkg-config'], why: 'links libudev' },
  'libdbus-sys': { buildInputs: ['dbus'], nativeBuildInputs: ['pkg-config'], why: 'links D-Bus' },
  'libusb1-sys': { buildInputs: ['libusb1'], nativeBuildInputs: ['pkg-config'], why: 'links libusb' },
  onig_sys: { buildInputs: ['oniguruma'], nativeBuildInputs: ['pkg-config'], why: 'links Oniguruma' },
  'freetype-sys': { buildInputs: ['freetype'], nativeBuildInputs: ['pkg-config'], why: 'links FreeType' },
  'yeslogic-fontconfig-sys': {
    buildInputs: ['fontconfig'],
    nativeBuildInputs: ['pkg-config'],
    why: 'links fontconfig',
  },
  'glib-sys': { buildInputs: ['glib'], nativeBuildInputs: ['pkg-config'], why: 'links GLib' },
  'gtk-sys': { buildInputs: ['gtk3'], nativeBuildInputs: ['pkg-config'], why: 'links GTK 3' },
  'gtk4-sys': { buildInputs: ['gtk4'], nativeBuildInputs: ['pkg-config'], why: 'links GTK 4' },
  'wayland-sys': { buildInputs: ['wayland'], nativeBuildInputs: ['pkg-config'], why: 'links Wayland' },
  'x11-dl': { buildInputs: ['xorg.libX11'], nativeBuildInputs: ['pkg-config'], why: 'loads libX11' },
  'rdkafka-sys': {
    buildInputs: ['rdkafka'],
    nativeBuildInputs: ['pkg-config', 'cmake'],
    why: 'links librdkafka',
  },
  'hdf5-sys': { buildInputs: ['hdf5'], nativeBuildInputs: ['pkg-config'], why: 'links HDF5' },
  'prost-build': { buildInputs: [], nativeBuildInputs: ['protobuf'], why: 'runs protoc at build time' },
  'tonic-build': { buildInputs: [], nativeBuildInputs: ['protobuf'], why: 'runs protoc at build time' },
  'protobuf-codegen': { buildInputs: [], nativeBuildInputs: ['protobuf'], why: 'runs protoc at build time' },
  bindgen: {
    buildInputs: [],
    nativeBuildInputs: ['rustPlatform.bindgenHook'],
    why: 'runs libclang at build time (the hook sets LIBCLANG_PATH and the C include paths)',
  },
  cmake: { buildInputs: [], nativeBuildInputs: ['cmake'], why: 'runs cmake at build time' },
};

/** The system libraries a set of crate names needs, one entry per crate, in table order. */
export function systemLibrariesFor(crateNames: Iterable<string>): SystemLibrary[] {
  const present = new Set(crateNames);
  return Object.entries(SYSTEM_LIBRARY_TABLE)
    .filter(([crate]) => present.has(crate))
    .map(([crate, needs]) => ({ crate, ...needs }));
}
