// Kubelet evidence: what was found and whether it could be read, before any verdict on settings.
import type { Check } from '../types.ts';
import { kubeletFound } from './kubelet-found.ts';
import { evidenceComplete } from './evidence-complete.ts';
import { configAccepted } from './config-accepted.ts';
import { configWarnings } from './config-warnings.ts';

export const checks: Check[] = [kubeletFound, evidenceComplete, configAccepted, configWarnings];
