/** Process groups (and, from test/support/poll, deadline polling) for the e2e tests: no fixed sleeps, no orphaned editors. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

import { poll } from '../../support/poll';

export { poll };

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const groups = new Set<number>();
let exitHookInstalled = false;

/**
 * Spawns `command` as the leader of a new process group (setsid-like), stdout+stderr appended to `logFile`.
 * The group is killed when this process exits, whatever the reason.
 */
export function spawnGroup(command: string, args: string[], logFile: string, options: SpawnOptions = {}): ChildProcess {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  groups.add(pid);
  child.on('exit', () => groups.delete(pid));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
    });
  }
  return child;
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // the group is gone
  }
}

function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/** SIGTERM to the whole group, SIGKILL if anything in it is still alive after `graceMs`. */
export async function killGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  signalGroup(pgid, 'SIGTERM');
  try {
    await poll(`process group ${pgid} to exit`, () => !groupAlive(pgid), { timeoutMs: graceMs });
  } catch {
    signalGroup(pgid, 'SIGKILL');
    await poll(`process group ${pgid} to die`, () => !groupAlive(pgid), { timeoutMs: 5_000 }).catch(() => undefined);
  }
  groups.delete(pgid);
}

/** The last `lines` lines of a text file, or a note that it is missing. */
export function tail(file: string, lines = 80): string {
  if (!fs.existsSync(file)) return `(no ${file})`;
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
