// The remote builders Nix may hand a build to: the `builders` setting (machines separated by `;` or
// newlines, `@file` reading a machines file, `/etc/nix/machines` by default) in the format of
// nix.conf(5): `uri systems ssh-key max-jobs speed-factor supported-features mandatory-features
// host-key`, `-` meaning "default". Parsing is implemented in parseBuildMachines.

export interface BuildMachine {
  /** `ssh://host`, `ssh-ng://user@host?remote-store=…`; a bare host means `ssh://host`. */
  uri: string;
  /** Systems it builds for; empty means Nix's own system (Nix's default when the field is `-`). */
  systems: string[];
  /** Path of the SSH identity, or null. */
  sshKey: string | null;
  maxJobs: number;
  speedFactor: number;
  supportedFeatures: string[];
  /** Features a derivation must require for this machine to take it. */
  mandatoryFeatures: string[];
  /** Base64 host key, or null. */
  publicHostKey: string | null;
  /** Where it was read: "builders setting" or the machines file's path and line, e.g. `/etc/nix/machines:3`. */
  origin: string;
}
