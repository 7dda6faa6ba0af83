// The remote builders: whether Nix can hand builds to each one, and when it cannot, the fix that
// matches what ssh or the remote Nix said. Pure; builderProbe.ts asks the builders.
import { BUILDERS_SETTING, sshTarget, type BuildMachine } from '../nix/buildMachines';
import type { NixConfig } from '../nix/nixConfig';
import type { BuilderProbe } from './builderProbe';
import { parseStorePing, type NixConfTarget } from './checks';
import type { HealthFix, HealthItem } from './types';

/** Where the Nix of a multi-user install lives on a builder, for `remote-program`. */
const REMOTE_NIX_BIN = '/nix/var/nix/profiles/default/bin';

export type BuilderFailure =
  'hostKey' | 'permission' | 'resolve' | 'connection' | 'timeout' | 'remoteNix' | 'other';

/** What went wrong, from ssh's and the remote shell's words (the same in every Nix version). */
export function classifyBuilderFailure(stderr: string, timedOut: boolean): BuilderFailure {
  if (
    /Host key verification failed|host key is known for|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr)
  )
    return 'hostKey';
  if (/Permission denied \(|Too many authentication failures/.test(stderr)) return 'permission';
  if (
    /Could not resolve hostname|Name or service not known|Temporary failure in name resolution/i.test(stderr)
  )
    return 'resolve';
  // bash says `nix-daemon: command not found`, dash says `nix-store: not found`.
  if (/: (command )?not found\s*$/m.test(stderr)) return 'remoteNix';
  if (/Connection refused|No route to host|Network is unreachable|Connection (timed out|reset)/i.test(stderr))
    return 'connection';
  if (timedOut || /timed out/i.test(stderr)) return 'timeout';
  return 'other';
}

/** The store URI with `name=value` in its query, replacing the parameter if it is there. */
export function withParam(uri: string, name: string, value: string): string {
  const [base = uri, query = ''] = uri.split(/\?(.*)/s);
  const kept = query.split('&').filter((p) => p !== '' && p.split('=')[0] !== name);
  return `${base}?${[...kept, `${name}=${value}`].join('&')}`;
}

/** The spec line for a machine, `-` for defaults, in the order nix.conf(5) gives. */
export function machineSpec(machine: BuildMachine, uri = machine.uri): string {
  const list = (values: readonly string[]) => (values.length === 0 ? '-' : values.join(','));
  return [
    uri,
    list(machine.systems),
    machine.sshKey ?? '-',
    String(machine.maxJobs),
    String(machine.speedFactor),
    list(machine.supportedFeatures),
    list(machine.mandatoryFeatures),
    machine.publicHostKey ?? '-',
  ].join(' ');
}

export interface BuilderFacts {
  machine: BuildMachine;
  probe: BuilderProbe;
  /** The system of this machine: what a spec without systems builds for. */
  localSystem: string;
  /** Who opens the SSH connection: root for the daemon, else the user running nix. */
  sshUser: string;
  /** Whether a daemon runs the builds (then `sudo` is how to act as its user). */
  daemon: boolean;
  /** Where nix.conf lines go for the builds to see them. */
  target: NixConfTarget;
}

/** The systems and features a machine offers, from its spec. */
function offers(machine: BuildMachine, localSystem: string): string {
  const systems =
    machine.systems.length === 0 ? `${localSystem} (this machine's)` : machine.systems.join(', ');
  const features = machine.supportedFeatures.length === 0 ? 'none' : machine.supportedFeatures.join(', ');
  const mandatory =
    machine.mandatoryFeatures.length === 0
      ? ''
      : `; only for derivations requiring ${machine.mandatoryFeatures.join(', ')}`;
  return `systems ${systems}; features ${features}${mandatory}; max-jobs ${machine.maxJobs}, speed factor ${machine.speedFactor}`;
}

/**
 * What ssh or the remote shell said: their lines rather than Nix's own `error: cannot open
 * connection…` after them, and never the `Store URL:` line Nix prints before trying.
 */
function said(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^Store URL:/.test(line));
  const others = lines.filter((line) => !/^error:/.test(line));
  return (others.length > 0 ? others : lines).slice(-2).join('; ') || 'no message';
}

