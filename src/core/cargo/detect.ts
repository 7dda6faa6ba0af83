import type { DetectOptions, DetectResult } from './types';

// Interim: the lead engineer is implementing this now. Signature is final.
export function detectWorkspaces(dir: string, _options: DetectOptions = {}): DetectResult {
  return { root: dir, workspaces: [], problems: [] };
}
