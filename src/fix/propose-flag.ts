// Where a change to a control-plane component's flag goes: the static pod manifest it runs from,
// as an edit of the container's command (or args) list item by item, so the YAML stays a list of
// one flag per item. The deciding (last) occurrence is replaced and earlier ones deleted, or the
// flag is appended to the list that holds the component's flags. Pure: from NodeFacts.
import type { ComponentFacts, ContainerFact, NodeFacts } from '../facts/types.ts';
import { allFlags, isFromEnvironment } from '../sources/control-plane.ts';
import type { FixProposal } from './types.ts';

export type FlagFix = { fixes: FixProposal[] } | { noFix: string };

/** The item of the container's command or args written on `line`, if exactly one is. */
function itemAt(c: ContainerFact, line: number): { list: 'command' | 'args'; index: number } | undefined {
  const hits: Array<{ list: 'command' | 'args'; index: number }> = [];
  (c.commandLines ?? []).forEach((l, i) => l === line && hits.push({ list: 'command', index: i }));
  (c.argsLines ?? []).forEach((l, i) => l === line && hits.push({ list: 'args', index: i }));
  return hits.length === 1 ? hits[0] : undefined;
}

/** The change that makes `--name` of component `c` read `want` (the whole flag word, `--name=value`). */
export function proposeComponentFlag(facts: NodeFacts, c: ComponentFacts, name: string, want: string): FlagFix {
  if (c.apiPod) return { noFix: `${c.name} was read through the API server: fix the manifest on its node (kubelet-guard fix there)` };
  if (c.from !== 'manifest' || !c.file) return { noFix: `${c.name} runs as a process that no static pod manifest starts: change its systemd unit or start script by hand` };
  const occ = allFlags(c, name);
  if (occ.some(isFromEnvironment)) return { noFix: `--${name} is set through an environment variable of the pod: change it by hand` };
  const manifest = facts.staticPods?.manifests.find((m) => m.path === c.file);
  const pod = manifest?.pods.length === 1 ? manifest.pods[0] : undefined;
  if (!pod) return { noFix: `the manifest ${c.file} cannot be located in the static pod evidence` };
  // the container whose command or args hold the component's flags
  const lines = c.flags.filter((f) => !isFromEnvironment(f) && f.line).map((f) => f.line!);
  const containers = pod.containers.filter((k) => lines.some((l) => itemAt(k, l)));
  if (containers.length !== 1) return { noFix: `which container of ${c.file} runs ${c.name} cannot be told from the line of each flag` };
  const k = containers[0]!;
  const siblings = pod.containers.filter((x) => !!x.init === !!k.init);
  const base: Array<string | number> = ['spec', k.init ? 'initContainers' : 'containers', siblings.indexOf(k)];
  const at = (f: { line?: number }) => (f.line ? itemAt(k, f.line) : undefined);
  if (occ.length > 0) {
    const items = occ.map((f) => ({ f, item: at(f) }));
    if (items.some((x) => !x.item)) return { noFix: `an occurrence of --${name} in ${c.file} is not one item of its own in the container's command or args` };
    const [last, ...earlier] = items.reverse();
    return {
      fixes: [
        { kind: 'manifest-set', file: c.file, path: [...base, last!.item!.list, last!.item!.index], value: want, ...(last!.f.line ? { line: last!.f.line } : {}) },
        // earlier occurrences go, last first, so the indexes of those still to go stay right
        ...earlier.map(({ f, item }) => ({ kind: 'manifest-set' as const, file: c.file!, path: [...base, item!.list, item!.index], ...(f.line ? { line: f.line } : {}) })),
      ],
    };
  }
  const list = k.args.some((a) => a.startsWith('--')) ? 'args' : 'command';
  const length = list === 'args' ? k.args.length : k.command.length;
  return { fixes: [{ kind: 'manifest-set', file: c.file, path: [...base, list, length], value: want }] };
}
