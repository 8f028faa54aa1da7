// `kubelet-guard checks`: the check catalogue (report/catalogue.ts) for people (a table) and for
// programs (JSON, with the contract's header): every check of node, scan and cluster with its
// section, severity, CIS ids, setting, rationale, remediation and its anchor in docs/checks.md.
// With --benchmark NAME: that profile's mapping (src/profiles) — each check with the profile's ids
// or beyond the benchmark, and the profile's controls no check judges, each with why.
import type { Io } from '../cli.ts';
import { catalogue, type CatalogueEntry } from '../report/catalogue.ts';
import { SCHEMA_VERSION } from '../report/contract.ts';
import pkg from '../../package.json' with { type: 'json' };
import { inert } from '../report/terminal.ts';
import { reportWidth, wrapText } from '../report/wrap.ts';
import { idsOf, profileNamed, sectionTitle } from '../profiles/index.ts';
import { profileTitle, type Profile } from '../profiles/types.ts';

export interface ChecksCommandOptions {
  format: 'table' | 'json';
  /** --benchmark NAME: list this profile's mapping */
  benchmark?: string;
}

export function runChecksCommand(opts: ChecksCommandOptions, io: Io): number {
  const profile = opts.benchmark !== undefined ? profileNamed(opts.benchmark) : undefined;
  if (opts.benchmark !== undefined && !profile) {
    io.err.write(`kubelet-guard: --benchmark ${inert(opts.benchmark)}: no such profile\n`);
    return 2;
  }
  // with a profile: the checks a node audit (or cluster) runs, each with the profile's ids; the scan's own are numbered by CIS Kubernetes v1.12 always
  const all = profile ? catalogue().filter((c) => c.commands.includes('node') || c.commands.includes('cluster')) : catalogue();
  const withIds = (c: CatalogueEntry) => {
    if (!profile) return c;
    const ids = idsOf(profile, c.id);
    return { ...c, benchmark: { profile: profile.name, ids, ...(ids.length === 0 ? { beyond: true as const } : {}) } };
  };
  if (opts.format === 'json') {
    const head = { schemaVersion: SCHEMA_VERSION, tool: { name: 'kubelet-guard', version: pkg.version } };
    io.out.write(`${JSON.stringify({ ...head, ...(profile ? { benchmark: profileJson(profile) } : {}), checks: all.map(withIds) }, null, 2)}\n`);
    return 0;
  }
  const width = reportWidth(io.out);
  const wrap = (text: string, indent: string) => wrapText(text, Math.max(20, width - indent.length)).split('\n').map((l) => `${indent}${l}`);
  const out: string[] = profile
    ? [`kubelet-guard ${pkg.version}: ${all.length} checks under ${profileTitle(profile)} (${profile.name}); "beyond benchmark" marks a check it has no control for`,
      ...wrap(`Read from ${profile.source.repository} ${profile.source.files.join(', ')} at ${profile.source.commit.slice(0, 12)}. ${profile.scope}`, '  ')]
    : [`kubelet-guard ${pkg.version}: ${all.length} checks (kubelet-guard checks --format json for every field)`];
  let section = '';
  for (const c of all) {
    const title = profile && c.commands.includes('node') ? sectionTitle(c.section, profile.name) : c.sectionTitle;
    const head = c.commands.includes('node') || c.commands.includes('scan') ? title : `Cluster: ${title}`;
    if (head !== section) {
      section = head;
      out.push('', head);
    }
    let ids: string;
    if (profile) {
      const mine = idsOf(profile, c.id);
      ids = mine.length ? ` ${profile.name} ${mine.join(', ')}` : ' beyond benchmark';
    } else ids = c.cis.length ? ` CIS ${c.cis.join(', ')}` : '';
    out.push(`  ${c.id}  ${c.severity}${ids}  [${c.commands.join(', ')}]`);
    out.push(...wrap(inert(c.title), '    '));
  }
  if (profile) {
    const left = profile.controls.filter((c) => !c.checks?.length);
    if (left.length > 0) {
      out.push('', `Controls of ${profile.name} no check judges (${left.length} of the ${profile.controls.length} listed)`);
      for (const c of left) {
        out.push(`  ${c.id}${c.title ? `  ${c.title}` : ''}${c.assessment ? ` (${c.assessment})` : ''}`);
        out.push(...wrap(`not mapped: ${c.unmapped ?? ''}`, '    '));
      }
    }
  }
  out.push('', `Each check's rationale and fix: docs/checks.md#ID (${catalogue()[0]?.helpUri.replace(/#.*$/, '') ?? ''}).`);
  io.out.write(`${out.join('\n')}\n`);
  return 0;
}

/** The profile as data, for programs: what it is, where it was read, every control listed and what judges it. */
function profileJson(p: Profile): object {
  return { profile: p.name, title: profileTitle(p), benchmark: p.benchmark, version: p.version, source: p.source, scope: p.scope, controls: p.controls };
}
