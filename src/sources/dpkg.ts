// A package's version from the Debian package database (kubeadm's deb packages): the stanza
// "Package: kubelet" with an installed Status, e.g. "Version: 1.33.4-1.1" → "1.33.4".
import type { RootFs } from './root-fs.ts';

export function readDpkgVersion(fs: RootFs, pkg = 'kubelet'): { value: string; source: string } | undefined {
  const r = fs.read('/var/lib/dpkg/status', 64 * 1024 * 1024);
  if (!r.ok) return undefined;
  const text = r.bytes.toString('utf8');
  // Stanza by stanza (a blank line ends one), without splitting a huge file into an array.
  const sep = /\n\s*\n/g;
  for (let start = 0; start <= text.length; ) {
    const m = sep.exec(text);
    const end = m ? m.index : text.length;
    const stanza = text.slice(start, end);
    start = m ? sep.lastIndex : text.length + 1;
    if (!stanza.split('\n').includes(`Package: ${pkg}`)) continue;
    if (!/^Status: .*\binstalled$/m.test(stanza)) continue;
    const v = /^Version: (?:\d+:)?([0-9]+\.[0-9]+\.[0-9]+)/m.exec(stanza);
    if (v) return { value: v[1]!, source: `/var/lib/dpkg/status (package ${pkg})` };
  }
  return undefined;
}
