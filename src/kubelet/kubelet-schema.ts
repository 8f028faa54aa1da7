// The kubelet's configuration surface, as data: every field of KubeletConfiguration v1beta1 and
// every command-line flag the kubelet binary registers. Read from the Kubernetes sources:
//   - staging/src/k8s.io/kubelet/config/v1beta1/types.go      (fields, json names, Go pointers)
//   - pkg/kubelet/apis/config/v1beta1/defaults.go             (SetDefaults_KubeletConfiguration)
//   - cmd/kubelet/app/options/options.go                       (KubeletFlags.AddFlags,
//     AddKubeletConfigFlags, applyLegacyDefaults)
//   - pkg/kubelet/config/flags.go                              (ContainerRuntimeOptions.AddFlags)
//   - cmd/kubelet/app/options/globalflags*.go, osflags_windows.go (global, cadvisor, OS flags)
//   - cmd/kubelet/app/server.go                                (--help, loadConfigFile, seccomp OR)
//   - staging/src/k8s.io/component-base/logs/api/v1/options.go (logging flags and defaults)
// Plain data; the only code is two lookups over Maps built once at import (no I/O).

export type FieldType = 'bool' | 'int32' | 'int64' | 'float' | 'string' | 'duration' | 'stringList' | 'stringMap' | 'boolMap' | 'object' | 'objectList';

export type DefaultValue = boolean | number | string | string[] | Record<string, unknown>;

export interface FieldSpec {
  path: string; // v1beta1 JSON path, dotted: 'authentication.anonymous.enabled', 'readOnlyPort', 'featureGates'
  type: FieldType; // 'duration' for metav1.Duration; maps typed per value; 'object' for unexpanded structs and resource maps
  pointer: boolean; // Go pointer field: an explicit zero/false is kept by the defaulter
  default?: DefaultValue; // v1beta1 defaulter's value; absent = not defaulted. Durations as Go's Duration.String()
  flag?: string; // the kubelet flag bound to this field, without dashes
  flagDefault?: DefaultValue; // ONLY where the value without --config differs from `default` (applyLegacyDefaults)

  // ---- additions ----
  /** The field's Go type as written in types.go ('*int32', 'metav1.Duration', 'map[string][]string'). */
  goType?: string;
  /**
   * When the defaulter applies `default`, where that is not what `pointer` implies (pointer: only
   * when absent/null; non-pointer: when the zero value):
   * - 'nil': only when absent/null, although the Go type is a slice (an explicit [] is kept);
   * - 'nilOrNegative': when absent/null or negative (podPidsLimit);
   * - 'perKey': `default` is an object whose keys are defaulted one by one when zero
   *   (logging: logsapi.SetRecommendedLoggingConfiguration; crashLoopBackOff).
   */
  defaultWhen?: 'nil' | 'nilOrNegative' | 'perKey';
  /**
   * The default depends on another field of the same input document:
   * - 'copy-when-set': the other field's value when it is set (non-zero), else `default`;
   * - 'false-when-at-least-2': false when the other field is set and >= 2, else `default`.
   */
  defaultDependsOn?: { field: string; rule: 'copy-when-set' | 'false-when-at-least-2' };
  /** A default the defaulter applies only when a feature gate is enabled (then as for `default`). */
  gatedDefault?: { gate: string; value: DefaultValue };
  /**
   * Not the defaulter: applied by cmd/kubelet/app/server.go loadConfigFile when the field is nil
   * after reading the --config file (evictionHard, pkg/kubelet/eviction/defaults_linux.go). Not
   * applied without --config.
   */
  configFileDefault?: DefaultValue;
  /** types.go documents this default, but the defaulter read (defaults.go) does not set it. */
  docDefault?: DefaultValue;
  /** types.go marks the field deprecated. */
  deprecated?: string;
  note?: string;
}

export interface FlagSpec {
  name: string; // without dashes, e.g. 'anonymous-auth', 'v'
  shorthand?: string; // 'v', 'h'
  kind: 'bool' | 'int' | 'float' | 'string' | 'duration' | 'stringSlice' | 'mapStringString' | 'mapStringBool' | 'other';
  setting?: string; // FieldSpec.path it sets, when it is a config flag
  deprecated?: string; // deprecation message, if any

