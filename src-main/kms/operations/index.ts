import type { CoreOperationName } from '../../../src-shared/kms/extensions';
import type { OperationName } from '../../../src-shared/kms/shapes.generated';
import { createUser } from '../iam/createUser';
import { deleteUser } from '../iam/deleteUser';
import { getUser } from '../iam/getUser';
import { listUsers } from '../iam/listUsers';
import { createAccessKey } from '../iam/createAccessKey';
import { deleteAccessKey } from '../iam/deleteAccessKey';
import { listAccessKeys } from '../iam/listAccessKeys';
import { updateAccessKey } from '../iam/updateAccessKey';
import { putUserPolicy } from '../iam/putUserPolicy';
import { getUserPolicy } from '../iam/getUserPolicy';
import { deleteUserPolicy } from '../iam/deleteUserPolicy';
import { listUserPolicies } from '../iam/listUserPolicies';
import { simulatePrincipalPolicy } from '../iam/simulatePrincipalPolicy';
import { createContact } from '../contacts/createContact';
import { deleteContact } from '../contacts/deleteContact';
import { listContacts } from '../contacts/listContacts';
import { createRecoverySplit } from '../ceremonies/createRecoverySplit';
import { describeRecoverySplit } from '../ceremonies/describeRecoverySplit';
import { verifyRecoverySecret } from '../ceremonies/verifyRecoverySecret';
import { wrapKeyMaterial } from '../ceremonies/wrapKeyMaterial';
import { createReplicationRequest } from '../ceremonies/createReplicationRequest';
import { importReplicaKey } from '../ceremonies/importReplicaKey';
import { signCeremonyTranscript } from '../ceremonies/signCeremonyTranscript';
import { createAgeIdentity } from '../identities/createAgeIdentity';
import { deleteAgeIdentity } from '../identities/deleteAgeIdentity';
import { listAgeIdentities } from '../identities/listAgeIdentities';
import { unwrapAgeFileKey } from '../identities/unwrapAgeFileKey';
import { listKeyDetails } from '../extensions/listKeyDetails';
import { lookupEvents } from '../extensions/lookupEvents';
import { simulatePolicy } from '../extensions/simulatePolicy';
import type { AnyDeclaration } from '../pipeline/declaration';
import { cancelKeyDeletion } from './cancelKeyDeletion';
import { connectCustomKeyStore } from './connectCustomKeyStore';
import { createCustomKeyStore } from './createCustomKeyStore';
import { deleteCustomKeyStore } from './deleteCustomKeyStore';
import { describeCustomKeyStores } from './describeCustomKeyStores';
import { disconnectCustomKeyStore } from './disconnectCustomKeyStore';
import { updateCustomKeyStore } from './updateCustomKeyStore';
import { createAlias } from './createAlias';
import { createGrant } from './createGrant';
import { createKey } from './createKey';
import { decrypt } from './decrypt';
import { deleteAlias } from './deleteAlias';
import { deleteImportedKeyMaterial } from './deleteImportedKeyMaterial';
import { deriveSharedSecret } from './deriveSharedSecret';
import { describeKey } from './describeKey';
import { disableKey } from './disableKey';
import { disableKeyRotation } from './disableKeyRotation';
import { enableKey } from './enableKey';
import { enableKeyRotation } from './enableKeyRotation';
import { encrypt } from './encrypt';
import { generateDataKey } from './generateDataKey';
import { generateDataKeyPair } from './generateDataKeyPair';
import { generateDataKeyPairWithoutPlaintext } from './generateDataKeyPairWithoutPlaintext';
import { generateDataKeyWithoutPlaintext } from './generateDataKeyWithoutPlaintext';
import { generateMac } from './generateMac';
import { generateRandom } from './generateRandom';
import { getPublicKey } from './getPublicKey';
import { getKeyPolicy } from './getKeyPolicy';
import { getKeyRotationStatus } from './getKeyRotationStatus';
import { getParametersForImport } from './getParametersForImport';
import { importKeyMaterial } from './importKeyMaterial';
import { listAliases } from './listAliases';
import { listGrants } from './listGrants';
import { listKeyPolicies } from './listKeyPolicies';
import { listKeyRotations } from './listKeyRotations';
import { listKeys } from './listKeys';
import { listResourceTags } from './listResourceTags';
import { listRetirableGrants } from './listRetirableGrants';
import { putKeyPolicy } from './putKeyPolicy';
import { reEncrypt } from './reEncrypt';
import { retireGrant } from './retireGrant';
import { revokeGrant } from './revokeGrant';
import { replicateKey } from './replicateKey';
import { rotateKeyOnDemand } from './rotateKeyOnDemand';
import { scheduleKeyDeletion } from './scheduleKeyDeletion';
import { sign } from './sign';
import { tagResource } from './tagResource';
import { untagResource } from './untagResource';
import { updateAlias } from './updateAlias';
import { updateKeyDescription } from './updateKeyDescription';
import { updatePrimaryRegion } from './updatePrimaryRegion';
import { verify } from './verify';
import { verifyMac } from './verifyMac';

