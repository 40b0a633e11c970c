// crypto_provide / crypto_select: a 32-bit big-endian bitfield of payload encryptions. MSE defines
// two; other bits are reserved and ignored when offered.

import { MseError } from './errors.ts';

export const CRYPTO_PLAINTEXT = 0x01;
export const CRYPTO_RC4 = 0x02;

export type CryptoMethod = 'plaintext' | 'rc4';

/**
 * What this side accepts for the payload after the handshake. The handshake itself is always
 * obfuscated; 'plaintext-only' only leaves the payload in the clear.
 */
export type MsePolicy = 'prefer-rc4' | 'require-rc4' | 'plaintext-only';

/** The initiator's crypto_provide for a policy. */
export function cryptoProvide(policy: MsePolicy): number {
  switch (policy) {
    case 'prefer-rc4':
      return CRYPTO_PLAINTEXT | CRYPTO_RC4;
    case 'require-rc4':
      return CRYPTO_RC4;
    case 'plaintext-only':
      return CRYPTO_PLAINTEXT;
  }
}

/** The receiver's crypto_select: one method both sides accept, RC4 first. */
export function cryptoSelect(policy: MsePolicy, provided: number): number {
  const common = provided & cryptoProvide(policy);
  if (common & CRYPTO_RC4) return CRYPTO_RC4;
  if (common & CRYPTO_PLAINTEXT) return CRYPTO_PLAINTEXT;
  throw new MseError(
    'no-common-method',
    `crypto_provide 0x${provided.toString(16)} offers nothing policy ${policy} accepts`,
  );
}

/** Checks the receiver's crypto_select against what the initiator provided. */
export function parseCryptoSelect(selected: number, provided: number): CryptoMethod {
  if (selected === CRYPTO_RC4 && provided & CRYPTO_RC4) return 'rc4';
  if (selected === CRYPTO_PLAINTEXT && provided & CRYPTO_PLAINTEXT) return 'plaintext';
  throw new MseError(
    'bad-crypto-select',
    `crypto_select 0x${selected.toString(16)} is not one method of crypto_provide 0x${provided.toString(16)}`,
  );
}

export function methodOf(selected: number): CryptoMethod {
  return selected === CRYPTO_RC4 ? 'rc4' : 'plaintext';
}