  // ---- additions ----
  /** Where the flag is registered: options.go KubeletFlags.AddFlags (incl. ContainerRuntimeOptions
   *  and OS flags), AddKubeletConfigFlags (bound to the config; re-applied over --config by
   *  kubeletConfigFlagPrecedence), AddGlobalFlags (klog, cadvisor, verflag, credential providers),
   *  or server.go itself (--help). */
  source?: 'KubeletFlags' | 'KubeletConfiguration' | 'global' | 'command';
  /** For a flag that sets one key inside an 'object' setting: the dotted key ('verbosity' in logging). */
  settingKey?: string;
  /** 'or': the flag is a KubeletFlags field, not bound to the config; the kubelet uses flag || config. */
  combine?: 'or';
  /** pflag NoOptDefVal: the value when given without '=' (the next word is then not consumed).
   *  Bool flags always behave so with 'true'. */
  noOptDefVal?: string;
  /** Syntax of map-valued flags (cliflag types): 'key=value' (MapStringString / ConfigurationMap,
   *  comma-separated), 'key<value' (LangleSeparatedMapStringString), 'key=value-nosplit'
   *  (MapStringStringNoSplit: one pair per use, repeat the flag), 'key:value-multimap'
   *  (ColonSeparatedMultimapStringString). */
  mapFormat?: 'key=value' | 'key<value' | 'key=value-nosplit' | 'key:value-multimap';
  /** Registered only in builds for this OS. */
  os?: 'linux' | 'windows';
  /** Hidden from --help (pflag MarkDeprecated), still accepted. */
  hidden?: boolean;
  /** The first release without the flag (the kubelet then refuses it as unknown). A bound such as
   *  '<=1.34' where only that is known. Absent = still registered in the newest source read. */
  removedIn?: string;
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// KubeletConfiguration v1beta1 (types.go), leaves. Defaults from defaults.go
// SetDefaults_KubeletConfiguration. Flags from options.go AddKubeletConfigFlags.
// ---------------------------------------------------------------------------------------------

export const V1BETA1_FIELDS: readonly FieldSpec[] = [
  { path: 'enableServer', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'enable-server' },
  // staticPodPath <-> --pod-manifest-path (options.go)
  { path: 'staticPodPath', type: 'string', pointer: false, goType: 'string', flag: 'pod-manifest-path' },
  { path: 'podLogsDir', type: 'string', pointer: false, goType: 'string', default: '/var/log/pods', note: 'DefaultPodLogsDir in defaults.go; types.go documents "/var/log/pods/"' },
  { path: 'syncFrequency', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '1m0s', flag: 'sync-frequency' },
  { path: 'fileCheckFrequency', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '20s', flag: 'file-check-frequency' },
  { path: 'httpCheckFrequency', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '20s', flag: 'http-check-frequency' },
  // staticPodURL <-> --manifest-url (options.go)
  { path: 'staticPodURL', type: 'string', pointer: false, goType: 'string', flag: 'manifest-url' },
  { path: 'staticPodURLHeader', type: 'object', pointer: false, goType: 'map[string][]string', flag: 'manifest-url-header', note: 'a map of header name to a list of values' },
  { path: 'address', type: 'string', pointer: false, goType: 'string', default: '0.0.0.0', flag: 'address' },
  { path: 'port', type: 'int32', pointer: false, goType: 'int32', default: 10250, flag: 'port' },
  // readOnlyPort is not defaulted (0 = disabled); without --config the flag default is 10255
  // (applyLegacyDefaults, options.go: kc.ReadOnlyPort = ports.KubeletReadOnlyPort).
  { path: 'readOnlyPort', type: 'int32', pointer: false, goType: 'int32', flag: 'read-only-port', flagDefault: 10255 },
  { path: 'tlsCertFile', type: 'string', pointer: false, goType: 'string', flag: 'tls-cert-file' },
  { path: 'tlsPrivateKeyFile', type: 'string', pointer: false, goType: 'string', flag: 'tls-private-key-file' },
  // tlsCipherSuites is a []string; --tls-cipher-suites is a pflag stringSlice (options.go)
  { path: 'tlsCipherSuites', type: 'stringList', pointer: false, goType: '[]string', flag: 'tls-cipher-suites' },
  { path: 'tlsCurvePreferences', type: 'objectList', pointer: false, goType: '[]int32', note: 'a list of numeric crypto/tls CurveID values (integers); typed objectList for want of an int list type' },
  { path: 'tlsMinVersion', type: 'string', pointer: false, goType: 'string', flag: 'tls-min-version' },
  { path: 'rotateCertificates', type: 'bool', pointer: false, goType: 'bool', flag: 'rotate-certificates' },
  // serverTLSBootstrap <-> --rotate-server-certificates (options.go)
  { path: 'serverTLSBootstrap', type: 'bool', pointer: false, goType: 'bool', flag: 'rotate-server-certificates' },

  // authentication (KubeletAuthentication)
  { path: 'authentication.x509.clientCAFile', type: 'string', pointer: false, goType: 'string', flag: 'client-ca-file' },
  // applyLegacyDefaults: --authentication-token-webhook defaults to false without --config
  { path: 'authentication.webhook.enabled', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'authentication-token-webhook', flagDefault: false },
  { path: 'authentication.webhook.cacheTTL', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '2m0s', flag: 'authentication-token-webhook-cache-ttl' },
  // applyLegacyDefaults: --anonymous-auth defaults to true without --config
  { path: 'authentication.anonymous.enabled', type: 'bool', pointer: true, goType: '*bool', default: false, flag: 'anonymous-auth', flagDefault: true },
  // authorization (KubeletAuthorization); mode is non-pointer: "" is defaulted to Webhook.
  // applyLegacyDefaults: --authorization-mode defaults to AlwaysAllow without --config
  { path: 'authorization.mode', type: 'string', pointer: false, goType: 'KubeletAuthorizationMode', default: 'Webhook', flag: 'authorization-mode', flagDefault: 'AlwaysAllow' },
  // authorization.webhook.cacheAuthorizedTTL <-> --authorization-webhook-cache-authorized-ttl (options.go)
  { path: 'authorization.webhook.cacheAuthorizedTTL', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '5m0s', flag: 'authorization-webhook-cache-authorized-ttl' },
  { path: 'authorization.webhook.cacheUnauthorizedTTL', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '30s', flag: 'authorization-webhook-cache-unauthorized-ttl' },

  { path: 'registryPullQPS', type: 'int32', pointer: true, goType: '*int32', default: 5, flag: 'registry-qps' },
  { path: 'registryBurst', type: 'int32', pointer: false, goType: 'int32', default: 10, flag: 'registry-burst' },
  { path: 'imagePullCredentialsVerificationPolicy', type: 'string', pointer: false, goType: 'ImagePullCredentialsVerificationPolicy', gatedDefault: { gate: 'KubeletEnsureSecretPulledImages', value: 'NeverVerifyPreloadedImages' } },
  { path: 'preloadedImagesVerificationAllowlist', type: 'stringList', pointer: false, goType: '[]string' },
  // eventRecordQPS <-> --event-qps (options.go)
  { path: 'eventRecordQPS', type: 'int32', pointer: true, goType: '*int32', default: 50, flag: 'event-qps' },
  { path: 'eventBurst', type: 'int32', pointer: false, goType: 'int32', default: 100, flag: 'event-burst' },
  { path: 'enableDebuggingHandlers', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'enable-debugging-handlers' },
  // enableContentionProfiling <-> --contention-profiling (options.go)
  { path: 'enableContentionProfiling', type: 'bool', pointer: false, goType: 'bool', flag: 'contention-profiling' },
  // healthzPort is a *int32: an explicit 0 (disabled) is kept
  { path: 'healthzPort', type: 'int32', pointer: true, goType: '*int32', default: 10248, flag: 'healthz-port' },
  { path: 'healthzBindAddress', type: 'string', pointer: false, goType: 'string', default: '127.0.0.1', flag: 'healthz-bind-address' },
  { path: 'oomScoreAdj', type: 'int32', pointer: true, goType: '*int32', default: -999, flag: 'oom-score-adj' },
  { path: 'clusterDomain', type: 'string', pointer: false, goType: 'string', flag: 'cluster-domain' },
  { path: 'clusterDNS', type: 'stringList', pointer: false, goType: '[]string', flag: 'cluster-dns' },
  // non-pointer: an explicit 0s is replaced by 4h (defaults.go)
  { path: 'streamingConnectionIdleTimeout', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '4h0m0s', flag: 'streaming-connection-idle-timeout', deprecated: 'no longer has any effect (types.go)' },
  { path: 'nodeStatusUpdateFrequency', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '10s', flag: 'node-status-update-frequency' },
  // defaults.go: 5m, or nodeStatusUpdateFrequency when that one is set explicitly
  { path: 'nodeStatusReportFrequency', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '5m0s', defaultDependsOn: { field: 'nodeStatusUpdateFrequency', rule: 'copy-when-set' } },
  { path: 'nodeLeaseDurationSeconds', type: 'int32', pointer: false, goType: 'int32', default: 40 },
  { path: 'imageMinimumGCAge', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '2m0s', flag: 'minimum-image-ttl-duration' },
  { path: 'imageMaximumGCAge', type: 'duration', pointer: false, goType: 'metav1.Duration', note: '0s (disabled) is not defaulted' },
  { path: 'imageGCHighThresholdPercent', type: 'int32', pointer: true, goType: '*int32', default: 85, flag: 'image-gc-high-threshold' },
  { path: 'imageGCLowThresholdPercent', type: 'int32', pointer: true, goType: '*int32', default: 80, flag: 'image-gc-low-threshold' },
  { path: 'volumeStatsAggPeriod', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '1m0s', flag: 'volume-stats-agg-period' },
  { path: 'kubeletCgroups', type: 'string', pointer: false, goType: 'string', flag: 'kubelet-cgroups' },
  { path: 'systemCgroups', type: 'string', pointer: false, goType: 'string', flag: 'system-cgroups' },
  { path: 'cgroupRoot', type: 'string', pointer: false, goType: 'string', flag: 'cgroup-root' },
  { path: 'cgroupsPerQOS', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'cgroups-per-qos' },
  { path: 'cgroupDriver', type: 'string', pointer: false, goType: 'string', default: 'cgroupfs', flag: 'cgroup-driver' },
  { path: 'cpuManagerPolicy', type: 'string', pointer: false, goType: 'string', default: 'none', flag: 'cpu-manager-policy' },
  { path: 'singleProcessOOMKill', type: 'bool', pointer: true, goType: '*bool', note: 'not defaulted; null/absent means decided at runtime (false on cgroup v2)' },
  { path: 'cpuManagerPolicyOptions', type: 'stringMap', pointer: false, goType: 'map[string]string', flag: 'cpu-manager-policy-options' },
  { path: 'cpuManagerReconcilePeriod', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '10s', flag: 'cpu-manager-reconcile-period' },
  { path: 'draManagerReconcilePeriod', type: 'duration', pointer: false, goType: 'metav1.Duration', docDefault: '1m0s', note: 'newest types.go only; its "Default: 60s" is not set by the defaults.go read' },
  { path: 'memoryManagerPolicy', type: 'string', pointer: false, goType: 'string', default: 'None', flag: 'memory-manager-policy' },
  { path: 'topologyManagerPolicy', type: 'string', pointer: false, goType: 'string', default: 'none', flag: 'topology-manager-policy' },
  { path: 'topologyManagerScope', type: 'string', pointer: false, goType: 'string', default: 'container', flag: 'topology-manager-scope' },
  { path: 'topologyManagerPolicyOptions', type: 'stringMap', pointer: false, goType: 'map[string]string', flag: 'topology-manager-policy-options' },
  { path: 'qosReserved', type: 'stringMap', pointer: false, goType: 'map[string]string', flag: 'qos-reserved' },
  { path: 'runtimeRequestTimeout', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '2m0s', flag: 'runtime-request-timeout' },
  { path: 'hairpinMode', type: 'string', pointer: false, goType: 'string', default: 'promiscuous-bridge', flag: 'hairpin-mode' },
  { path: 'maxPods', type: 'int32', pointer: false, goType: 'int32', default: 110, flag: 'max-pods' },
  { path: 'podCIDR', type: 'string', pointer: false, goType: 'string', flag: 'pod-cidr' },
  // podPidsLimit <-> --pod-max-pids; defaults.go: nil or negative -> -1
  { path: 'podPidsLimit', type: 'int64', pointer: true, goType: '*int64', default: -1, defaultWhen: 'nilOrNegative', flag: 'pod-max-pids' },
  // json name resolvConf (Go field ResolverConfig); pointer: an explicit "" (no DNS) is kept
  { path: 'resolvConf', type: 'string', pointer: true, goType: '*string', default: '/etc/resolv.conf', flag: 'resolv-conf' },
  { path: 'runOnce', type: 'bool', pointer: false, goType: 'bool', flag: 'runonce' },
  { path: 'cpuCFSQuota', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'cpu-cfs-quota' },
  { path: 'cpuCFSQuotaPeriod', type: 'duration', pointer: true, goType: '*metav1.Duration', default: '100ms', flag: 'cpu-cfs-quota-period' },
  { path: 'nodeStatusMaxImages', type: 'int32', pointer: true, goType: '*int32', default: 50, flag: 'node-status-max-images' },
  { path: 'maxOpenFiles', type: 'int64', pointer: false, goType: 'int64', default: 1000000, flag: 'max-open-files' },
  { path: 'contentType', type: 'string', pointer: false, goType: 'string', default: 'application/vnd.kubernetes.protobuf', flag: 'kube-api-content-type' },
  { path: 'kubeAPIQPS', type: 'int32', pointer: true, goType: '*int32', default: 50, flag: 'kube-api-qps' },
  { path: 'kubeAPIBurst', type: 'int32', pointer: false, goType: 'int32', default: 100, flag: 'kube-api-burst' },
  // defaults.go: true, unless maxParallelImagePulls is set and >= 2 (then false)
  { path: 'serializeImagePulls', type: 'bool', pointer: true, goType: '*bool', default: true, defaultDependsOn: { field: 'maxParallelImagePulls', rule: 'false-when-at-least-2' }, flag: 'serialize-image-pulls' },
  { path: 'maxParallelImagePulls', type: 'int32', pointer: true, goType: '*int32', note: 'not defaulted; nil means no limit' },
  // evictionHard etc. are map[string]string; --eviction-hard/--eviction-soft take "signal<quantity"
  // pairs (cliflag.LangleSeparatedMapStringString), the other eviction maps "key=value".
  // The defaulter does not default evictionHard; server.go loadConfigFile does, when --config is
  // given and the field is nil (pkg/kubelet/eviction/defaults_linux.go).
  { path: 'evictionHard', type: 'stringMap', pointer: false, goType: 'map[string]string', flag: 'eviction-hard', configFileDefault: { 'memory.available': '100Mi', 'nodefs.available': '10%', 'nodefs.inodesFree': '5%', 'imagefs.available': '15%' }, note: 'configFileDefault is the Linux set; without --config nothing defaults it. mergeDefaultEvictionSettings changes how a partial map combines with the defaults' },
  { path: 'evictionSoft', type: 'stringMap', pointer: false, goType: 'map[string]string', flag: 'eviction-soft' },
  { path: 'evictionSoftGracePeriod', type: 'stringMap', pointer: false, goType: 'map[string]string', flag: 'eviction-soft-grace-period' },
  { path: 'evictionPressureTransitionPeriod', type: 'duration', pointer: false, goType: 'metav1.Duration', default: '5m0s', flag: 'eviction-pressure-transition-period' },
  { path: 'evictionMaxPodGracePeriod', type: 'int32', pointer: false, goType: 'int32', flag: 'eviction-max-pod-grace-period' },
  { path: 'evictionMinimumReclaim', type: 'stringMap', pointer: false, goType: 'map[string]string', flag: 'eviction-minimum-reclaim' },
  { path: 'mergeDefaultEvictionSettings', type: 'bool', pointer: true, goType: '*bool', default: false },
  { path: 'podsPerCore', type: 'int32', pointer: false, goType: 'int32', flag: 'pods-per-core' },
  { path: 'enableControllerAttachDetach', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'enable-controller-attach-detach' },
  { path: 'protectKernelDefaults', type: 'bool', pointer: false, goType: 'bool', flag: 'protect-kernel-defaults' },
  { path: 'makeIPTablesUtilChains', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'make-iptables-util-chains' },
  { path: 'iptablesMasqueradeBit', type: 'int32', pointer: true, goType: '*int32', default: 14, flag: 'iptables-masquerade-bit', deprecated: 'no longer has any effect (types.go)' },
  { path: 'iptablesDropBit', type: 'int32', pointer: true, goType: '*int32', default: 15, flag: 'iptables-drop-bit', deprecated: 'no longer has any effect (types.go)' },
  // featureGates is map[string]bool; --feature-gates is cliflag.MapStringBool (options.go). Flag
  // gates merge over the config's: kubeletConfigFlagPrecedence (server.go) adds back config gates
  // the flags do not name.
  { path: 'featureGates', type: 'boolMap', pointer: false, goType: 'map[string]bool', flag: 'feature-gates' },
  { path: 'failSwapOn', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'fail-swap-on' },
  { path: 'memorySwap.swapBehavior', type: 'string', pointer: false, goType: 'string', note: '"" means NoSwap' },
  { path: 'containerLogMaxSize', type: 'string', pointer: false, goType: 'string', default: '10Mi', flag: 'container-log-max-size' },
  { path: 'containerLogMaxFiles', type: 'int32', pointer: true, goType: '*int32', default: 5, flag: 'container-log-max-files' },
  { path: 'containerLogMaxWorkers', type: 'int32', pointer: true, goType: '*int32', default: 1 },
  { path: 'containerLogMonitorInterval', type: 'duration', pointer: true, goType: '*metav1.Duration', default: '10s' },
  { path: 'configMapAndSecretChangeDetectionStrategy', type: 'string', pointer: false, goType: 'ResourceChangeDetectionStrategy', default: 'Watch' },
  { path: 'systemReserved', type: 'stringMap', pointer: false, goType: 'map[string]string', flag: 'system-reserved' },
  { path: 'kubeReserved', type: 'stringMap', pointer: false, goType: 'map[string]string', flag: 'kube-reserved' },
  { path: 'reservedSystemCPUs', type: 'string', pointer: false, goType: 'string', flag: 'reserved-cpus' },
  { path: 'showHiddenMetricsForVersion', type: 'string', pointer: false, goType: 'string' },
  { path: 'systemReservedCgroup', type: 'string', pointer: false, goType: 'string', flag: 'system-reserved-cgroup' },
  { path: 'kubeReservedCgroup', type: 'string', pointer: false, goType: 'string', flag: 'kube-reserved-cgroup' },
  // enforceNodeAllocatable: defaults.go defaults it only when nil, so an explicit [] stays [].
  { path: 'enforceNodeAllocatable', type: 'stringList', pointer: false, goType: '[]string', default: ['pods'], defaultWhen: 'nil', flag: 'enforce-node-allocatable' },
  { path: 'allowedUnsafeSysctls', type: 'stringList', pointer: false, goType: '[]string', flag: 'allowed-unsafe-sysctls' },
  { path: 'volumePluginDir', type: 'string', pointer: false, goType: 'string', default: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/', flag: 'volume-plugin-dir' },
  { path: 'providerID', type: 'string', pointer: false, goType: 'string', flag: 'provider-id' },
  { path: 'kernelMemcgNotification', type: 'bool', pointer: false, goType: 'bool', flag: 'kernel-memcg-notification' },
  // logging (logsapi.LoggingConfiguration), not expanded. Defaulted key by key by
  // SetRecommendedLoggingConfiguration. Its flags (-v, --vmodule, --logging-format, ...) carry
  // FlagSpec.setting 'logging' and a settingKey.
  { path: 'logging', type: 'object', pointer: false, goType: 'logsapi.LoggingConfiguration', default: { format: 'text', flushFrequency: '5s', options: { text: { infoBufferSize: '0' }, json: { infoBufferSize: '0' } } }, defaultWhen: 'perKey' },
  { path: 'enableSystemLogHandler', type: 'bool', pointer: true, goType: '*bool', default: true },
  { path: 'enableSystemLogQuery', type: 'bool', pointer: true, goType: '*bool', docDefault: false, note: 'not defaulted: nil acts as false' },
  { path: 'shutdownGracePeriod', type: 'duration', pointer: false, goType: 'metav1.Duration' },
  { path: 'shutdownGracePeriodCriticalPods', type: 'duration', pointer: false, goType: 'metav1.Duration' },
  { path: 'shutdownGracePeriodByPodPriority', type: 'objectList', pointer: false, goType: '[]ShutdownGracePeriodByPodPriority' },
  { path: 'crashLoopBackOff', type: 'object', pointer: false, goType: 'CrashLoopBackOffConfig', defaultWhen: 'perKey', gatedDefault: { gate: 'KubeletCrashLoopBackOffMax', value: { maxContainerRestartPeriod: '5m0s' } } },
  { path: 'reservedMemory', type: 'objectList', pointer: false, goType: '[]MemoryReservation', flag: 'reserved-memory' },
  { path: 'enableProfilingHandler', type: 'bool', pointer: true, goType: '*bool', default: true },
  { path: 'enableDebugFlagsHandler', type: 'bool', pointer: true, goType: '*bool', default: true },
  // seccompDefault: --seccomp-default is a KubeletFlags field, not bound to this field; server.go
  // passes `KubeletFlags.SeccompDefault || KubeletConfiguration.SeccompDefault` to the kubelet.
  { path: 'seccompDefault', type: 'bool', pointer: true, goType: '*bool', default: false, flag: 'seccomp-default', note: 'effective value = --seccomp-default OR this field (server.go)' },
  { path: 'memoryThrottlingFactor', type: 'float', pointer: true, goType: '*float64', default: 0.9 },
  { path: 'memoryReservationPolicy', type: 'string', pointer: false, goType: 'MemoryReservationPolicy', docDefault: 'None', note: 'newest types.go only; not set by the defaults.go read' },
  // registerWithTaints is []v1.Taint; --register-with-taints takes "key=value:Effect,..."
  { path: 'registerWithTaints', type: 'objectList', pointer: false, goType: '[]v1.Taint', flag: 'register-with-taints' },
  { path: 'registerNode', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'register-node' },
  { path: 'tracing', type: 'object', pointer: true, goType: '*tracingapi.TracingConfiguration' },
  { path: 'localStorageCapacityIsolation', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'local-storage-capacity-isolation' },
  // containerRuntimeEndpoint: defaults.go sets unix:///run/containerd/containerd.sock when ""
  { path: 'containerRuntimeEndpoint', type: 'string', pointer: false, goType: 'string', default: 'unix:///run/containerd/containerd.sock', flag: 'container-runtime-endpoint' },
  { path: 'imageServiceEndpoint', type: 'string', pointer: false, goType: 'string', flag: 'image-service-endpoint', note: '"" means containerRuntimeEndpoint' },
  { path: 'failCgroupV1', type: 'bool', pointer: true, goType: '*bool', default: true, flag: 'fail-cgroupv1', note: 'default true in the newest defaults.go (1.35+); false in 1.31-1.34' },
  { path: 'userNamespaces', type: 'object', pointer: true, goType: '*UserNamespaces', note: '{ idsPerPod: *int64 }, not defaulted (65536 at runtime)' },
];

/** Nested structs expanded into the leaves above (containers, not settings). */
export const V1BETA1_STRUCT_PATHS: readonly string[] = [
  'authentication', 'authentication.x509', 'authentication.webhook', 'authentication.anonymous',
  'authorization', 'authorization.webhook', 'memorySwap',
];

/** metav1.TypeMeta keys allowed at the top level of a KubeletConfiguration document. */
export const V1BETA1_TYPE_META_KEYS: readonly string[] = ['apiVersion', 'kind'];

// ---------------------------------------------------------------------------------------------
// Flags.
// ---------------------------------------------------------------------------------------------

// AddKubeletConfigFlags sets this on every flag it registers except a few (options.go notDeprecated).
const CONFIG_FLAG_DEPRECATED = "This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.";
const EVICTION_INSTEAD = 'Use --eviction-hard or --eviction-soft instead. Will be removed in a future version.';
const CADVISOR_DEPRECATED = 'This is a cadvisor flag that was mistakenly registered with the Kubelet. Due to legacy concerns, it will follow the standard CLI deprecation timeline before being removed.';
const KLOG_DEPRECATED = 'will be removed in a future release, see https://github.com/kubernetes/enhancements/tree/master/keps/sig-instrumentation/2845-deprecate-klog-specific-flags-in-k8s-components';

const D = CONFIG_FLAG_DEPRECATED;
const C = 'KubeletConfiguration' as const;

export const KUBELET_FLAGS: readonly FlagSpec[] = [
  // --- KubeletFlags.AddFlags (options.go) ---------------------------------------------------
  // ContainerRuntimeOptions.AddFlags (pkg/kubelet/config/flags.go)
  { name: 'runtime-cgroups', kind: 'string', source: 'KubeletFlags' },
  { name: 'pod-infra-container-image', kind: 'string', source: 'KubeletFlags', deprecated: 'will be removed in 1.35. Image garbage collector will get sandbox image information from CRI.', removedIn: '1.35', note: 'removed by kubernetes#133779' },
  { name: 'image-credential-provider-config', kind: 'string', source: 'KubeletFlags' },
  { name: 'image-credential-provider-bin-dir', kind: 'string', source: 'KubeletFlags' },
  // addOSFlags (osflags_windows.go)
  { name: 'windows-service', kind: 'bool', source: 'KubeletFlags', os: 'windows' },
  { name: 'windows-priorityclass', kind: 'string', source: 'KubeletFlags', os: 'windows' },
  { name: 'config', kind: 'string', source: 'KubeletFlags' },
  { name: 'config-dir', kind: 'string', source: 'KubeletFlags' },
  { name: 'kubeconfig', kind: 'string', source: 'KubeletFlags' },
  { name: 'bootstrap-kubeconfig', kind: 'string', source: 'KubeletFlags' },
  { name: 'hostname-override', kind: 'string', source: 'KubeletFlags' },
  { name: 'node-ip', kind: 'string', source: 'KubeletFlags' },
  { name: 'cert-dir', kind: 'string', source: 'KubeletFlags' },
  { name: 'cloud-provider', kind: 'string', source: 'KubeletFlags' },
  { name: 'root-dir', kind: 'string', source: 'KubeletFlags' },
  // seccomp-default: KubeletFlags.SeccompDefault, ORed with the config field in server.go
  { name: 'seccomp-default', kind: 'bool', source: 'KubeletFlags', setting: 'seccompDefault', combine: 'or' },
  { name: 'node-labels', kind: 'mapStringString', source: 'KubeletFlags', mapFormat: 'key=value' },
  { name: 'lock-file', kind: 'string', source: 'KubeletFlags' },
  { name: 'exit-on-lock-contention', kind: 'bool', source: 'KubeletFlags' },
  { name: 'minimum-container-ttl-duration', kind: 'duration', source: 'KubeletFlags', deprecated: EVICTION_INSTEAD },
  { name: 'maximum-dead-containers-per-container', kind: 'int', source: 'KubeletFlags', deprecated: EVICTION_INSTEAD },
  { name: 'maximum-dead-containers', kind: 'int', source: 'KubeletFlags', deprecated: EVICTION_INSTEAD },
  { name: 'experimental-mounter-path', kind: 'string', source: 'KubeletFlags', deprecated: 'will be removed in 1.25 or later. in favor of using CSI.' },
  { name: 'experimental-allocatable-ignore-eviction', kind: 'bool', source: 'KubeletFlags', deprecated: 'will be removed in 1.25 or later.' },
  // removed KubeletFlags (present in older options.go versions)
  { name: 'register-schedulable', kind: 'bool', source: 'KubeletFlags', deprecated: 'will be removed in a future version', removedIn: '1.33', note: 'kubernetes#122384' },
  { name: 'keep-terminated-pod-volumes', kind: 'bool', source: 'KubeletFlags', deprecated: 'will be removed in a future version', removedIn: '1.31', note: 'kubernetes#122082 (CHANGELOG-1.31)' },
  { name: 'cloud-config', kind: 'string', source: 'KubeletFlags', deprecated: 'will be removed in 1.25 or later, in favor of removing cloud provider code from Kubelet.', removedIn: '1.34', note: 'kubernetes#130161' },
  { name: 'container-runtime', kind: 'string', source: 'KubeletFlags', removedIn: '1.27' },
  { name: 'dynamic-config-dir', kind: 'string', source: 'KubeletFlags', removedIn: '1.24' },
  // dockershim flags, removed with dockershim (kubernetes#106907, CHANGELOG-1.24)
  { name: 'experimental-dockershim-root-directory', kind: 'string', source: 'KubeletFlags', removedIn: '1.24' },
  { name: 'docker-endpoint', kind: 'string', source: 'KubeletFlags', removedIn: '1.24' },
  { name: 'image-pull-progress-deadline', kind: 'duration', source: 'KubeletFlags', removedIn: '1.24' },
  { name: 'network-plugin', kind: 'string', source: 'KubeletFlags', removedIn: '1.24' },
  { name: 'cni-conf-dir', kind: 'string', source: 'KubeletFlags', removedIn: '1.24' },
  { name: 'cni-bin-dir', kind: 'string', source: 'KubeletFlags', removedIn: '1.24' },
  { name: 'cni-cache-dir', kind: 'string', source: 'KubeletFlags', removedIn: '1.24' },
  { name: 'network-plugin-mtu', kind: 'int', source: 'KubeletFlags', removedIn: '1.24' },

  // --- AddKubeletConfigFlags (options.go): bound to config fields ---------------------------
  { name: 'enable-server', kind: 'bool', source: C, setting: 'enableServer', deprecated: D },
  { name: 'fail-swap-on', kind: 'bool', source: C, setting: 'failSwapOn', deprecated: D },
  { name: 'pod-manifest-path', kind: 'string', source: C, setting: 'staticPodPath', deprecated: D },
  { name: 'sync-frequency', kind: 'duration', source: C, setting: 'syncFrequency', deprecated: D },
  { name: 'file-check-frequency', kind: 'duration', source: C, setting: 'fileCheckFrequency', deprecated: D },
  { name: 'http-check-frequency', kind: 'duration', source: C, setting: 'httpCheckFrequency', deprecated: D },
  { name: 'manifest-url', kind: 'string', source: C, setting: 'staticPodURL', deprecated: D },
  { name: 'manifest-url-header', kind: 'other', source: C, setting: 'staticPodURLHeader', mapFormat: 'key:value-multimap', deprecated: D },
  { name: 'address', kind: 'string', source: C, setting: 'address', deprecated: D },
  { name: 'port', kind: 'int', source: C, setting: 'port', deprecated: D },
  { name: 'read-only-port', kind: 'int', source: C, setting: 'readOnlyPort', deprecated: D },
  { name: 'container-runtime-endpoint', kind: 'string', source: C, setting: 'containerRuntimeEndpoint', deprecated: D },
  { name: 'image-service-endpoint', kind: 'string', source: C, setting: 'imageServiceEndpoint', deprecated: D },
  { name: 'anonymous-auth', kind: 'bool', source: C, setting: 'authentication.anonymous.enabled', deprecated: D },
  { name: 'authentication-token-webhook', kind: 'bool', source: C, setting: 'authentication.webhook.enabled', deprecated: D },
  { name: 'authentication-token-webhook-cache-ttl', kind: 'duration', source: C, setting: 'authentication.webhook.cacheTTL', deprecated: D },
  { name: 'client-ca-file', kind: 'string', source: C, setting: 'authentication.x509.clientCAFile', deprecated: D },
  { name: 'authorization-mode', kind: 'string', source: C, setting: 'authorization.mode', deprecated: D },
  { name: 'authorization-webhook-cache-authorized-ttl', kind: 'duration', source: C, setting: 'authorization.webhook.cacheAuthorizedTTL', deprecated: D },
  { name: 'authorization-webhook-cache-unauthorized-ttl', kind: 'duration', source: C, setting: 'authorization.webhook.cacheUnauthorizedTTL', deprecated: D },
  { name: 'tls-cert-file', kind: 'string', source: C, setting: 'tlsCertFile', deprecated: D },
  { name: 'tls-private-key-file', kind: 'string', source: C, setting: 'tlsPrivateKeyFile', deprecated: D },
  { name: 'rotate-server-certificates', kind: 'bool', source: C, setting: 'serverTLSBootstrap', deprecated: D },
  { name: 'tls-cipher-suites', kind: 'stringSlice', source: C, setting: 'tlsCipherSuites', deprecated: D },
  { name: 'tls-min-version', kind: 'string', source: C, setting: 'tlsMinVersion', deprecated: D },
  { name: 'rotate-certificates', kind: 'bool', source: C, setting: 'rotateCertificates', deprecated: D },
  { name: 'registry-qps', kind: 'int', source: C, setting: 'registryPullQPS', deprecated: D },
  { name: 'registry-burst', kind: 'int', source: C, setting: 'registryBurst', deprecated: D },
  { name: 'event-qps', kind: 'int', source: C, setting: 'eventRecordQPS', deprecated: D },
  { name: 'event-burst', kind: 'int', source: C, setting: 'eventBurst', deprecated: D },
  { name: 'enable-debugging-handlers', kind: 'bool', source: C, setting: 'enableDebuggingHandlers', deprecated: D },
  { name: 'contention-profiling', kind: 'bool', source: C, setting: 'enableContentionProfiling', deprecated: D },
  { name: 'healthz-port', kind: 'int', source: C, setting: 'healthzPort', deprecated: D },
  { name: 'healthz-bind-address', kind: 'string', source: C, setting: 'healthzBindAddress', deprecated: D },
  { name: 'oom-score-adj', kind: 'int', source: C, setting: 'oomScoreAdj', deprecated: D },
  { name: 'cluster-domain', kind: 'string', source: C, setting: 'clusterDomain', deprecated: D },
  { name: 'volume-plugin-dir', kind: 'string', source: C, setting: 'volumePluginDir', deprecated: D },
  { name: 'cluster-dns', kind: 'stringSlice', source: C, setting: 'clusterDNS', deprecated: D },
  { name: 'streaming-connection-idle-timeout', kind: 'duration', source: C, setting: 'streamingConnectionIdleTimeout', deprecated: D },
  { name: 'node-status-update-frequency', kind: 'duration', source: C, setting: 'nodeStatusUpdateFrequency', deprecated: D },
  { name: 'minimum-image-ttl-duration', kind: 'duration', source: C, setting: 'imageMinimumGCAge', deprecated: D },
  { name: 'image-gc-high-threshold', kind: 'int', source: C, setting: 'imageGCHighThresholdPercent', deprecated: D },
  { name: 'image-gc-low-threshold', kind: 'int', source: C, setting: 'imageGCLowThresholdPercent', deprecated: D },
  { name: 'volume-stats-agg-period', kind: 'duration', source: C, setting: 'volumeStatsAggPeriod', deprecated: D },
  // --feature-gates is cliflag.NewMapStringBool (options.go)
  { name: 'feature-gates', kind: 'mapStringBool', source: C, setting: 'featureGates', mapFormat: 'key=value', deprecated: D },
  { name: 'kubelet-cgroups', kind: 'string', source: C, setting: 'kubeletCgroups', deprecated: D },
  { name: 'system-cgroups', kind: 'string', source: C, setting: 'systemCgroups', deprecated: D },
  { name: 'provider-id', kind: 'string', source: C, setting: 'providerID' }, // notDeprecated
  { name: 'cgroups-per-qos', kind: 'bool', source: C, setting: 'cgroupsPerQOS', deprecated: D },
  { name: 'cgroup-driver', kind: 'string', source: C, setting: 'cgroupDriver', deprecated: D },
  { name: 'cgroup-root', kind: 'string', source: C, setting: 'cgroupRoot', deprecated: D },
  { name: 'cpu-manager-policy', kind: 'string', source: C, setting: 'cpuManagerPolicy', deprecated: D },
  { name: 'cpu-manager-policy-options', kind: 'mapStringString', source: C, setting: 'cpuManagerPolicyOptions', mapFormat: 'key=value-nosplit', deprecated: D },
  { name: 'cpu-manager-reconcile-period', kind: 'duration', source: C, setting: 'cpuManagerReconcilePeriod', deprecated: D },
  { name: 'qos-reserved', kind: 'mapStringString', source: C, setting: 'qosReserved', mapFormat: 'key=value', deprecated: D },
  { name: 'topology-manager-policy', kind: 'string', source: C, setting: 'topologyManagerPolicy', deprecated: D },
  { name: 'runtime-request-timeout', kind: 'duration', source: C, setting: 'runtimeRequestTimeout', deprecated: D },
  { name: 'hairpin-mode', kind: 'string', source: C, setting: 'hairpinMode', deprecated: D },
  { name: 'max-pods', kind: 'int', source: C, setting: 'maxPods', deprecated: D },
  { name: 'pod-cidr', kind: 'string', source: C, setting: 'podCIDR', deprecated: D },
  { name: 'pod-max-pids', kind: 'int', source: C, setting: 'podPidsLimit', deprecated: D },
  { name: 'resolv-conf', kind: 'string', source: C, setting: 'resolvConf', deprecated: D },
  { name: 'runonce', kind: 'bool', source: C, setting: 'runOnce', deprecated: D },
  { name: 'cpu-cfs-quota', kind: 'bool', source: C, setting: 'cpuCFSQuota', deprecated: D },
  { name: 'cpu-cfs-quota-period', kind: 'duration', source: C, setting: 'cpuCFSQuotaPeriod', deprecated: D },
  { name: 'enable-controller-attach-detach', kind: 'bool', source: C, setting: 'enableControllerAttachDetach', deprecated: D },
  { name: 'make-iptables-util-chains', kind: 'bool', source: C, setting: 'makeIPTablesUtilChains', deprecated: D },
  { name: 'iptables-masquerade-bit', kind: 'int', source: C, setting: 'iptablesMasqueradeBit', deprecated: D, hidden: true, removedIn: '1.31', note: 'no effect since 1.28; removed by kubernetes#122363 (CHANGELOG-1.31)' },
  { name: 'iptables-drop-bit', kind: 'int', source: C, setting: 'iptablesDropBit', deprecated: D, hidden: true, removedIn: '1.31', note: 'no effect since 1.28; removed by kubernetes#122363 (CHANGELOG-1.31)' },
  { name: 'container-log-max-size', kind: 'string', source: C, setting: 'containerLogMaxSize', deprecated: D },
  { name: 'container-log-max-files', kind: 'int', source: C, setting: 'containerLogMaxFiles', deprecated: D },
  { name: 'allowed-unsafe-sysctls', kind: 'stringSlice', source: C, setting: 'allowedUnsafeSysctls', deprecated: D },
  { name: 'node-status-max-images', kind: 'int', source: C, setting: 'nodeStatusMaxImages', deprecated: D },
  { name: 'kernel-memcg-notification', kind: 'bool', source: C, setting: 'kernelMemcgNotification', deprecated: D },
  { name: 'local-storage-capacity-isolation', kind: 'bool', source: C, setting: 'localStorageCapacityIsolation', deprecated: D },
  { name: 'max-open-files', kind: 'int', source: C, setting: 'maxOpenFiles', deprecated: D },
  { name: 'kube-api-content-type', kind: 'string', source: C, setting: 'contentType', deprecated: D },
  { name: 'kube-api-qps', kind: 'int', source: C, setting: 'kubeAPIQPS', deprecated: D },
  { name: 'kube-api-burst', kind: 'int', source: C, setting: 'kubeAPIBurst', deprecated: D },
  { name: 'serialize-image-pulls', kind: 'bool', source: C, setting: 'serializeImagePulls', deprecated: D },
  // eviction maps: --eviction-hard/--eviction-soft are "signal<quantity" (LangleSeparatedMapStringString)
  { name: 'eviction-hard', kind: 'mapStringString', source: C, setting: 'evictionHard', mapFormat: 'key<value', deprecated: D },
  { name: 'eviction-soft', kind: 'mapStringString', source: C, setting: 'evictionSoft', mapFormat: 'key<value', deprecated: D },
  { name: 'eviction-soft-grace-period', kind: 'mapStringString', source: C, setting: 'evictionSoftGracePeriod', mapFormat: 'key=value', deprecated: D },
  { name: 'eviction-pressure-transition-period', kind: 'duration', source: C, setting: 'evictionPressureTransitionPeriod', deprecated: D },
  { name: 'eviction-max-pod-grace-period', kind: 'int', source: C, setting: 'evictionMaxPodGracePeriod', deprecated: D },
  { name: 'eviction-minimum-reclaim', kind: 'mapStringString', source: C, setting: 'evictionMinimumReclaim', mapFormat: 'key=value', deprecated: D },
  { name: 'pods-per-core', kind: 'int', source: C, setting: 'podsPerCore', deprecated: D },
  { name: 'protect-kernel-defaults', kind: 'bool', source: C, setting: 'protectKernelDefaults', deprecated: D },
  { name: 'reserved-cpus', kind: 'string', source: C, setting: 'reservedSystemCPUs', deprecated: D },
  { name: 'topology-manager-scope', kind: 'string', source: C, setting: 'topologyManagerScope', deprecated: D },
  { name: 'topology-manager-policy-options', kind: 'mapStringString', source: C, setting: 'topologyManagerPolicyOptions', mapFormat: 'key=value-nosplit', deprecated: D },
  { name: 'system-reserved', kind: 'mapStringString', source: C, setting: 'systemReserved', mapFormat: 'key=value', deprecated: D },
  { name: 'kube-reserved', kind: 'mapStringString', source: C, setting: 'kubeReserved', mapFormat: 'key=value', deprecated: D },
  { name: 'enforce-node-allocatable', kind: 'stringSlice', source: C, setting: 'enforceNodeAllocatable', deprecated: D },
  { name: 'system-reserved-cgroup', kind: 'string', source: C, setting: 'systemReservedCgroup', deprecated: D },
  { name: 'kube-reserved-cgroup', kind: 'string', source: C, setting: 'kubeReservedCgroup', deprecated: D },
  // logsapi.AddFlags(&c.Logging, fs) (component-base/logs/api/v1/options.go); v, vmodule and
  // log-flush-frequency are in options.go's notDeprecated list.
  { name: 'logging-format', kind: 'string', source: C, setting: 'logging', settingKey: 'format', deprecated: D },
  { name: 'log-flush-frequency', kind: 'duration', source: C, setting: 'logging', settingKey: 'flushFrequency' },
  { name: 'v', shorthand: 'v', kind: 'int', source: C, setting: 'logging', settingKey: 'verbosity' },
  { name: 'vmodule', kind: 'other', source: C, setting: 'logging', settingKey: 'vmodule', note: 'pattern=N,...' },
  { name: 'log-text-split-stream', kind: 'bool', source: C, setting: 'logging', settingKey: 'options.text.splitStream', deprecated: D },
  { name: 'log-text-info-buffer-size', kind: 'other', source: C, setting: 'logging', settingKey: 'options.text.infoBufferSize', deprecated: D, note: 'a resource quantity' },
  // registered only when the json log format is linked in (cmd/kubelet/kubelet.go imports
  // k8s.io/component-base/logs/json/register); the website's flag reference omits them.
  { name: 'log-json-split-stream', kind: 'bool', source: C, setting: 'logging', settingKey: 'options.json.splitStream', deprecated: D },
  { name: 'log-json-info-buffer-size', kind: 'other', source: C, setting: 'logging', settingKey: 'options.json.infoBufferSize', deprecated: D, note: 'a resource quantity' },
  { name: 'memory-manager-policy', kind: 'string', source: C, setting: 'memoryManagerPolicy', deprecated: D },
  { name: 'reserved-memory', kind: 'other', source: C, setting: 'reservedMemory', deprecated: D, note: 'NUMA:resource=quantity,... (utilflag.ReservedMemoryVar); repeatable' },
  { name: 'register-node', kind: 'bool', source: C, setting: 'registerNode', deprecated: D },
  // --register-with-taints: "key=value:Effect,..." parsed into []v1.Taint (utilflag.RegisterWithTaintsVar)
  { name: 'register-with-taints', kind: 'other', source: C, setting: 'registerWithTaints', deprecated: D },
  { name: 'fail-cgroupv1', kind: 'bool', source: C, setting: 'failCgroupV1' }, // not deprecated (1.31+)

  // --- server.go and AddGlobalFlags (globalflags*.go) ---------------------------------------
  { name: 'help', shorthand: 'h', kind: 'bool', source: 'command' },
  // verflag: --version, --version=raw, --version=vX.Y.Z
  { name: 'version', kind: 'other', source: 'global', noOptDefVal: 'true' },
  // cadvisor (globalflags_linux.go); register() turns '_' into '-'
  { name: 'housekeeping-interval', kind: 'duration', source: 'global', os: 'linux' },
  { name: 'application-metrics-count-limit', kind: 'int', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'boot-id-file', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'container-hints', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'containerd', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'containerd-namespace', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'enable-load-reader', kind: 'bool', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'event-storage-age-limit', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'event-storage-event-limit', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'global-housekeeping-interval', kind: 'duration', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'log-cadvisor-usage', kind: 'bool', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'machine-id-file', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'storage-driver-user', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'storage-driver-password', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'storage-driver-host', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'storage-driver-db', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'storage-driver-table', kind: 'string', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'storage-driver-secure', kind: 'bool', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  { name: 'storage-driver-buffer-duration', kind: 'duration', source: 'global', os: 'linux', deprecated: CADVISOR_DEPRECATED, hidden: true },
  // in-tree credential provider flag (addCredentialProviderFlags); deprecated by kubernetes#118596
  { name: 'azure-container-registry-config', kind: 'string', source: 'global', removedIn: '1.30', note: 'deprecated in 1.28 in favour of --image-credential-provider-config/--image-credential-provider-bin-dir' },
  // klog flags (addKlogFlags), deprecated in 1.23 and removed in 1.26 (KEP-2845)
  { name: 'add-dir-header', kind: 'bool', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
  { name: 'alsologtostderr', kind: 'bool', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
  { name: 'log-backtrace-at', kind: 'other', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
  { name: 'log-dir', kind: 'string', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
  { name: 'log-file', kind: 'string', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
  { name: 'log-file-max-size', kind: 'int', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
  { name: 'logtostderr', kind: 'bool', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
  { name: 'one-output', kind: 'bool', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
  { name: 'skip-headers', kind: 'bool', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
  { name: 'skip-log-headers', kind: 'bool', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
  { name: 'stderrthreshold', kind: 'other', source: 'global', deprecated: KLOG_DEPRECATED, removedIn: '1.26' },
];

// ---------------------------------------------------------------------------------------------
// Lookups (Maps built once at import).
// ---------------------------------------------------------------------------------------------

const FIELDS_BY_PATH = new Map<string, FieldSpec>(V1BETA1_FIELDS.map((f) => [f.path, f]));
const FLAGS_BY_NAME = new Map<string, FlagSpec>(KUBELET_FLAGS.map((f) => [f.name, f]));

export function fieldByPath(path: string): FieldSpec | undefined {
  return FIELDS_BY_PATH.get(path);
}

/** Looks a flag up by name, '_' read as '-' like cliflag.WordSepNormalizeFunc. */
export function flagByName(name: string): FlagSpec | undefined {
  return FLAGS_BY_NAME.get(name.includes('_') ? name.replaceAll('_', '-') : name);
}

/** Go's zero value of a field, as JSON: what a non-pointer field holds when nothing sets it. */
export function zeroValue(f: FieldSpec): boolean | number | string | string[] | Record<string, unknown> {
  switch (f.type) {
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'float':
      return 0;
    case 'string':
      return '';
    case 'duration':
      return '0s';
    case 'stringList':
    case 'objectList':
      return [];
    default:
      return {};
  }
}
