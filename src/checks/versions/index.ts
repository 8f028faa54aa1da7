// The known-vulnerability checks, in report order.
import type { Check } from '../types.ts';
import { knownVulnerabilities } from './known-vulnerabilities.ts';

export const checks: Check[] = [knownVulnerabilities];
