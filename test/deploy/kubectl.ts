// The real kubectl for the tests that need it (kustomize rendering, plugin discovery). CI installs
// one (.ci/run: Debian's kubernetes-client); there its absence fails the tests, elsewhere they are
// skipped with the reason.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const KUBECTL = onPath('kubectl');

/** `false` (run the test) when kubectl is there or in CI (where its absence must fail), else why it is skipped. */
export const skipWithoutKubectl: string | false =
  KUBECTL || process.env.CI ? false : 'kubectl is not on PATH (install it: apt-get install kubernetes-client; .ci/run does)';

export interface Run { status: number | null; stdout: string; stderr: string }

export function kubectl(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Run {
  if (!KUBECTL) throw new Error('kubectl is not on PATH: .ci/run installs Debian\'s kubernetes-client');
  const r = spawnSync(KUBECTL, args, { encoding: 'utf8', env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
