// Test support: a node's filesystem in a temporary folder, laid out like a kubeadm worker.
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './support/tmp.ts';

export const UNIT = '/usr/lib/systemd/system/kubelet.service';
export const DROPIN = '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf';
export const CONFIG = '/var/lib/kubelet/config.yaml';

export const KUBEADM_DROPIN = `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

export const GOOD_CONFIG = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
rotateCertificates: true
`;

/** Writes files (node path → text or bytes) under a fresh temporary root; returns the root. */
export function nodeTree(files: Record<string, string | Buffer>): string {
  const root = tempDir('kg-node-');
  for (const [p, content] of Object.entries(files)) {
    const host = path.join(root, p);
    fs.mkdirSync(path.dirname(host), { recursive: true });
    fs.writeFileSync(host, content);
  }
  return root;
}

export function kubeadmTree(overrides: Record<string, string | Buffer> = {}): string {
  return nodeTree({
    [UNIT]: '[Unit]\nDescription=kubelet\n[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\n',
    [DROPIN]: KUBEADM_DROPIN,
    '/var/lib/kubelet/kubeadm-flags.env': 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock"\n',
    '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=\n',
    [CONFIG]: GOOD_CONFIG,
    ...overrides,
  });
}
