import * as path from 'node:path';

// Compiled to out/test/unit/helpers/, four levels below the repository root.
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
