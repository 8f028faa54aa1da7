// The contract of the scanner's HTTP(S) client (implemented in http-client.ts): one request, every
// phase bounded, never a redirect followed, never a compressed body inflated, never more than the
// caps read. Probes and tests code against these types.

export interface Timeouts {
  /** TCP connect */
  connect: number;
  /** TLS handshake, after connect */
  tls: number;
  /** from request sent to the end of the response headers */
  headers: number;
  /** from the headers to the end of the body */
  body: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connect: 1500, tls: 2000, headers: 3000, body: 3000 };

export interface HttpRequest {
  host: string; // an IP address or a name; IPv6 without brackets
  port: number;
  tls: boolean;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** SNI; defaults to host when it is a name */
  servername?: string;
  /** credentials: a bearer token, or a client certificate and key (PEM); never logged */
  auth?: { token?: string; cert?: string | Buffer; key?: string | Buffer };
  timeouts?: Partial<Timeouts>;
  /** at most this many body bytes are read (default 1 MiB); the rest is dropped, `truncated` says so */
  maxBodyBytes?: number;
  /** response header size limit (default 16 KiB): larger is an error */
  maxHeaderBytes?: number;
  /** TLS options for protocol/cipher probing */
  tlsOptions?: { minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; ciphers?: string };
  signal?: AbortSignal;
}

export interface PeerCertificateInfo {
  subject?: string;
  issuer?: string;
  sans?: string[];
  notBefore?: string;
  notAfter?: string;
  fingerprint256?: string;
  /** DER of the leaf, to parse with X509Certificate (never key material) */
  raw?: Buffer;
  /** DER of the rest of the chain as presented */
  chain?: Buffer[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  truncated: boolean;
  /** for https: what the handshake showed */
  tls?: { protocol?: string; cipher?: string; peer?: PeerCertificateInfo; authorized?: boolean; clientCertRequested?: boolean };
}

export type HttpErrorKind =
  | 'refused'
  | 'unreachable'
  | 'connect-timeout'
  | 'tls-timeout'
  | 'tls-error'
  | 'headers-timeout'
  | 'body-timeout'
  | 'reset'
  | 'headers-too-large'
  | 'not-http'
  | 'aborted';

export type HttpResult =
  | { ok: true; res: HttpResponse; ms: number }
  | { ok: false; error: HttpErrorKind; detail: string; ms: number; tls?: HttpResponse['tls'] };
