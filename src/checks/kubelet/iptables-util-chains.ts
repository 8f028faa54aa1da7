// CIS 4.2.6. makeIPTablesUtilChains is a pointer field: an explicit false in the file stays false
// (kubelet-facts §4); default true for file and flag. What the chains are was read in the sources:
// pkg/kubelet/kubelet_network_linux.go (KUBE-FIREWALL localnet rule for IPv4, KUBE-IPTABLES-HINT),
// started only `if kl.makeIPTablesUtilChains` (pkg/kubelet/kubelet.go).
import type { Check } from '../types.ts';
import { expectBool } from '../setting.ts';

const SETTING = 'makeIPTablesUtilChains';

export const iptablesUtilChains: Check = {
  meta: {
    id: 'kubelet-iptables-util-chains',
    title: 'The kubelet manages its iptables utility chains',
    section: 'cis-4.2',
    severity: 'medium',
    cis: ['4.2.6'],
    setting: SETTING,
    rationale:
      'With makeIPTablesUtilChains false the kubelet neither creates nor repairs its iptables chains, including the KUBE-FIREWALL rule that drops packets to 127.0.0.0/8 not coming from 127.0.0.0/8 (kubernetes issue #90259, CVE-2020-8558): where route_localnet is on and nothing else installs that rule, a neighbour on the same network can reach services bound only to localhost on the node. (kube-proxy in iptables mode installs its own copy; the kubelet also uses these chains to publish the KUBE-IPTABLES-HINT chain other components rely on.)',
    remediation: 'Set makeIPTablesUtilChains: true in the kubelet config file (or remove --make-iptables-util-chains=false) and restart the kubelet.',
  },
  evaluate: expectBool(SETTING, true, 'the kubelet manages its iptables utility chains', 'the kubelet does not manage its iptables utility chains'),
};
