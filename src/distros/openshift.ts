// OpenShift: not yet described (issue 14): no marks, so it is never detected; --distribution openshift audits it as a kubelet.service.
import type { Distribution } from './types.ts';
import { systemdLaunch } from '../sources/launch/systemd.ts';

export const openshift: Distribution = {
  name: 'openshift',
  title: 'OpenShift',
  runs: 'process',
  launch: systemdLaunch(),
  marks: [],
  // Node object: the machine-config-operator labels nodes node.openshift.io/os_id (rhcos, rhel);
  // osImage is RHCOS's PRETTY_NAME, "Red Hat Enterprise Linux CoreOS 416.94.202405291527-0"
  nodeObject: [{ label: 'node.openshift.io/os_id' }, { osImage: /^Red Hat Enterprise Linux CoreOS / }],
  benchmark: 'cis-openshift',
  sources: [],
};
