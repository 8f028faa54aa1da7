// Whether the kubelet would start with its effective configuration: the refusals the kubelet
// makes after reading its files and flags, as its version makes them. Pure (no I/O).
//
// Read from the Kubernetes sources:
//   - pkg/kubelet/apis/config/validation/validation.go ValidateKubeletConfiguration, run on the
//     effective config (flags over files) by cmd/kubelet/app/server.go: "failed to validate kubelet
//     configuration, error: [invalid configuration: …]"; the kubelet exits;
//   - cmd/kubelet/app/auth.go BuildAuthn/BuildAuthz (called from server.go run()): the mode must be
//     AlwaysAllow or Webhook ("unknown authorization mode X", "" is "no authorization mode
//     specified"); Webhook authentication or authorization without a client ("no client provided,
//     cannot use webhook authentication"), and there is no client without --kubeconfig
//     (server.go: standaloneMode when len(s.KubeConfig) == 0);
//   - cmd/kubelet/app/server.go InitializeTLS: tlsCipherSuites through cliflag.TLSCipherSuites
//     ("Cipher suite X not supported or doesn't exist"), tlsMinVersion through cliflag.TLSVersion
//     ("unknown tls version"); staging/src/k8s.io/component-base/cli/flag/ciphersuites_flag.go;
//   - feature gates: component-base featuregate SetFromMap ("unrecognized feature gate", locked
//     gates), per version from feature-gates.ts;
//   - flags the version removed: pflag refuses them ("unknown flag: --container-runtime"), from the
//     schema's removedIn.
//
// validation.go rules implemented: nodeLeaseDurationSeconds > 0; systemCgroups needs cgroupRoot;
// eventBurst, eventRecordQPS, kubeAPIQPS, kubeAPIBurst, registryPullQPS, registryBurst, maxPods,
// maxOpenFiles, podsPerCore not negative; nodeStatusMaxImages >= -1; healthzPort, port,
// readOnlyPort in 1..65535 (0 allowed where the kubelet allows it); oomScoreAdj in -1000..1000;
// imageGC thresholds in 0..100 and low < high; imageMinimumGCAge/imageMaximumGCAge not negative,
// max > min, max needs gate ImageMaximumGCAge; cpuCFSQuotaPeriod other than 100ms needs gate
// CustomCPUCFSQuotaPeriod; iptables bits in 0..31; maxParallelImagePulls >= 1 and > 1 only without
// serializeImagePulls; serverTLSBootstrap needs gate RotateKubeletServerCertificate;
// topologyManagerPolicy, topologyManagerScope, hairpinMode enums; enforceNodeAllocatable values,
// duplicates, "none" alone, the reserved cgroups it needs, cgroupsPerQOS; containerLogMaxFiles > 1;
// memoryThrottlingFactor in (0, 1]; enableSystemLogQuery needs gate NodeLogQuery and
// enableSystemLogHandler; imagePullCredentialsVerificationPolicy and
// preloadedImagesVerificationAllowlist need gate KubeletEnsureSecretPulledImages; podLogsDir
// absolute.
// Not implemented (and why): shutdown grace periods, memorySwap, crashLoopBackOff, memory
// reservation policy (gates and fields of recent releases whose defaults per version were not read
// here); taints, reservedSystemCPUs (cpuset syntax), reservedMemory, logging and tracing
// (component-base validators), showHiddenMetricsForVersion, the OS-specific rules, and runOnce
// (refused only from a release not read here). None of these is a security setting; each is a
// known gap, never a pass: a refusal not modelled leaves "accepted" to mean "none of the modelled
// refusals".
// The rules are applied as the newest validation.go read has them, to every version: the release
// that added each rule was not read (podLogsDir and the *-compressible enforcement keys are recent;
// an older kubelet ignores podLogsDir as an unknown field and refuses the compressible keys).
import type { Diagnostic, EffectiveConfig, EffectiveSetting, ParsedFlag, SettingValue } from '../facts/types.ts';
import { flagByName } from './kubelet-schema.ts';
import { parseGoDuration } from './go-duration.ts';
import { caseVariantOf, FEATURE_GATES, GATE_LIST_MINOR } from './feature-gates.ts';

