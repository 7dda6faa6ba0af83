// A remote builder as parseBuildMachines returns it: one x86_64-linux job, no features, unless told.
import type { BuildMachine } from '../../../src/core/nix/buildMachines';

export function buildMachine(uri: string, fields: Partial<BuildMachine> = {}): BuildMachine {
  return {
    uri,
    systems: ['x86_64-linux'],
    sshKey: null,
    maxJobs: 1,
    speedFactor: 1,
    supportedFeatures: [],
    mandatoryFeatures: [],
    publicHostKey: null,
    origin: 'builders setting',
    ...fields,
  };
}
