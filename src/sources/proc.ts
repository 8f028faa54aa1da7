// Running processes from /proc (live mode): argv and environment of each process whose
// executable name matches. Reading another user's /proc/<pid>/environ needs root.
import type { RootFs } from './root-fs.ts';

export interface ProcessInfo {
  pid: number;
  argv: string[];
  env: Record<string, string>;
  /** why the environment could not be read */
  envError?: string;
}

const MAX_CMDLINE = 1024 * 1024;

/** Processes whose argv[0] basename is `name`, or whose argv[0] `name` accepts (a retitled process: "/usr/local/bin/k3s server"). */
export function findProcesses(fs: RootFs, name: string | ((argv0: string) => boolean)): { found: ProcessInfo[]; error?: string } {
  const matches = typeof name === 'string' ? (argv0: string) => argv0.split('/').pop() === name : name;
  const list = fs.entries('/proc', (n) => /^[0-9]+$/.test(n));
  if (!list.ok) return { found: [], error: `cannot list /proc: ${list.error}` };
  const found: ProcessInfo[] = [];
  for (const { name: entry } of list.entries) {
    const cmd = fs.read(`/proc/${entry}/cmdline`, MAX_CMDLINE);
    if (!cmd.ok || cmd.bytes.length === 0) continue; // gone, or a kernel thread
    const argv = splitNul(cmd.bytes);
    if (!matches(argv[0] ?? '')) continue;
    const env: Record<string, string> = {};
    const e = fs.read(`/proc/${entry}/environ`, MAX_CMDLINE);
    if (e.ok) {
      for (const kv of splitNul(e.bytes)) {
        const i = kv.indexOf('=');
        if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
      }
    }
    found.push({ pid: Number(entry), argv, env, ...(e.ok ? {} : { envError: e.error }) });
  }
  found.sort((a, b) => a.pid - b.pid);
  return { found };
}

function splitNul(b: Buffer): string[] {
  const parts = b.toString('utf8').split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}