/** Every AWS operation this build implements, each declared once in its own file. */
const AWS_DECLARATIONS: readonly AnyDeclaration[] = [
  cancelKeyDeletion, connectCustomKeyStore, createAlias, createCustomKeyStore, createGrant, createKey, decrypt, deleteAlias, deleteCustomKeyStore, deleteImportedKeyMaterial, deriveSharedSecret, describeCustomKeyStores, describeKey, disableKey, disconnectCustomKeyStore, disableKeyRotation, enableKey, enableKeyRotation,
  encrypt, generateDataKey, generateDataKeyPair, generateDataKeyPairWithoutPlaintext, generateDataKeyWithoutPlaintext, generateMac, generateRandom, getKeyPolicy, getKeyRotationStatus, getParametersForImport, getPublicKey, importKeyMaterial, listAliases, listGrants, listKeyPolicies, listKeyRotations, listKeys,
  listResourceTags, listRetirableGrants, putKeyPolicy, reEncrypt, retireGrant, replicateKey, revokeGrant, rotateKeyOnDemand, scheduleKeyDeletion, sign, tagResource, untagResource, updateAlias, updateCustomKeyStore, updateKeyDescription, updatePrimaryRegion, verify, verifyMac,
];

/** The IAM operations this build implements (src-shared/iam), each declared once in kms/iam. */
const IAM_DECLARATIONS: readonly AnyDeclaration[] = [
  createAccessKey, createUser, deleteAccessKey, deleteUser, deleteUserPolicy, getUser, getUserPolicy, listAccessKeys, listUserPolicies, listUsers, putUserPolicy, simulatePrincipalPolicy, updateAccessKey,
];

/** Strongroom's own operations (see src-shared/kms/extensions.ts), run by the same pipeline. */
const EXTENSION_DECLARATIONS: readonly AnyDeclaration[] = [
  createAgeIdentity, createContact, createRecoverySplit, deleteAgeIdentity, deleteContact, describeRecoverySplit, listAgeIdentities, listContacts, listKeyDetails, lookupEvents, simulatePolicy, unwrapAgeFileKey, verifyRecoverySecret, wrapKeyMaterial, createReplicationRequest, importReplicaKey, signCeremonyTranscript,
];

const BY_NAME = new Map<string, AnyDeclaration>([...AWS_DECLARATIONS, ...IAM_DECLARATIONS, ...EXTENSION_DECLARATIONS].map((declaration) => [declaration.name, declaration]));

/** The declaration of operation `name`, or undefined when this build does not implement it. */
export function declarationOf(name: CoreOperationName): AnyDeclaration | undefined {
  return BY_NAME.get(name);
}

/** The names of the implemented AWS operations, in AWS's spelling, sorted. */
export function implementedOperations(): OperationName[] {
  return AWS_DECLARATIONS.map((declaration) => declaration.name as OperationName).sort();
}

/** The names of the implemented IAM operations, sorted. */
export function iamOperations(): CoreOperationName[] {
  return IAM_DECLARATIONS.map((declaration) => declaration.name).sort();
}

/** The names of Strongroom's own operations, sorted. */
export function extensionOperations(): CoreOperationName[] {
  return EXTENSION_DECLARATIONS.map((declaration) => declaration.name).sort();
}
