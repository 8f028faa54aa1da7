// Kubelet evidence: what was found and whether it could be read, before any verdict on settings.
import { withNoFix, type Check } from '../types.ts';
import { kubeletFound } from './kubelet-found.ts';
import { evidenceComplete } from './evidence-complete.ts';
import { configAccepted } from './config-accepted.ts';
import { configWarnings } from './config-warnings.ts';

export const checks: Check[] = withNoFix('this is about the evidence itself: fix what the message names by hand, then re-run the audit', [kubeletFound, evidenceComplete, configAccepted, configWarnings]);
