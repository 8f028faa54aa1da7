// The endpoints of one host, gathered while a sweep runs, so the checks about a kubelet as a whole
// (its version and CVEs, src/checks/scan/kubelet-cve.ts) judge it once with every port it answered
// on. The engine spreads a window of hosts' ports (engine.ts spreadPairs), so a host is complete
// once each of its ports has finished: answered (an endpoint), closed, or thrown. Only hosts in
// flight are held (at most the engine's window); `flush` hands over the rest at the end of a sweep
// (a probe cut by the ceiling never reports, an abort stops the others).
import type { Endpoint } from './types.ts';

export interface HostGroups {
  /** a probe of this host started (the first call fixes how many ports it has) */
  started(host: string): void;
  /** a probe of this host finished: with its endpoint, or without one (closed, thrown) */
  finished(host: string, ep?: Endpoint): void;
  /** every host not yet complete, now */
  flush(): void;
}

export function createHostGroups(portsPerHost: number, onHost: (host: string, endpoints: Endpoint[]) => void): HostGroups {
  const open = new Map<string, { left: number; eps: Endpoint[] }>();
  const done = (host: string) => {
    const g = open.get(host);
    if (!g) return;
    open.delete(host);
    onHost(host, g.eps);
  };
  return {
    started(host) {
      if (!open.has(host)) open.set(host, { left: portsPerHost, eps: [] });
    },
    finished(host, ep) {
      const g = open.get(host);
      if (!g) return; // flushed already (a late answer after the sweep ended)
      if (ep) g.eps.push(ep);
      if (--g.left <= 0) done(host);
    },
    flush() {
      for (const host of [...open.keys()]) done(host);
    },
  };
}
