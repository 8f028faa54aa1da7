// Facts of a network scan: one Endpoint per open host and port, as JSON-able data. The probes that
// produce them never run anything in a workload, never write, and never follow a redirect.

export type Service = 'kubelet' | 'kubelet-read-only' | 'kubelet-healthz' | 'etcd' | 'etcd-peer' | 'other';
export type PortState = 'open' | 'closed' | 'filtered';

/** The kubelet endpoint groups a caller can reach (kubelet-facts §2, §3). */
export type EndpointGroup =
  | 'pods'
  | 'runningpods'
  | 'stats'
  | 'metrics'
  | 'logs'
  | 'containerLogs'
  | 'configz'
  | 'checkpoint'
  | 'debug/pprof'
  | 'debug/flags'
  | 'exec'
  | 'attach'
  | 'run'
  | 'portForward'
  | 'healthz';

export interface TlsInfo {
  /** the serving certificate as presented (never any key material) */
  subject?: string;
  issuer?: string;
  selfSigned?: boolean;
  sans?: string[];
  notBefore?: string;
  notAfter?: string;
  keyType?: string;
  keyBits?: number;
  fingerprint256?: string;
  /** protocol versions the server accepted, e.g. ['TLSv1.2', 'TLSv1.3'] */
  protocols?: string[];
  /** weak cipher suites (OpenSSL names) the server accepted */
  weakCiphers?: string[];
  /** protocol versions tried that gave no answer either way */
  protocolsUntold?: string[];
  /** weak suites that could not be offered from here (the runtime's OpenSSL lacks them) or gave no answer */
  weakCiphersUntold?: string[];
  /** whether a client certificate was requested / required (etcd) */
  clientCertRequested?: boolean;
  error?: string;
}

/** What one HTTP probe saw: the request and a bounded view of the answer. */
export interface ProbeRecord {
  method: string;
  path: string;
  /** the request carried the scan's identity (token or client certificate); absent: it carried none */
  withIdentity?: true;
  status?: number;
  /** the first bytes of the body (capped), secrets never kept: see analysis */
  bodyPreview?: string;
  error?: string; // timeout (which phase), reset, too large, …
  ms?: number;
}

export interface Endpoint {
  host: string;
  port: number;
  service: Service;
  state: PortState;
  /** kubelet secure port: true / false / null when it cannot be known */
  anonymous?: boolean | null;
  authorization?: 'AlwaysAllow' | 'Webhook' | null;
  /** from the 403 body's format: 1.32+ lists subresources (fine-grained authorization possible) */
  fineGrained?: boolean | null;
  /** the user the kubelet saw the caller as (from a 403 body), e.g. system:anonymous */
  user?: string;
  /** the endpoint groups the caller (`identity`) reached, proved without effects */
  reachable: EndpointGroup[];
  /**
   * kubelet secure port: the groups a request WITHOUT credentials reached, probed without them
   * whatever identity the scan used ([] when anonymous is off; absent when it could not be told).
   * With an identity this differs from `reachable`, which is the identity's reach.
   */
  anonymousReachable?: EndpointGroup[];
  /** the user a request without credentials was seen as (a 403 body), e.g. system:anonymous */
  anonymousUser?: string;
  tls?: TlsInfo;
  /** kubelet or etcd version where the endpoint told it */
  version?: string;
  /** etcd: what an unauthenticated client could read */
  etcd?: {
    tls: boolean;
    clientCertRequired: boolean | null;
    /** with tls: whether the same port ALSO answers plain HTTP (etcd serves both when told to); null: not told */
    plainHttp?: boolean | null;
    health?: string;
    version?: string;
    keysReadable?: boolean | null;
    sampleKey?: string;
  };
  /** the identity the probes used: 'anonymous' or a description (never the token itself) */
  identity: string;
  probes: ProbeRecord[];
  /** why the endpoint could not be classified fully */
  notes: string[];
  /** --collect: what an attacker gets (secrets as fingerprints only) */
  collected?: CollectedFacts;
}

export interface CollectedFacts {
  pods?: {
    count: number;
    privileged: Array<{ namespace: string; pod: string; container: string }>;
    hostPaths: Array<{ namespace: string; pod: string; path: string }>;
    /** pods in which a container mounts a service-account token (see src/scan/collect.ts) */
    serviceAccountTokens: number;
    /** those pods with their service account: exec into one of them holds that account's API rights */
    serviceAccounts?: Array<{ namespace: string; pod: string; serviceAccount: string }>;
    /** env vars that look like secrets: name, where, and a short fingerprint of the value */
    secretEnv: Array<{ namespace: string; pod: string; container: string; name: string; fingerprint: string; why: string }>;
    truncated?: boolean;
    /** what the work caps left out (pods, containers, env vars, list entries), when they did */
    limited?: string;
    error?: string;
  };
  /** platform: kubernetes_build_info's platform label, e.g. linux/amd64 */
  metrics?: { kubeletVersion?: string; platform?: string; error?: string };
  /** /configz turned into effective-config facts (source kind 'configz') */
  configz?: { effective?: import('../facts/types.ts').EffectiveConfig; error?: string };
}
