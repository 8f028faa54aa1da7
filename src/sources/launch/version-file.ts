// A launch model plus the kubelet's version read from a file the distribution writes on the node
// (EKS AL2023: /etc/eks/kubelet-version.txt, the AMI build's `kubelet --version`; GKE:
// /home/kubernetes/kube-env, whose SERVER_BINARY_TAR_URL names the release the kubelet came from).
// Only a plain MAJOR.MINOR.PATCH is taken from the capture (the file is node-written, maybe hostile,
// and may hold secrets: nothing else of it leaves this module); the read is bounded.
import type { Launch, LaunchModel } from '../../distros/types.ts';

/** The file is read up to this many bytes (a kube-env is a few KiB; a version file one line). */
export const VERSION_FILE_MAX_BYTES = 1024 * 1024;

export interface VersionFile {
  file: string;
  /** the first capture group: MAJOR.MINOR.PATCH with an optional plain suffix (a leading "v" is dropped) */
  pattern: RegExp;
}

export function withKubeletVersionFile(model: LaunchModel, source: VersionFile): LaunchModel {
  return (ctx): Launch => {
    const launch = model(ctx);
    if (launch.kubeletVersion) return launch;
    const version = kubeletVersionFromFile(ctx.fs, source);
    return version ? { ...launch, kubeletVersion: version } : launch;
  };
}

export function kubeletVersionFromFile(fs: Parameters<LaunchModel>[0]['fs'], source: VersionFile): { value: string; source: string } | undefined {
  const r = fs.read(source.file, VERSION_FILE_MAX_BYTES);
  if (!r.ok) return undefined;
  const m = source.pattern.exec(r.bytes.toString('utf8'));
  // the whole capture must be plain ("v1.33.5-eks-3025e55"), or none of it is taken
  const v = m?.[1] && m[1].length <= 64 ? /^v?([0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,6})(?:[-+~_.][0-9A-Za-z.+_~-]*)?$/.exec(m[1]) : null;
  return v ? { value: v[1]!, source: source.file } : undefined;
}
