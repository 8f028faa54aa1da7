// CIS 1.2.1 (v1.12, Manual): "Ensure that the --anonymous-auth argument is set to false".
// kube-apiserver defaults --anonymous-auth to true (pkg/kubeapiserver/options/authentication.go
// WithAnonymous: Allow: true); a request with no credentials is then served as system:anonymous
// (group system:unauthenticated). Two source facts shape the verdict:
// - ApplyAuthorization resets anonymous to false when the authorizer chain holds AlwaysAllow
//   ("AnonymousAuth is not allowed with the AlwaysAllow authorizer"). It runs after
//   Authorization.Complete() (pkg/controlplane/apiserver/options/options.go Complete), which makes
//   an unset --authorization-mode AlwaysAllow: so no --authorization-mode at all turns anonymous off too;
// - with --authentication-config (1.30+), the file may configure anonymous (KEP-4633,
//   AnonymousAuthConfigurableEndpoints: alpha 1.31, beta 1.32, GA 1.34); setting --anonymous-auth
//   as well then stops the API server. kubelet-guard does not read that file.
import type { Check } from '../types.ts';
import { effective } from '../../sources/control-plane.ts';
import { authorizationModes } from './authz.ts';
import { describe, fixFlag, flagEvidence, perComponent, setting, settingEvidence, boolOf, at } from './common.ts';

export const apiserverAnonymousAuth: Check = {
  meta: {
    id: 'apiserver-anonymous-auth',
    title: 'The API server rejects anonymous requests',
    section: 'control-plane',
    severity: 'medium',
    cis: ['1.2.1'],
    setting: '--anonymous-auth',
    rationale:
      'With anonymous authentication on, any client that reaches the API server port is served as system:anonymous; one careless RoleBinding to system:unauthenticated (or system:anonymous) then opens that access to everyone who can reach the port.',
    remediation: 'Set --anonymous-auth=false in /etc/kubernetes/manifests/kube-apiserver.yaml (adjust health probes that call /livez, /readyz without credentials), or on 1.32+ limit anonymous access to the health paths with --authentication-config.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'kube-apiserver', (c) => {
      const s = setting(c, 'anonymous-auth', 'true');
      const ev = settingEvidence(c, 'anonymous-auth', s, 'not set: the API server defaults to true');
      const authn = effective(c, 'authentication-config');
      if (authn && authn.value !== '') {
        ev.push(flagEvidence(authn.flag));
        if (s.kind === 'default') {
          return { status: 'unknown', message: `--anonymous-auth is not set and ${authn.flag.text} (${at(authn.flag)}) may configure anonymous authentication (and the paths it is allowed on); kubelet-guard does not read that file`, evidence: ev };
        }
      }
      const on = boolOf(s);
      if (on === false) return { status: 'pass', message: `anonymous requests are rejected: ${describe('anonymous-auth', s)}`, evidence: ev };
      const modes = authorizationModes(c);
      if (modes.kind === 'known' && modes.modes.includes('AlwaysAllow') && !(authn && authn.value !== '')) {
        ev.push(...modes.evidence);
        return {
          status: 'pass',
          message: `${describe('anonymous-auth', s)}, but the API server turns anonymous authentication off itself because its authorizer chain holds AlwaysAllow (${modes.words}; ApplyAuthorization); AlwaysAllow is the real problem: see apiserver-authorization-not-always-allow`,
          evidence: ev,
        };
      }
      return {
        status: 'fail',
        message: `anonymous requests are served as system:anonymous: ${describe('anonymous-auth', s)}`,
        evidence: ev,
        remediation: `${fixFlag(c, 'anonymous-auth', '--anonymous-auth=false')} Before that, make sure nothing needs anonymous access: kubeadm's liveness, readiness and startup probes call /livez and /readyz without credentials and would get 401 (the kubelet would then restart the API server); change them, or on 1.32+ keep anonymous only for /livez, /readyz and /healthz with an --authentication-config file (anonymous.conditions) instead of --anonymous-auth.`,
      };
    }),
};