export interface Refusal {
  /** the setting (v1beta1 path, `featureGates.NAME`) or flag (`--container-runtime`) refused */
  setting: string;
  value?: SettingValue;
  /** what the kubelet says, and why */
  message: string;
  file?: string;
  line?: number;
  /** set when the refusal depends on the kubelet version and that version is unknown: which versions refuse */
  versions?: string;
}

export interface ValidationInput {
  effective: EffectiveConfig;
  flags: readonly ParsedFlag[];
  /** the kubelet's version ("1.33.4", "v1.31.2-eks-…"), when known */
  version?: string;
  /**
   * 'warn': this kubelet build only warns about a feature gate it does not know (OpenShift carries
   * "UPSTREAM: <carry>: warn only about unknown feature gates"), so such a gate is no refusal;
   * a gate it knows but cannot set (locked) still is.
   */
  unknownFeatureGates?: 'warn';
  /** feature gate defaults of this kubelet build where they differ from upstream's (OpenShift: NodeLogQuery on) */
  gateDefaults?: Readonly<Record<string, boolean>>;
}

/** 1.x minor of a version string, or undefined. */
export function minorOf(version: string | undefined): number | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return undefined;
  return Number(m[1]) === 1 ? Number(m[2]) : Number(m[1]) > 1 ? 999 : undefined;
}

// Go crypto/tls CipherSuites() and InsecureCipherSuites() names (the same set in every Go release
// since 1.14, which every kubelet since 1.19 is built with; suites only move between the two lists)
// plus cliflag's two legacy CHACHA20 names.
const TLS_CIPHER_NAMES = new Set([
  'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA', 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
]);
const TLS_VERSIONS = new Set(['VersionTLS10', 'VersionTLS11', 'VersionTLS12', 'VersionTLS13']);

/**
 * An unknown version is taken to be at least 1.24 (dockershim gone; every supported kubelet is
 * newer): a gate known or on by default since then is not reported as depending on the version.
 * Removals are always reported as depending on an unknown version.
 */
export const OLDEST_MODELLED_MINOR = 24;

const ENFORCE_KEYS = new Set(['pods', 'system-reserved', 'system-reserved-compressible', 'kube-reserved', 'kube-reserved-compressible', 'none']);

