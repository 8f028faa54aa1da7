// Which platform a node runs, named from its Node object alone (status.nodeInfo.kubeletVersion and
// osImage, spec.providerID, metadata.labels), by the `nodeObject` marks of each distribution's data
// (src/distros): the first distribution of the registry (most specific first) with an entry whose
// every field matches names it. None matching leaves the node unnamed: a guess would be a claim.
// The Node object is the API server's answer, so hostile: only strings of bounded length are
// matched, labels are looked up as own keys, and what is reported is the distribution's own title and
// the names of the fields that matched, never the node's text.
import { DISTRIBUTIONS } from '../distros/index.ts';
import type { DistroName, NodeObjectMark } from '../distros/types.ts';

export interface NodePlatform {
  name: DistroName;
  title: string;
  /** the Node object's fields that matched, in words ("status.nodeInfo.kubeletVersion matches /…/") */
  evidence: string[];
}

/** what is kept of a Node object to name its platform */
export interface NodeSignals {
  providerID?: string;
  kubeletVersion?: string;
  osImage?: string;
  labels: ReadonlySet<string>;
  annotations: ReadonlySet<string>;
}

/** longer values are not matched (no real version, OS name or provider ID comes close) */
export const MAX_FIELD = 1024;
/** a node with more labels than this is matched on the first ones only */
export const MAX_LABELS = 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= MAX_FIELD ? v : undefined);

/** The fields of a Node object (as parsed from JSON) that the marks read; anything else is ignored. */
export function nodeSignals(node: unknown): NodeSignals {
  const n = (node && typeof node === 'object' ? node : {}) as { metadata?: { labels?: unknown; annotations?: unknown }; spec?: { providerID?: unknown }; status?: { nodeInfo?: { kubeletVersion?: unknown; osImage?: unknown } } };
  const keys = (o: unknown): Set<string> => {
    const out = new Set<string>();
    if (!o || typeof o !== 'object' || Array.isArray(o)) return out;
    for (const k in o) {
      if (out.size >= MAX_LABELS) break;
      if (Object.hasOwn(o, k) && k.length <= MAX_FIELD) out.add(k);
    }
    return out;
  };
  const labels = keys(n.metadata?.labels);
  const annotations = keys(n.metadata?.annotations);
  const providerID = str(n.spec?.providerID);
  const kubeletVersion = str(n.status?.nodeInfo?.kubeletVersion);
  const osImage = str(n.status?.nodeInfo?.osImage);
  return { ...(providerID !== undefined ? { providerID } : {}), ...(kubeletVersion !== undefined ? { kubeletVersion } : {}), ...(osImage !== undefined ? { osImage } : {}), labels, annotations };
}

/** The evidence when every field of the mark matches (a mark with no field matches nothing). */
function matches(m: NodeObjectMark, s: NodeSignals): string[] | undefined {
  const evidence: string[] = [];
  const field = (re: RegExp | undefined, v: string | undefined, name: string): boolean => {
    if (!re) return true;
    if (v === undefined || !re.test(v)) return false;
    evidence.push(`${name} matches /${re.source}/`);
    return true;
  };
  if (!field(m.providerID, s.providerID, 'spec.providerID')) return undefined;
  if (!field(m.kubeletVersion, s.kubeletVersion, 'status.nodeInfo.kubeletVersion')) return undefined;
  if (!field(m.osImage, s.osImage, 'status.nodeInfo.osImage')) return undefined;
  if (m.label !== undefined) {
    if (!s.labels.has(m.label)) return undefined;
    evidence.push(`the label ${m.label} is set`);
  }
  if (m.annotation !== undefined) {
    if (!s.annotations.has(m.annotation)) return undefined;
    evidence.push(`the annotation ${m.annotation} is set`);
  }
  return evidence.length > 0 ? evidence : undefined;
}

export function nodePlatform(node: unknown): NodePlatform | undefined {
  return platformOf(nodeSignals(node));
}

export function platformOf(s: NodeSignals): NodePlatform | undefined {
  for (const d of DISTRIBUTIONS) {
    for (const m of d.nodeObject ?? []) {
      const evidence = matches(m, s);
      if (evidence) return { name: d.name, title: d.title, evidence };
    }
  }
  return undefined;
}
