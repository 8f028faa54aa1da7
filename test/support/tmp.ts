// Temporary folders for tests, removed when the test file's process ends: a full run makes
// thousands of node trees, and CI machines must not keep them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
});

/** A fresh folder under the system's temporary folder, named `prefix` + random letters. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