/** Every refusal the kubelet would make, in a stable order (flags, gates, then settings). */
export function validateKubelet(inp: ValidationInput): Refusal[] {
  const out: Refusal[] = [];
  const minor = minorOf(inp.version);
  const eff = inp.effective;
  const known = (p: string): EffectiveSetting | undefined => {
    const s = eff[p];
    return s && !s.unknown ? s : undefined;
  };
  const refuse = (setting: string, message: string, versions?: string): void => {
    const s = eff[setting];
    out.push({
      setting,
      ...(s ? { value: s.value } : {}),
      message,
      ...(s?.source.file ? { file: s.source.file } : {}),
      ...(s?.source.line ? { line: s.source.line } : {}),
      ...(versions ? { versions } : {}),
    });
  };
  const num = (p: string): number | undefined => {
    const v = known(p)?.value;
    return typeof v === 'number' ? v : undefined;
  };
  const str = (p: string): string | undefined => {
    const v = known(p)?.value;
    return typeof v === 'string' ? v : undefined;
  };
  const bool = (p: string): boolean | undefined => {
    const v = known(p)?.value;
    return typeof v === 'boolean' ? v : undefined;
  };
  const ns = (p: string): bigint | undefined => {
    const v = str(p);
    return v === undefined ? undefined : parseGoDuration(v);
  };
  const invalid = (setting: string, what: string) => refuse(setting, `invalid configuration: ${what}`);

  // ---- flags the version removed (pflag: "unknown flag") -------------------------------------
  for (const f of inp.flags) {
    const spec = flagByName(f.name);
    const m = spec?.removedIn ? /^(<=)?1\.(\d+)$/.exec(spec.removedIn) : null;
    if (!m) continue;
    const gone = Number(m[2]);
    const bound = m[1] === '<=';
    const say = `unknown flag: --${f.name} (removed from the kubelet ${bound ? `by ${spec!.removedIn!.slice(2)}` : `in 1.${gone}`})`;
    const place = { ...(f.file ? { file: f.file } : {}), ...(f.line ? { line: f.line } : {}) };
    if (minor !== undefined && minor >= gone) out.push({ setting: `--${f.name}`, value: f.value, message: say, ...place });
    else if (minor === undefined) out.push({ setting: `--${f.name}`, value: f.value, message: say, ...place, versions: bound ? `1.${gone} and later, possibly earlier` : `1.${gone} and later` });
    else if (bound) out.push({ setting: `--${f.name}`, value: f.value, message: say, ...place, versions: `1.${minor} if the flag was already gone then (the release that removed it was not read)` });
  }

  // ---- feature gates (featuregate SetFromMap) --------------------------------------------------
  const gates = known('featureGates')?.value;
  const gateMap: Record<string, unknown> = gates && typeof gates === 'object' && !Array.isArray(gates) ? gates : {};
  for (const [name, on] of Object.entries(gateMap)) {
    const setting = `featureGates.${name}`;
    const spec = FEATURE_GATES[name];
    const unknownWarns = inp.unknownFeatureGates === 'warn';
    if (!spec && unknownWarns) continue;
    if (!spec) {
      const variant = caseVariantOf(name);
      if (variant) refuse(setting, `unrecognized feature gate: ${name} (gate names are case-sensitive: ${variant})`);
      else {
        // Not in the compact table: whether this kubelet knows it is not decided here.
        const s = eff[setting];
        out.push({
          setting,
          value: on as SettingValue,
          message: `feature gate ${name} is not in kubelet-guard's table of node feature gates (read at 1.${GATE_LIST_MINOR}); the kubelet refuses a gate it does not know ("unrecognized feature gate: ${name}")`,
          ...(s?.source.file ? { file: s.source.file } : {}),
          ...(s?.source.line ? { line: s.source.line } : {}),
          versions: `${minor === undefined ? 'any version' : `1.${minor}`} that does not know the gate`,
        });
      }
      continue;
    }
    if (!unknownWarns && spec.since > (minor === undefined ? OLDEST_MODELLED_MINOR : 0) && (minor === undefined || minor < spec.since)) {
      const say = `unrecognized feature gate: ${name} (introduced in 1.${spec.since})`;
      if (minor === undefined) refuse(setting, say, `before 1.${spec.since}`);
      else refuse(setting, say);
    }
    if (!unknownWarns && spec.removedIn !== undefined && (minor === undefined || minor >= spec.removedIn)) {
      const say = `unrecognized feature gate: ${name} (removed in 1.${spec.removedIn})`;
      refuse(setting, say, minor === undefined ? `1.${spec.removedIn} and later` : undefined);
    }
    const lockedTo = spec.lockedTo ?? true;
    if (spec.lockedSince !== undefined && on !== lockedTo && (minor === undefined || minor >= spec.lockedSince)) {
      const say = `cannot set feature gate ${name} to ${String(on)}, feature is locked to ${String(lockedTo)} (since 1.${spec.lockedSince})`;
      refuse(setting, say, minor === undefined ? `1.${spec.lockedSince} and later` : undefined);
    }
  }
  /** A gate's state: explicit, else its default for this version; undefined when that depends on an unknown version. */
  const gateOn = (name: string): boolean | 'depends' => {
    const explicit = gateMap[name];
    if (typeof explicit === 'boolean') return explicit;
    const built = inp.gateDefaults?.[name];
    if (typeof built === 'boolean') return built;
    const spec = FEATURE_GATES[name]!;
    if (spec.onSince === undefined) return false;
    if (minor === undefined) return spec.onSince <= OLDEST_MODELLED_MINOR ? true : 'depends';
    return minor >= spec.onSince;
  };
  const needsGate = (setting: string, gate: string, what: string): void => {
    const on = gateOn(gate);
    if (on === true) return;
    const since = FEATURE_GATES[gate]!.onSince;
    if (on === 'depends') refuse(setting, `invalid configuration: ${what} requires feature gate ${gate}, on by default from 1.${since} and not set here`, `before 1.${since}`);
    else invalid(setting, `${what} requires feature gate ${gate}${since !== undefined ? ` (on by default from 1.${since})` : ' (off by default)'}`);
  };

  // ---- validation.go ----------------------------------------------------------------------------
  const lease = num('nodeLeaseDurationSeconds');
  if (lease !== undefined && lease <= 0) invalid('nodeLeaseDurationSeconds', 'nodeLeaseDurationSeconds must be greater than 0');
  if ((str('systemCgroups') ?? '') !== '' && str('cgroupRoot') === '') invalid('systemCgroups', 'systemCgroups (--system-cgroups) was specified and cgroupRoot (--cgroup-root) was not specified');
  for (const [p, flag] of [
    ['eventBurst', 'event-burst'], ['eventRecordQPS', 'event-qps'], ['kubeAPIBurst', 'kube-api-burst'], ['kubeAPIQPS', 'kube-api-qps'],
    ['maxOpenFiles', 'max-open-files'], ['maxPods', 'max-pods'], ['podsPerCore', 'pods-per-core'], ['registryBurst', 'registry-burst'],
    ['registryPullQPS', 'registry-qps'],
  ] as const) {
    const v = num(p);
    if (v !== undefined && v < 0) invalid(p, `${p} (--${flag}) ${v} must not be a negative number`);
  }
  const maxImages = num('nodeStatusMaxImages');
  if (maxImages !== undefined && maxImages < -1) invalid('nodeStatusMaxImages', `nodeStatusMaxImages (--node-status-max-images) ${maxImages} must be -1 or greater`);
  const port = (p: string, flag: string, zeroOk: boolean) => {
    const v = num(p);
    if (v === undefined || (zeroOk && v === 0)) return;
    if (v < 1 || v > 65535) invalid(p, `${p} (--${flag}) ${v} must be between ${zeroOk ? 0 : 1} and 65535, inclusive`);
  };
  port('port', 'port', false);
  port('readOnlyPort', 'read-only-port', true);
  port('healthzPort', 'healthz-port', true);
  const oom = num('oomScoreAdj');
  if (oom !== undefined && (oom < -1000 || oom > 1000)) invalid('oomScoreAdj', `oomScoreAdj (--oom-score-adj) ${oom} must be between -1000 and 1000, inclusive`);
  const high = num('imageGCHighThresholdPercent');
  const low = num('imageGCLowThresholdPercent');
  if (high !== undefined && (high < 0 || high > 100)) invalid('imageGCHighThresholdPercent', `imageGCHighThresholdPercent (--image-gc-high-threshold) ${high} must be between 0 and 100, inclusive`);
  if (low !== undefined && (low < 0 || low > 100)) invalid('imageGCLowThresholdPercent', `imageGCLowThresholdPercent (--image-gc-low-threshold) ${low} must be between 0 and 100, inclusive`);
  if (high !== undefined && low !== undefined && low >= high) invalid('imageGCLowThresholdPercent', `imageGCLowThresholdPercent (--image-gc-low-threshold) ${low} must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) ${high}`);
  const minAge = ns('imageMinimumGCAge');
  const maxAge = ns('imageMaximumGCAge');
  if (minAge !== undefined && minAge < 0n) invalid('imageMinimumGCAge', `imageMinimumGCAge ${str('imageMinimumGCAge')} must not be negative`);
  if (maxAge !== undefined && maxAge < 0n) invalid('imageMaximumGCAge', `imageMaximumGCAge ${str('imageMaximumGCAge')} must not be negative`);
  if (maxAge !== undefined && maxAge > 0n && minAge !== undefined && maxAge <= minAge) invalid('imageMaximumGCAge', `imageMaximumGCAge ${str('imageMaximumGCAge')} must be greater than imageMinimumGCAge ${str('imageMinimumGCAge')}`);
  if (maxAge !== undefined && maxAge !== 0n) needsGate('imageMaximumGCAge', 'ImageMaximumGCAge', 'imageMaximumGCAge');
  const cfs = ns('cpuCFSQuotaPeriod');
  if (cfs !== undefined && cfs !== 100_000_000n) {
    const on = gateOn('CustomCPUCFSQuotaPeriod');
    if (on !== true) invalid('cpuCFSQuotaPeriod', `cpuCFSQuotaPeriod (--cpu-cfs-quota-period) ${str('cpuCFSQuotaPeriod')} requires feature gate CustomCPUCFSQuotaPeriod`);
    else if (cfs < 1_000_000n || cfs > 1_000_000_000n) invalid('cpuCFSQuotaPeriod', `cpuCFSQuotaPeriod (--cpu-cfs-quota-period) ${str('cpuCFSQuotaPeriod')} must be between 1ms and 1sec, inclusive`);
  }
  for (const [p, flag] of [['iptablesDropBit', 'iptables-drop-bit'], ['iptablesMasqueradeBit', 'iptables-masquerade-bit']] as const) {
    const v = num(p);
    if (v !== undefined && (v < 0 || v > 31)) invalid(p, `${p} (--${flag}) ${v} must be between 0 and 31, inclusive`);
  }
  const parallel = num('maxParallelImagePulls');
  // a pointer the defaulter leaves nil (no limit): only a value written somewhere is validated
  const parallelSource = known('maxParallelImagePulls')?.source.kind;
  if (parallel !== undefined && (parallelSource === 'config-file' || parallelSource === 'drop-in' || parallelSource === 'flag')) {
    if (parallel < 1) invalid('maxParallelImagePulls', `maxParallelImagePulls ${parallel} must be a positive number`);
    else if (parallel > 1 && bool('serializeImagePulls') === true) invalid('maxParallelImagePulls', 'maxParallelImagePulls cannot be larger than 1 unless SerializeImagePulls (--serialize-image-pulls) is set to false');
  }
  if (bool('serverTLSBootstrap') === true) needsGate('serverTLSBootstrap', 'RotateKubeletServerCertificate', 'serverTLSBootstrap true');
  const enumOf = (p: string, flag: string, allowed: readonly string[]) => {
    const v = str(p);
    if (v !== undefined && !allowed.includes(v)) invalid(p, `${p} (--${flag}) ${JSON.stringify(v)} must be one of: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  };
  enumOf('topologyManagerPolicy', 'topology-manager-policy', ['none', 'best-effort', 'restricted', 'single-numa-node']);
  enumOf('topologyManagerScope', 'topology-manager-scope', ['container', 'pod']);
  enumOf('hairpinMode', 'hairpin-mode', ['promiscuous-bridge', 'hairpin-veth', 'none']);

  const enforce = known('enforceNodeAllocatable')?.value;
  if (Array.isArray(enforce)) {
    const seen = new Set<string>();
    for (const val of enforce) {
      if (seen.has(val)) { invalid('enforceNodeAllocatable', `duplicated enforcements ${JSON.stringify(val)} in enforceNodeAllocatable (--enforce-node-allocatable)`); continue; }
      seen.add(val);
      if (!ENFORCE_KEYS.has(val)) { invalid('enforceNodeAllocatable', `option ${JSON.stringify(val)} specified for enforceNodeAllocatable (--enforce-node-allocatable); valid options are "pods", "system-reserved", "system-reserved-compressible", "kube-reserved", "kube-reserved-compressible" or "none"`); continue; }
      if (val === 'none') {
        if (enforce.length > 1) invalid('enforceNodeAllocatable', 'enforceNodeAllocatable (--enforce-node-allocatable) may not contain additional enforcements when "none" is specified');
        continue;
      }
      if (val.startsWith('system-reserved') && (str('systemReservedCgroup') ?? '') === '') invalid('enforceNodeAllocatable', `systemReservedCgroup (--system-reserved-cgroup) must be specified when ${JSON.stringify(val)} is included in enforceNodeAllocatable`);
      if (val.startsWith('kube-reserved') && (str('kubeReservedCgroup') ?? '') === '') invalid('enforceNodeAllocatable', `kubeReservedCgroup (--kube-reserved-cgroup) must be specified when ${JSON.stringify(val)} is included in enforceNodeAllocatable`);
      if (bool('cgroupsPerQOS') === false) invalid('enforceNodeAllocatable', `cgroupsPerQOS (--cgroups-per-qos) must be set to true when ${JSON.stringify(val)} contained in enforceNodeAllocatable (--enforce-node-allocatable)`);
    }
  }
  const logFiles = num('containerLogMaxFiles');
  if (logFiles !== undefined && logFiles <= 1) invalid('containerLogMaxFiles', 'containerLogMaxFiles must be greater than 1');
  const throttling = num('memoryThrottlingFactor');
  if (throttling !== undefined && (throttling <= 0 || throttling > 1)) invalid('memoryThrottlingFactor', `memoryThrottlingFactor ${throttling} must be greater than 0 and less than or equal to 1.0`);
  if (bool('enableSystemLogQuery') === true) {
    needsGate('enableSystemLogQuery', 'NodeLogQuery', 'enableSystemLogQuery');
    if (bool('enableSystemLogHandler') === false) invalid('enableSystemLogQuery', 'enableSystemLogHandler is required for enableSystemLogQuery');
  }
  if ((str('imagePullCredentialsVerificationPolicy') ?? '') !== '') {
    const on = gateOn('KubeletEnsureSecretPulledImages');
    const v = str('imagePullCredentialsVerificationPolicy')!;
    if (on !== true) needsGate('imagePullCredentialsVerificationPolicy', 'KubeletEnsureSecretPulledImages', '`imagePullCredentialsVerificationPolicy`');
    else if (!['NeverVerify', 'NeverVerifyPreloadedImages', 'NeverVerifyAllowlistedImages', 'AlwaysVerify'].includes(v)) {
      invalid('imagePullCredentialsVerificationPolicy', `option ${JSON.stringify(v)} specified for imagePullCredentialsVerificationPolicy; valid options are "NeverVerify", "NeverVerifyPreloadedImages", "NeverVerifyAllowlistedImages" or "AlwaysVerify"`);
    }
  }
  const allow = known('preloadedImagesVerificationAllowlist')?.value;
  if (Array.isArray(allow) && allow.length > 0) {
    if (gateOn('KubeletEnsureSecretPulledImages') !== true) needsGate('preloadedImagesVerificationAllowlist', 'KubeletEnsureSecretPulledImages', '`preloadedImagesVerificationAllowlist`');
    else if (str('imagePullCredentialsVerificationPolicy') !== 'NeverVerifyAllowlistedImages') invalid('preloadedImagesVerificationAllowlist', "can't set `preloadedImagesVerificationAllowlist` if `imagePullCredentialsVerificationPolicy` is not \"NeverVerifyAllowlistedImages\"");
  }
  const logsDir = str('podLogsDir');
  if (logsDir !== undefined && (logsDir === '' || !logsDir.startsWith('/'))) invalid('podLogsDir', logsDir === '' ? 'podLogsDir was not specified' : `pod logs path ${JSON.stringify(logsDir)} must be absolute path`);

  // ---- start-up: auth.go and InitializeTLS (server.go) -------------------------------------------
  const mode = str('authorization.mode');
  if (mode === '') refuse('authorization.mode', 'no authorization mode specified (BuildAuthz): authorization.mode must be AlwaysAllow or Webhook');
  else if (mode !== undefined && mode !== 'AlwaysAllow' && mode !== 'Webhook') refuse('authorization.mode', `unknown authorization mode ${mode} (BuildAuthz): the kubelet knows only AlwaysAllow and Webhook`);
  const kubeconfig = known('--kubeconfig');
  if (kubeconfig && kubeconfig.value === '') {
    // standalone mode: no API client, so no webhook
    if (bool('authentication.webhook.enabled') === true) refuse('authentication.webhook.enabled', 'no client provided, cannot use webhook authentication (BuildAuthn): webhook authentication needs --kubeconfig');
    if (mode === 'Webhook') refuse('authorization.mode', 'no client provided, cannot use webhook authorization (BuildAuthz): Webhook authorization needs --kubeconfig');
  }
  const suites = known('tlsCipherSuites')?.value;
  if (Array.isArray(suites)) {
    const bad = suites.find((s) => !TLS_CIPHER_NAMES.has(s));
    if (bad !== undefined) refuse('tlsCipherSuites', `Cipher suite ${bad} not supported or doesn't exist (cliflag.TLSCipherSuites)`);
  }
  const minTls = str('tlsMinVersion');
  if (minTls !== undefined && minTls !== '' && !TLS_VERSIONS.has(minTls)) refuse('tlsMinVersion', `unknown tls version ${JSON.stringify(minTls)} (cliflag.TLSVersion): expected VersionTLS10, VersionTLS11, VersionTLS12 or VersionTLS13`);

  return out;
}

/** The refusals as fatal diagnostics (kubelet-config-accepted reports them; `versions` when they depend on an unknown version). */
export function refusalDiagnostics(inp: ValidationInput): Diagnostic[] {
  return validateKubelet(inp).map((r): Diagnostic => ({
    code: r.setting.startsWith('--') ? 'flag-removed' : r.setting.startsWith('featureGates.') ? 'feature-gate-refused' : 'config-refused',
    severity: 'high',
    message: `${r.setting}${r.value === undefined || r.setting.startsWith('featureGates.') ? '' : ` ${JSON.stringify(r.value)}`}: ${r.message}`,
    ...(r.file ? { file: r.file } : {}),
    ...(r.line ? { line: r.line } : {}),
    fatal: true,
    ...(r.versions ? { versions: r.versions } : {}),
  }));
}
