// The known-vulnerability checks, in report order.
import { withNoFix, type Check } from '../types.ts';
import { knownVulnerabilities } from './known-vulnerabilities.ts';

export const checks: Check[] = withNoFix('only an upgrade of the kubelet (the node\'s packages) closes a known vulnerability', [knownVulnerabilities]);
