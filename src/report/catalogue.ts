// The check catalogue: every check of every command (node, scan, cluster) with the metadata reports
// need — `kubelet-guard checks`, SARIF's rules — and its anchor in docs/checks.md, so a report links
// each finding to the text that explains it. Built from the checks' own metadata, never written twice.
import pkg from '../../package.json' with { type: 'json' };
import { NODE_CHECKS } from '../checks/index.ts';
import { checks as ENDPOINT_CHECKS } from '../checks/scan/index.ts';
import { SECTIONS, type CheckMeta, type Section, type Severity } from '../checks/types.ts';
import { CLUSTER_FINDINGS } from '../cluster/findings.ts';

export type ReportCommand = 'node' | 'scan' | 'cluster';

export interface CatalogueEntry {
  id: string;
  title: string;
  section: Section;
  sectionTitle: string;
  severity: Severity;
  /** other severities a finding of it may carry, with when */
  emits?: Array<{ severity: Severity; when: string }>;
  cis: string[];
  setting?: string;
  rationale: string;
  /** the general fix (a finding gives the exact one); cluster findings give theirs per finding */
  remediation?: string;
  /** cluster findings: when they fail */
  failsWhen?: string;
  /** why `kubelet-guard fix` never changes anything for it */
  noFix?: string;
  /** the commands whose reports hold its findings */
  commands: ReportCommand[];
  /** docs/checks.md#ID: its row in the generated checks documentation */
  docs: string;
  /** the same on the project's repository */
  helpUri: string;
}

/** The repository's web address, from package.json (repository, else homepage). */
export function repositoryUrl(): string {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const m = /github\.com[/:]([^/]+\/[^/#]+?)(?:\.git)?(?:[/#].*)?$/.exec(repo ?? pkg.homepage ?? '');
  return m ? `https://github.com/${m[1]}` : (pkg.homepage ?? '').replace(/#.*$/, '');
}

/** The anchor of a check's row in docs/checks.md (scripts/checks-doc.ts writes `<a id="ID">` there). */
export const docsAnchor = (id: string): string => `docs/checks.md#${id}`;

const helpUri = (id: string): string => `${repositoryUrl()}/blob/main/${docsAnchor(id)}`;

function fromMeta(m: CheckMeta, commands: ReportCommand[]): CatalogueEntry {
  return {
    id: m.id, title: m.title, section: m.section, sectionTitle: SECTIONS[m.section], severity: m.severity,
    ...(m.emits?.length ? { emits: m.emits } : {}),
    cis: m.cis, ...(m.setting ? { setting: m.setting } : {}), rationale: m.rationale, remediation: m.remediation,
    ...(m.noFix ? { noFix: m.noFix } : {}),
    commands, docs: docsAnchor(m.id), helpUri: helpUri(m.id),
  };
}

/** Node checks `kubelet-guard cluster` runs on each node's configz, and the scan on --collect's configz. */
const VIA_CONFIGZ: ReadonlySet<Section> = new Set<Section>(['cis-4.2', 'kubelet-api', 'versions']);
/** …and on kubeadm's control-plane pods (control-plane.ts). */
const VIA_PODS: ReadonlySet<Section> = new Set<Section>(['control-plane', 'etcd']);

let cached: CatalogueEntry[] | undefined;

/** Every check, in the order docs/checks.md lists them: node checks by section, the scan's, then the cluster's own. */
export function catalogue(): CatalogueEntry[] {
  if (cached) return cached;
  const node = NODE_CHECKS.map(({ meta }) => {
    const commands: ReportCommand[] = ['node'];
    if (VIA_CONFIGZ.has(meta.section) && meta.section !== 'versions') commands.push('scan');
    if (VIA_CONFIGZ.has(meta.section) || VIA_PODS.has(meta.section)) commands.push('cluster');
    return fromMeta(meta, commands);
  });
  const scan = ENDPOINT_CHECKS.map(({ meta }) => fromMeta(meta, ['scan']));
  const cluster = Object.entries(CLUSTER_FINDINGS).map(([id, m]): CatalogueEntry => ({
    id, title: m.title, section: m.section, sectionTitle: SECTIONS[m.section], severity: m.severity, cis: [], rationale: m.rationale,
    failsWhen: m.failsWhen, commands: ['cluster'], docs: docsAnchor(id), helpUri: helpUri(id),
  }));
  // in docs/checks.md's order: sections in SECTIONS order, then the cluster findings
  const order = Object.keys(SECTIONS);
  const checks = [...node, ...scan].sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
  cached = [...checks, ...cluster];
  return cached;
}

/** One check's entry by id (a finding's `check`), or undefined. */
export function catalogueEntry(id: string): CatalogueEntry | undefined {
  byId ??= new Map(catalogue().map((c) => [c.id, c]));
  return byId.get(id);
}
let byId: Map<string, CatalogueEntry> | undefined;
