import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

export interface LiveProcess {
  pid: number;
  command: string;
  cwd: string;
}

/**
 * Live (not zombie) processes whose working directory is inside `folder`, read from /proc: a
 * shell that outlived its context still sits in the workspace it was started in. Only processes
 * of this user can be read, which is every one the engine starts.
 */
export function processesInside(folder: string): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cwd: string;
    let stat: string;
    try {
      cwd = readlinkSync(`/proc/${entry}/cwd`);
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked, or not ours
    }
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    const relative = path.relative(folder, cwd);
    const inside = relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
    if (inside && state !== 'Z') {
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      found.push({ pid: Number(entry), command, cwd });
    }
  }
  return found;
}
