// CIS 4.2.3. The x509 authenticator verifies client certificates against clientCAFile; empty means
// no certificate is ever accepted (kubelet-facts §3). Default "" for both file and flag (§4).
import type { Check } from '../types.ts';
import { fixSetting, judgeSetting } from '../setting.ts';
import { KUBEADM_CLUSTER_CA } from '../../facts/paths.ts';

const SETTING = 'authentication.x509.clientCAFile';

export const clientCaFile: Check = {
  meta: {
    id: 'kubelet-client-ca-file',
    title: 'The kubelet verifies client certificates against a client CA',
    section: 'cis-4.2',
    severity: 'high',
    cis: ['4.2.3'],
    setting: SETTING,
    rationale:
      'Without a client CA the kubelet accepts no client certificate, so the API server cannot authenticate to it with --kubelet-client-certificate; clusters then tend to keep the kubelet working with anonymous auth or AlwaysAllow, which lets anyone reaching port 10250 run commands in pods.',
    remediation:
      'Set authentication.x509.clientCAFile to the cluster CA (kubeadm: /etc/kubernetes/pki/ca.crt) in the kubelet config file (or --client-ca-file) and restart the kubelet.',
  },
  evaluate: (facts) => {
    const r = judgeSetting(
      facts,
      SETTING,
      (v) =>
        typeof v === 'string' && v !== ''
          ? { pass: true, message: `client certificates are verified against ${v}` }
          : { pass: false, message: 'no client CA: the kubelet authenticates no client certificate' },
      { want: KUBEADM_CLUSTER_CA },
    );
    // name kubeadm's CA file only where it is on this node; otherwise say which file to look for
    if (r.status !== 'fail' || facts.files[KUBEADM_CLUSTER_CA]?.exists === true) return r;
    const seen = facts.files[KUBEADM_CLUSTER_CA];
    const why = seen === undefined ? 'was not examined' : seen.exists === false ? 'is not on this node' : 'could not be examined';
    const fix = fixSetting(facts, SETTING, '<the cluster CA file>');
    const { fixes: _placeholder, ...rest } = r;
    return {
      ...rest,
      remediation: `${fix} The cluster CA file is the CA that signed the API server's --kubelet-client-certificate (kubeadm keeps it at ${KUBEADM_CLUSTER_CA}, which ${why}).`,
      noFix: `which file is the cluster CA cannot be told from this node (${KUBEADM_CLUSTER_CA} ${why})`,
    };
  },
};
