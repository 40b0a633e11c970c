// The peer encryption setting (MSE/PE): what outgoing connections offer and inbound ones may use.
//  - prefer:    obfuscated handshake first, plaintext when a peer does not take it (the default)
//  - require:   encrypted peers only (RC4 chosen), in both directions
//  - plaintext: the plain BEP 3 handshake only; encrypted inbound peers are refused
export type EncryptionMode = 'prefer' | 'require' | 'plaintext';

export const ENCRYPTION_MODES: readonly EncryptionMode[] = ['prefer', 'require', 'plaintext'];

export const DEFAULT_ENCRYPTION: EncryptionMode = 'prefer';

export function isEncryptionMode(value: unknown): value is EncryptionMode {
  return typeof value === 'string' && (ENCRYPTION_MODES as readonly string[]).includes(value);
}
