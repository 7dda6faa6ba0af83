// What a health check reports: plain data that the CLI prints, the log records and the editor
// shows with its ✓/⚠/✗ and a one-click fix.

export type HealthStatus = 'ok' | 'warning' | 'error' | 'skipped';

/** How to fix a problem, exactly: lines to put in nix.conf, a command to run, or a setting to change. */
export type HealthFix =
  | {
      kind: 'nixConf';
      /** Where the lines go, e.g. `/etc/nix/nix.conf`. */
      file: string;
      lines: string[];
      /** What to do after editing, e.g. restarting the daemon; null when nothing. */
      then: string | null;
    }
  | { kind: 'command'; command: string }
  | { kind: 'setting'; setting: string; hint: string };

export interface HealthItem {
  /** Stable, e.g. `nix.installed`, `nix.substituter:https://cache.nixos.org`, `workspace.flakeLock`. */
  id: string;
  title: string;
  status: HealthStatus;
  detail: string;
  fix?: HealthFix;
  /** The workspace folder a workspace check is about. */
  folder?: string;
}

export interface HealthReport {
  items: HealthItem[];
  /** The nix binary that was checked, as found; null when none was found. */
  nix: string | null;
  /** e.g. `2.8.0`; null when Nix was not found or printed no version. */
  nixVersion: string | null;
  durationMs: number;
}

/** The worst status first: error, warning, ok, skipped. */
export function worstStatus(items: readonly HealthItem[]): HealthStatus {
  for (const status of ['error', 'warning', 'ok'] as const) {
    if (items.some((item) => item.status === status)) return status;
  }
  return 'skipped';
}
