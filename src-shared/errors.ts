/**
 * Errors are data with AWS names. Every failure that leaves the core is a
 * {@link KmsError} whose `type` is the AWS KMS exception name (or, for the
 * token and vault lifecycle that AWS has no word for, a Strongroom name in
 * the same style), with a message a person can act on.
 */

/** Exception names from the AWS KMS API that Strongroom raises. */
export const AWS_ERROR_TYPES = [
  'AlreadyExistsException',
  'CloudHsmClusterInUseException',
  'CloudHsmClusterInvalidConfigurationException',
  'CloudHsmClusterNotFoundException',
  'CloudHsmClusterNotRelatedException',
  'ConflictException',
  'CustomKeyStoreHasCMKsException',
  'CustomKeyStoreInvalidStateException',
  'CustomKeyStoreNameInUseException',
  'CustomKeyStoreNotFoundException',
  'DependencyTimeoutException',
  'DisabledException',
  'DryRunOperationException',
  'ExpiredImportTokenException',
  'IncorrectKeyException',
  'IncorrectKeyMaterialException',
  'IncorrectTrustAnchorException',
  'InvalidAliasNameException',
  'InvalidArnException',
  'InvalidCiphertextException',
  'InvalidGrantIdException',
  'InvalidGrantTokenException',
  'InvalidImportTokenException',
  'InvalidKeyUsageException',
  'InvalidMarkerException',
  'KMSInternalException',
  'KMSInvalidStateException',
  'KMSInvalidSignatureException',
  'KMSInvalidMacException',
  'LimitExceededException',
  'MalformedPolicyDocumentException',
  'NotFoundException',
  'TagException',
  'UnsupportedOperationException',
  'ValidationException',
  'AccessDeniedException',
  'ThrottlingException',
] as const;

/** Exception names of AWS IAM (users, access keys, identity policies) and of AWS's request authentication, which Strongroom raises. */
export const IAM_ERROR_TYPES = [
  'NoSuchEntityException',
  'EntityAlreadyExistsException',
  'DeleteConflictException',
  'InvalidInputException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
] as const;

/** Token and vault lifecycle errors, named in the AWS style. */
export const STRONGROOM_ERROR_TYPES = [
  'TokenModuleNotFoundException',
  'TokenModuleNotAllowedException',
  'TokenNotFoundException',
  'IncorrectPinException',
  'PinLockedException',
  'TokenRemovedException',
  'MechanismNotSupportedException',
  'RootOfTrustNotFoundException',
  'VaultNotInitializedException',
  'VaultAlreadyInitializedException',
  'VaultInUseException',
  'VaultLockedException',
  'VaultCorruptException',
  'TamperedVaultException',
  'VaultPermissionsException',
  'UnlockDelayedException',
  'VaultLockedOutException',
  'CancelledException',
] as const;

export type KmsErrorType = (typeof AWS_ERROR_TYPES)[number] | (typeof IAM_ERROR_TYPES)[number] | (typeof STRONGROOM_ERROR_TYPES)[number];

/** The JSON form every door sends: `{"__type": "...", "message": "..."}`. */
export interface ErrorShape {
  __type: KmsErrorType;
  message: string;
}

/** A failure with an AWS-style name; its message never holds secret material. */
export class KmsError extends Error {
  constructor(
    readonly type: KmsErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }

  /** The wire form of this error. */
  toShape(): ErrorShape {
    return { __type: this.type, message: this.message };
  }
}

const KNOWN_TYPES: ReadonlySet<string> = new Set([...AWS_ERROR_TYPES, ...IAM_ERROR_TYPES, ...STRONGROOM_ERROR_TYPES]);

/** True when `value` names an error type Strongroom knows. */
export function isKmsErrorType(value: string): value is KmsErrorType {
  return KNOWN_TYPES.has(value);
}

/**
 * Turns anything thrown into the wire form. A {@link KmsError} keeps its name
 * and message; anything else becomes KMSInternalException with a fixed
 * message, so that no unexpected detail (which might hold a secret) leaks.
 */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof KmsError) return error.toShape();
  return { __type: 'KMSInternalException', message: 'An internal error occurred. See the application log for details.' };
}
