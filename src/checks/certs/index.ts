// The certificate checks (beyond CIS), in report order.
import type { Check } from '../types.ts';
import { servingCaSigned } from './serving-ca-signed.ts';
import { notExpired } from './not-expired.ts';
import { strongKey } from './strong-key.ts';
import { keyFilePrivate } from './key-file-private.ts';
import { clientCaPresent } from './client-ca-present.ts';

export const checks: Check[] = [servingCaSigned, notExpired, strongKey, keyFilePrivate, clientCaPresent];