export function checkBuilder(facts: BuilderFacts): HealthItem {
  const { machine, probe } = facts;
  const base = { id: `nix.builder:${machine.uri}`, title: `Remote builder ${machine.uri}` };
  const spec = `${offers(machine, facts.localSystem)} (from ${machine.origin})`;
  if (probe.kind === 'reachable') {
    const info = parseStorePing(probe.output);
    const version = info?.version ? `, Nix ${info.version} there` : '';
    const trusted = info?.trusted === false ? ', which does not trust this user' : '';
    return {
      ...base,
      status: info?.trusted === false ? 'warning' : 'ok',
      detail: `Reachable in ${probe.durationMs} ms${version}${trusted}. ${capitalize(spec)}.`,
    };
  }
  const { detail, fix } = unreachable(facts, classifyBuilderFailure(probe.stderr, probe.timedOut));
  const how = probe.timedOut
    ? `No answer within ${probe.durationMs} ms`
    : `Not reachable: ${said(probe.stderr)}`;
  return { ...base, status: 'error', detail: `${how}. ${detail} It offers ${spec}.`, ...(fix && { fix }) };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function unreachable(facts: BuilderFacts, failure: BuilderFailure): { detail: string; fix?: HealthFix } {
  const { machine, sshUser, daemon } = facts;
  const { user, host, port } = sshTarget(machine.uri);
  const login = user === null ? host : `${user}@${host}`;
  const portFlag = port === null ? '' : `-p ${port} `;
  const as = daemon ? `${sshUser} (the Nix daemon's user)` : sshUser;
  const sudo = daemon ? 'sudo ' : '';
  const sshCommand = `${sudo}ssh ${machine.sshKey === null ? '' : `-i ${machine.sshKey} `}${portFlag}${login}`;
  const where =
    port === null
      ? `${host} (port 22 unless NIX_SSHOPTS or ssh_config say otherwise)`
      : `${host} port ${port}`;
  switch (failure) {
    case 'hostKey': {
      const knownHosts = daemon ? '/root/.ssh/known_hosts' : '~/.ssh/known_hosts';
      const scan = `ssh-keyscan ${portFlag}${host} >> ${knownHosts}`;
      return {
        detail:
          `ssh does not know ${host}'s host key, and Nix cannot answer ssh's question. Add it to the known_hosts of ${as} ` +
          `(check its fingerprint first), or put it base64-encoded in the spec's 8th field (public host key).`,
        fix: { kind: 'command', command: daemon ? `sudo sh -c '${scan}'` : scan },
      };
    }
    case 'permission':
      return {
        detail:
          `The builder refused the login of ${as} with ${machine.sshKey === null ? `${sshUser}'s default keys` : `the key ${machine.sshKey}`}. ` +
          "Add that key's public half to the builder's authorized_keys, or name the right key in the spec's 3rd field (ssh-key); " +
          `then try the login below as ${sshUser}.`,
        fix: { kind: 'command', command: `${sshCommand} nix-store --version` },
      };
    case 'resolve':
      return {
        detail: `The name ${host} does not resolve. Fix the spec's host, or add ${host} to DNS, /etc/hosts or ssh_config (as ${as}).`,
        fix: { kind: 'command', command: `getent hosts ${host}` },
      };
    case 'connection':
    case 'timeout':
      return {
        detail:
          `Nothing answers SSH at ${where}: check that the builder is up, that sshd listens there and that no firewall drops the connection` +
          `${failure === 'timeout' ? ' (a server that accepts and never speaks SSH looks like this too)' : ''}.`,
        fix: { kind: 'command', command: `${sshCommand} true` },
      };
    case 'remoteNix': {
      const program = machine.uri.startsWith('ssh-ng://') ? 'nix-daemon' : 'nix-store';
      const fixed = withParam(machine.uri, 'remote-program', `${REMOTE_NIX_BIN}/${program}`);
      const inSetting = machine.origin === BUILDERS_SETTING;
      // A machines file's origin is `path:line`; the builders setting lives in nix.conf.
      const file = inSetting ? facts.target.file : machine.origin.replace(/:\d+$/, '');
      return {
        detail:
          `SSH works, but ${program} is not on the PATH of a non-interactive login on the builder (~/.profile is not read). ` +
          "Name it with the store URI's remote-program parameter, or put Nix on that PATH (sshd's SetEnv, /etc/environment).",
        fix: {
          kind: 'nixConf',
          file,
          lines: [inSetting ? `builders = ${machineSpec(machine, fixed)}` : machineSpec(machine, fixed)],
          then: `This replaces the entry for ${machine.uri} (at ${machine.origin}); keep the other builders.`,
        },
      };
    }
    case 'other':
      return {
        detail: `Log in as Nix would (as ${as}) to see what fails.`,
        fix: { kind: 'command', command: `${sshCommand} nix-store --version` },
      };
  }
}

/**
 * One line about the builders as a whole: entries Nix refuses, max-jobs = 0 with nowhere to build,
 * or how builds are shared. Null when none are configured and local builds are allowed.
 */
export function checkBuildersSetting(
  config: Pick<NixConfig, 'builders' | 'builderProblems' | 'maxJobs' | 'buildersUseSubstitutes'>,
  target: NixConfTarget,
): HealthItem | null {
  const base = { id: 'nix.builders', title: 'Remote builders' };
  if (config.builderProblems.length > 0) {
    return {
      ...base,
      status: 'error',
      detail: `Nix refuses these entries, and fails builds it would hand to a builder: ${config.builderProblems.join('; ')}. A machine is \`uri systems ssh-key max-jobs speed-factor supported-features mandatory-features public-host-key\`, \`-\` for a default.`,
    };
  }
  if (config.builders.length === 0) {
    if (config.maxJobs === 0) {
      return {
        ...base,
        status: 'error',
        detail: 'max-jobs = 0 and no remote builders: Nix can build nothing.',
        fix: { kind: 'nixConf', file: target.file, lines: ['max-jobs = auto'], then: target.then },
      };
    }
    // Most machines have none: nothing to report, and the report stays as short as before.
    return null;
  }
  const count = `${config.builders.length} configured`;
  const local =
    config.maxJobs === 0
      ? 'max-jobs = 0, so every build goes to them'
      : `up to ${config.maxJobs} local builds besides`;
  const substitutes = config.buildersUseSubstitutes
    ? 'they fetch dependencies from their own caches (builders-use-substitutes)'
    : 'this machine uploads every dependency to them (builders-use-substitutes = false)';
  return { ...base, status: 'ok', detail: `${count}; ${local}; ${substitutes}.` };
}
