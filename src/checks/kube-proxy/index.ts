// CIS 4.3 kube-proxy.
import type { Check } from '../types.ts';
import { kubeProxyMetricsLocalhost } from './metrics-localhost.ts';

export const checks: Check[] = [kubeProxyMetricsLocalhost];
