// The kubelet checks, in report order: CIS 4.2 (4.2.1 … 4.2.14), then the kubelet API beyond CIS.
import type { Check } from '../types.ts';
import { anonymousAuth } from './anonymous-auth.ts';
import { authorizationMode } from './authorization-mode.ts';
import { clientCaFile } from './client-ca-file.ts';
import { readOnlyPort } from './read-only-port.ts';
import { streamingIdleTimeout } from './streaming-idle-timeout.ts';
import { iptablesUtilChains } from './iptables-util-chains.ts';
import { hostnameOverride } from './hostname-override.ts';
import { eventQps } from './event-qps.ts';
import { tlsCertFiles } from './tls-cert-files.ts';
import { rotateCertificates } from './rotate-certificates.ts';
import { rotateServerCertificatesGate } from './rotate-server-certificates-gate.ts';
import { tlsCipherSuites } from './tls-cipher-suites.ts';
import { podPidsLimit } from './pod-pids-limit.ts';
import { seccompDefault } from './seccomp-default.ts';
import { protectKernelDefaults } from './protect-kernel-defaults.ts';
import { webhookTokenAuthn } from './webhook-token-authn.ts';
import { debuggingHandlers } from './debugging-handlers.ts';
import { profilingHandler } from './profiling-handler.ts';
import { debugFlagsHandler } from './debug-flags-handler.ts';
import { systemLogHandler } from './system-log-handler.ts';
import { healthzBindAddress } from './healthz-bind-address.ts';
import { staticPodUrl } from './static-pod-url.ts';
import { apiOpenToAnyone } from './api-open-to-anyone.ts';

export const checks: Check[] = [
  anonymousAuth, // 4.2.1
  authorizationMode, // 4.2.2
  clientCaFile, // 4.2.3
  readOnlyPort, // 4.2.4
  streamingIdleTimeout, // 4.2.5
  iptablesUtilChains, // 4.2.6
  hostnameOverride, // 4.2.7
  eventQps, // 4.2.8
  tlsCertFiles, // 4.2.9
  rotateCertificates, // 4.2.10
  rotateServerCertificatesGate, // 4.2.11
  tlsCipherSuites, // 4.2.12
  podPidsLimit, // 4.2.13
  seccompDefault, // 4.2.14
  protectKernelDefaults,
  webhookTokenAuthn,
  debuggingHandlers,
  profilingHandler,
  debugFlagsHandler,
  systemLogHandler,
  healthzBindAddress,
  staticPodUrl,
  apiOpenToAnyone,
];
