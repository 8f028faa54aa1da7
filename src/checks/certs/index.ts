// The certificate checks (beyond CIS), in report order.
import { withNoFix, type Check } from '../types.ts';
import { servingCaSigned } from './serving-ca-signed.ts';
import { notExpired } from './not-expired.ts';
import { strongKey } from './strong-key.ts';
import { keyFilePrivate } from './key-file-private.ts';
import { clientCaPresent } from './client-ca-present.ts';

export const checks: Check[] = [
  ...withNoFix('a certificate is reissued (kubeadm certs renew, the kubelet\'s certificate rotation and an approved CSR), not edited', [servingCaSigned, notExpired, strongKey]),
  keyFilePrivate,
  ...withNoFix('a certificate is reissued (kubeadm certs renew, the kubelet\'s certificate rotation and an approved CSR), not edited', [clientCaPresent]),
];
