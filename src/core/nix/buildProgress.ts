// Progress of a `nix build -L --log-format internal-json` run, from its stderr lines (`@nix {…}`).
// Nix 2.8 and 2.26 print the same events (recorded in test/fixtures/nix-json/build-progress-*.txt):
// the `builds` activity (104) carries [done, expected, running, failed] results (type 105), the
// `realise` activity (102) says how many bytes it expects to download (setExpected, type 106), and
// each `copyPath` activity (100) reports bytes copied so far as its own progress results.

/** Activity types (nix `ActivityType`). */
const ACT = { copyPath: 100, fileTransfer: 101, realise: 102, copyPaths: 103, builds: 104, build: 105 };
/** Result types (nix `ResultType`). */
const RES = { buildLogLine: 101, progress: 105, setExpected: 106 };

export interface BuildProgress {
  buildsDone: number;
  buildsExpected: number;
  buildsRunning: number;
  buildsFailed: number;
  /** Store paths fetched from substituters so far, and how many will be. */
  copiesDone: number;
  copiesExpected: number;
  /** Compressed bytes to download (Nix's estimate) and bytes copied so far. */
  bytesExpected: number;
  bytesDownloaded: number;
  /** The derivations being built right now. */
  building: string[];
}

export type BuildEvent =
  | { kind: 'log'; drvPath: string | null; line: string }
  | { kind: 'message'; level: number; text: string }
  | { kind: 'progress' };

/** Folds stderr lines into a `BuildProgress`; lines that are not `@nix` JSON count as messages. */
export class BuildProgressParser {
  private readonly activities = new Map<number, { type: number; drvPath: string | null }>();
  private readonly copied = new Map<number, number>();
  private readonly state: BuildProgress = {
    buildsDone: 0,
    buildsExpected: 0,
    buildsRunning: 0,
    buildsFailed: 0,
    copiesDone: 0,
    copiesExpected: 0,
    bytesExpected: 0,
    bytesDownloaded: 0,
    building: [],
  };

  get progress(): BuildProgress {
    return { ...this.state, building: [...this.state.building] };
  }

  /** Reads one stderr line; says what it was, or null for events that change nothing shown. */
  push(line: string): BuildEvent | null {
    if (!line.startsWith('@nix '))
      return line.trim() === '' ? null : { kind: 'message', level: 0, text: line };
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line.slice(5)) as Record<string, unknown>;
    } catch {
      return { kind: 'message', level: 0, text: line };
    }
    const id = typeof event['id'] === 'number' ? event['id'] : -1;
    const fields = Array.isArray(event['fields']) ? (event['fields'] as unknown[]) : [];
    switch (event['action']) {
      case 'start': {
        const type = Number(event['type']);
        const drvPath = type === ACT.build && typeof fields[0] === 'string' ? fields[0] : null;
        this.activities.set(id, { type, drvPath });
        if (drvPath !== null) {
          this.state.building.push(drvPath);
          return { kind: 'progress' };
        }
        return null;
      }
      case 'stop': {
        const activity = this.activities.get(id);
        this.activities.delete(id);
        if (activity?.drvPath) {
          this.state.building = this.state.building.filter((d) => d !== activity.drvPath);
          return { kind: 'progress' };
        }
        return null;
      }
      case 'result':
        return this.result(id, Number(event['type']), fields);
      case 'msg': {
        const text = typeof event['msg'] === 'string' ? event['msg'] : '';
        return { kind: 'message', level: Number(event['level'] ?? 0), text: stripAnsi(text) };
      }
      default:
        return null;
    }
  }

  private result(id: number, type: number, fields: unknown[]): BuildEvent | null {
    const activity = this.activities.get(id);
    const n = (i: number) => (typeof fields[i] === 'number' ? fields[i] : 0);
    if (type === RES.buildLogLine) {
      return { kind: 'log', drvPath: activity?.drvPath ?? null, line: String(fields[0] ?? '') };
    }
    if (type === RES.progress && activity) {
      if (activity.type === ACT.builds) {
        Object.assign(this.state, {
          buildsDone: n(0),
          buildsExpected: n(1),
          buildsRunning: n(2),
          buildsFailed: n(3),
        });
      } else if (activity.type === ACT.copyPaths) {
        Object.assign(this.state, { copiesDone: n(0), copiesExpected: n(1) });
      } else if (activity.type === ACT.copyPath) {
        // Each copy reports its own running total: keep the latest per activity and sum.
        this.copied.set(id, n(0));
        this.state.bytesDownloaded = [...this.copied.values()].reduce((a, b) => a + b, 0);
      } else {
        return null;
      }
      return { kind: 'progress' };
    }
    if (type === RES.setExpected && activity?.type === ACT.realise && n(0) === ACT.fileTransfer) {
      this.state.bytesExpected = n(1);
      return { kind: 'progress' };
    }
    return null;
  }
}

/** "1/2 builds · 0.1 MB downloaded", for the progress notification. */
export function formatBuildProgress(p: BuildProgress): string {
  const parts: string[] = [];
  if (p.buildsExpected > 0) parts.push(`${p.buildsDone}/${p.buildsExpected} builds`);
  if (p.copiesExpected > 0) parts.push(`${p.copiesDone}/${p.copiesExpected} downloads`);
  if (p.bytesDownloaded > 0 || p.bytesExpected > 0) {
    const mb = (b: number) => (b / 1e6).toFixed(1);
    parts.push(
      p.bytesExpected > 0
        ? `${mb(p.bytesDownloaded)}/${mb(p.bytesExpected)} MB downloaded`
        : `${mb(p.bytesDownloaded)} MB downloaded`,
    );
  }
  if (p.buildsFailed > 0) parts.push(`${p.buildsFailed} failed`);
  return parts.length > 0 ? parts.join(' · ') : 'starting…';
}

/** The `nix build` arguments that build every output of each derivation (`^*` is 2.18+ syntax). */
export function buildInstallables(drvPaths: readonly string[], modern: boolean): string[] {
  // Nix 2.8 builds every output of a bare `.drv` path and knows no `^`.
  return drvPaths.map((d) => (modern ? `${d}^*` : d));
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
