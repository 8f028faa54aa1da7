// A kubelet version the distribution's os-release names (Bottlerocket's VARIANT_ID=aws-k8s-1.31,
// RHCOS's OPENSHIFT_VERSION="4.20"), added to a launch model's result when the launch itself shows
// none. Only the minor version is known this way: "1.31" decides what depends on the minor
// (refused flags, locked gates) and leaves CVE verdicts unknown (they need the patch release).
import type { Launch, LaunchModel } from '../../distros/types.ts';

const OS_RELEASE = ['/etc/os-release', '/usr/lib/os-release'];

export function withOsReleaseKubeletMinor(model: LaunchModel, minorOf: (osRelease: string) => string | undefined, why: string): LaunchModel {
  return (ctx): Launch => {
    const launch = model(ctx);
    if (launch.kubeletVersion) return launch;
    for (const file of OS_RELEASE) {
      const r = ctx.fs.read(file, 64 * 1024);
      if (!r.ok) continue;
      const minor = minorOf(r.bytes.toString('utf8'));
      if (minor !== undefined && /^1\.\d{1,3}$/.test(minor)) return { ...launch, kubeletVersion: { value: minor, source: `${file} (${why})` } };
    }
    return launch;
  };
}
