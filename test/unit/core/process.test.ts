import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import {
  CommandNotFoundError,
  describeFailure,
  ensureSuccess,
  formatCommand,
  onProcessStart,
  ProcessError,
  runProcess,
  type ProcessStartEvent,
} from '../../../src/core/process';

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, pgrp, …]; null once reaped. */
function procStat(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

// A killed child of a killed parent is a zombie until PID 1 reaps it, and this machine's PID 1
// may never do so: a zombie runs nothing, so it counts as gone.
const running = (pid: number) => {
  const state = procStat(pid)?.[0];
  return state !== undefined && state !== 'Z';
};

/**
 * Starts a bash script that prints the pids of a tree of sleepers and its own pid, one per line,
 * and aborts once `count` pids have arrived.
 */
async function runTreeAndCancel(script: string, count: number, killGraceMs?: number) {
  const pids: number[] = [];
  const controller = new AbortController();
  const groups: (string | undefined)[] = [];
  const result = await runProcess('bash', ['-c', script], {
    signal: controller.signal,
    ...(killGraceMs !== undefined && { killGraceMs }),
    onStdoutLine: (line) => {
      pids.push(Number(line));
      if (pids.length === count) {
        groups.push(...pids.map((pid) => procStat(pid)?.[2]));
        controller.abort();
      }
    },
  });
  return { result, pids, groups };
}

describe('core/process', () => {
  it('returns output and a non-zero exit code without throwing', async () => {
    const result = await runProcess('bash', ['-c', 'echo out; echo one >&2; echo two >&2; exit 3']);
    assert.equal(result.exitCode, 3);
    assert.equal(result.signal, null);
    assert.equal(result.stdout, 'out\n');
    assert.equal(result.stderr, 'one\ntwo\n');
    assert.equal(result.cancelled, false);
    assert.equal(result.timedOut, false);
    assert.deepEqual(result.command, ['bash', '-c', 'echo out; echo one >&2; echo two >&2; exit 3']);
    assert.ok(result.durationMs >= 0);
    assert.equal(
      describeFailure(result),
      "`bash -c 'echo out; echo one >&2; echo two >&2; exit 3'` exited with code 3:\none\ntwo",
    );
    assert.throws(() => ensureSuccess(result), ProcessError);
    const ok = await runProcess('true', []);
    assert.equal(ensureSuccess(ok), ok);
  });

  it('keeps only the last 20 lines of stderr in the failure message', async () => {
    const result = await runProcess('bash', ['-c', 'seq 1 50 >&2; exit 1']);
    const lines = describeFailure(result).split('\n');
    assert.equal(lines.length, 21);
    assert.equal(lines[1], '31');
    assert.equal(lines[20], '50');
  });

  it('passes arguments as argv, never through a shell', async () => {
    const result = await runProcess('printf', ['%s|', '$HOME', '; echo hi', '*']);
    assert.equal(result.stdout, '$HOME|; echo hi|*|');
  });

  it('streams stdout and stderr lines as they arrive, leaving the output intact', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const result = await runProcess('bash', ['-c', 'printf "a\\r\\nb\\n\\nc"; printf "@nix {}\\nlast" >&2'], {
      onStdoutLine: (line) => out.push(line),
      onStderrLine: (line) => err.push(line),
    });
    assert.deepEqual(out, ['a', 'b', '', 'c']);
    assert.deepEqual(err, ['@nix {}', 'last']);
    assert.equal(result.stdout, 'a\r\nb\n\nc');
    assert.equal(result.stderr, '@nix {}\nlast');
  });

  it('cancelling kills the whole process group, not just the leader', async () => {
    const started = Date.now();
    const { result, pids, groups } = await runTreeAndCancel(
      'sleep 30 & echo $!; sleep 30 & echo $!; echo $$; wait',
      3,
    );
    const leader = pids[2];
    assert.equal(pids.length, 3);
    // The child leads its own group and its children are in it.
    assert.deepEqual(groups, [String(leader), String(leader), String(leader)]);
    assert.equal(result.cancelled, true);
    assert.equal(result.timedOut, false);
    assert.equal(result.signal, 'SIGTERM');
    assert.equal(result.exitCode, null);
    assert.match(describeFailure(result), /was cancelled/);
    assert.deepEqual(
      pids.filter((pid) => running(pid)),
      [],
    );
    assert.ok(Date.now() - started < 10_000);
  });

  it('sends SIGKILL to the group when SIGTERM is ignored', async () => {
    const { result, pids } = await runTreeAndCancel(
      "trap '' TERM; sleep 30 & echo $!; echo $$; wait",
      2,
      300,
    );
    assert.equal(result.cancelled, true);
    assert.equal(result.signal, 'SIGKILL');
    assert.ok(result.durationMs >= 300, `took ${result.durationMs} ms`);
    assert.deepEqual(
      pids.filter((pid) => running(pid)),
      [],
    );
  });

  it('returns once the leader is gone and SIGKILLs stubborn members after the grace period', async () => {
    // The member ignores SIGTERM and lets go of our pipes, so nothing waits for it. Its pid is
    // printed only once it has become `sleep`, i.e. once the trap is in place.
    const { result, pids } = await runTreeAndCancel(
      "(trap '' TERM; exec sleep 30) >/dev/null 2>&1 & m=$!; " +
        'until [ "$(cat /proc/$m/comm)" = sleep ]; do :; done; echo $$; echo $m; wait',
      2,
      500,
    );
    const [leader, member] = pids as [number, number];
    assert.equal(result.cancelled, true);
    assert.equal(result.signal, 'SIGTERM');
    assert.equal(running(leader), false);
    assert.equal(running(member), true);
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(running(member), false);
  });

  it('does not start anything for an already aborted signal', async () => {
    const events: ProcessStartEvent[] = [];
    const listener = onProcessStart((e) => events.push(e));
    try {
      const result = await runProcess('true', [], { signal: AbortSignal.abort() });
      assert.equal(result.cancelled, true);
      assert.equal(events.length, 0);
    } finally {
      listener.dispose();
    }
  });

  it('stops the group after the timeout and says so', async () => {
    const result = await runProcess('bash', ['-c', 'sleep 30 & wait'], { timeoutMs: 200 });
    assert.equal(result.timedOut, true);
    assert.equal(result.cancelled, false);
    assert.ok(result.durationMs >= 200 && result.durationMs < 5000, `took ${result.durationMs} ms`);
    assert.match(describeFailure(result), /^`bash -c 'sleep 30 & wait'` timed out after \d+ ms$/);
  });

  it('stops a run whose output exceeds maxBuffer', async () => {
    const result = await runProcess('yes', [], { maxBuffer: 1000 });
    assert.equal(result.maxBufferExceeded, true);
    assert.ok(result.stdout.length <= 1000);
    assert.match(describeFailure(result), /more output than allowed/);
  });

  it('throws CommandNotFoundError naming the missing program', async () => {
    await assert.rejects(runProcess('nixify-no-such-program', ['--version']), (error: unknown) => {
      assert.ok(error instanceof CommandNotFoundError);
      assert.equal(error.file, 'nixify-no-such-program');
      assert.equal(error.message, 'nixify-no-such-program was not found on PATH');
      return true;
    });
    await assert.rejects(runProcess('/nonexistent/bin/nix', []), {
      name: 'CommandNotFoundError',
      message: '/nonexistent/bin/nix was not found',
    });
  });

  it('reports a missing working directory as such, not as a missing program', async () => {
    await assert.rejects(runProcess('true', [], { cwd: '/nonexistent/nixify' }), {
      message: 'Cannot run true: the directory /nonexistent/nixify does not exist',
    });
  });

  it('runs in cwd and feeds stdin; without stdin the child reads end of file at once', async () => {
    assert.equal((await runProcess('pwd', [], { cwd: '/usr' })).stdout, '/usr\n');
    assert.equal((await runProcess('cat', [], { stdin: 'hello\n' })).stdout, 'hello\n');
    assert.equal((await runProcess('cat', [], { timeoutMs: 5000 })).timedOut, false);
  });

  it('merges env over process.env, removes undefined variables, or replaces it when asked', async () => {
    const merged = await runProcess('/usr/bin/env', [], {
      env: { NIXIFY_TEST_EXTRA: 'yes', HOME: undefined },
    });
    const vars = merged.stdout.split('\n');
    assert.ok(vars.includes('NIXIFY_TEST_EXTRA=yes'));
    assert.ok(vars.includes(`PATH=${process.env['PATH']}`));
    assert.ok(!vars.some((v) => v.startsWith('HOME=')));

    const replaced = await runProcess('/usr/bin/env', [], { env: { ONLY: '1' }, replaceEnv: true });
    assert.equal(replaced.stdout, 'ONLY=1\n');
  });

  it('tells start listeners about each started process until disposed', async () => {
    const events: ProcessStartEvent[] = [];
    const listener = onProcessStart((e) => events.push(e));
    try {
      await runProcess('true', [], { cwd: '/' });
      await runProcess('bash', ['-c', 'exit 1'], { env: { SECRET: 'hunter2' } });
      await assert.rejects(runProcess('nixify-no-such-program', []));
    } finally {
      listener.dispose();
    }
    await runProcess('true', []);
    assert.deepEqual(
      events.map((e) => [e.file, e.args, e.cwd]),
      [
        ['true', [], '/'],
        ['bash', ['-c', 'exit 1'], process.cwd()],
      ],
    );
    assert.ok(events.every((e) => Number.isInteger(e.pid) && e.pid > 0));
    assert.ok(!JSON.stringify(events).includes('hunter2'));
  });

  it('rethrows an error from a line callback once the run has finished', async () => {
    await assert.rejects(
      runProcess('bash', ['-c', 'echo a; echo b'], {
        onStdoutLine: () => {
          throw new Error('parser broke');
        },
      }),
      { message: 'parser broke' },
    );
  });

  it('formats commands for messages, hiding secret option values', () => {
    assert.equal(
      formatCommand(['nix', '--option', 'access-tokens', 'github.com=abc', 'build', '.#a b', "it's"]),
      `nix --option access-tokens *** build '.#a b' 'it'\\''s'`,
    );
    assert.equal(formatCommand(['nix', '--option', 'substituters', '']), "nix --option substituters ''");
  });
});
