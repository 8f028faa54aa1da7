// Talos Linux: the kubelet is a container that machined runs through containerd
// (siderolabs/talos internal/app/machined/pkg/system/services/kubelet.go: ProcessArgs
// "/usr/local/bin/kubelet" + KubeletSpec.Args). Its arguments live only in machined's KubeletSpec
// resource, built in memory from the machine config (internal/app/machined/pkg/controllers/k8s/
// kubelet_spec.go): --config=/etc/kubernetes/kubelet.yaml, --cert-dir=/var/lib/kubelet/pki,
// --hostname-override, --node-ip, --bootstrap-kubeconfig and --kubeconfig (unless the node does not
// register), --cloud-provider=external when asked, merged with machine.kubelet.extraArgs, where the
// user may set any other flag (only config, cert-dir, kubeconfig, bootstrap-kubeconfig,
// container-runtime(-endpoint) are refused: MergeDenied). None of that is written to the node's disk.
// What is: /etc/kubernetes/kubelet.yaml (KubeletServiceController.writeConfig, 0600), the bootstrap
// kubeconfig and /etc/kubernetes/pki/ca.crt (writePKI), and what the kubelet writes itself.
// So the files show the KubeletConfiguration, never the flags that may override it: the command line
// is `hidden`, every setting stays unknown, and the audit says what shows the flags.
import type { Arg, Diagnostic, KubeletInvocation } from '../../facts/types.ts';
import type { Launch, LaunchContext, LaunchModel } from '../../distros/types.ts';

export const TALOS_KUBELET_CONFIG = '/etc/kubernetes/kubelet.yaml';
export const TALOS_BOOTSTRAP_KUBECONFIG = '/etc/kubernetes/bootstrap-kubeconfig';
export const TALOS_KUBECONFIG = '/etc/kubernetes/kubeconfig-kubelet';
const SPEC = 'Talos (siderolabs/talos internal/app/machined/pkg/controllers/k8s/kubelet_spec.go, MergeDenied)';

/** What works instead, said wherever the audit cannot see the kubelet's flags on Talos. */
export const TALOS_UNSEEN = "on Talos the kubelet's command line lives in machined's KubeletSpec resource (from the machine config's machine.kubelet.extraArgs), not in any file of the node, so any setting may be overridden by a flag the audit cannot see; run `kubelet-guard cluster` (it reads each kubelet's live configuration from /configz) or `talosctl -n NODE get kubeletspec -o yaml` (the kubelet's arguments)";

export function talosLaunch(): LaunchModel {
  return ({ fs }: LaunchContext): Launch => {
    const diagnostics: Diagnostic[] = [];
    if (fs.stat(TALOS_KUBELET_CONFIG, { follow: false }).exists !== true) {
      return { diagnostics, missing: `${TALOS_KUBELET_CONFIG} is not on this node, and ${TALOS_UNSEEN}` };
    }
    // The flags Talos always passes, and may not be changed by extraArgs: these are known.
    const by = SPEC;
    const argv: Arg[] = [
      { text: '/usr/local/bin/kubelet', by: 'Talos (siderolabs/talos internal/app/machined/pkg/system/services/kubelet.go)' },
      { text: `--config=${TALOS_KUBELET_CONFIG}`, by },
      { text: '--cert-dir=/var/lib/kubelet/pki', by },
    ];
    // written only when the node registers (cfgSpec.SkipNodeRegistration false): writePKI's file shows it
    if (fs.stat(TALOS_BOOTSTRAP_KUBECONFIG, { follow: false }).exists === true) {
      argv.push({ text: `--bootstrap-kubeconfig=${TALOS_BOOTSTRAP_KUBECONFIG}`, by }, { text: `--kubeconfig=${TALOS_KUBECONFIG}`, by });
    }
    const invocation: KubeletInvocation = { from: 'distribution', argv, env: {}, flags: [] };
    return { invocation, diagnostics, hidden: TALOS_UNSEEN };
  };
}
