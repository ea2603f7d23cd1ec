/**
 * A name as the AWS CLI spells it (botocore's xform_name): GenerateDataKeyPair
 * → generate-data-key-pair, KeyId → key-id, a run of capitals kept together.
 */
export function cliName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** A member name as CloudTrail and AWS's validation messages write it: its first letter in lower case, unless its first two are capitals (`KeyId` is `keyId`, `AWSAccountId` stays). */
export function lowerCamel(name: string): string {
  return /^[A-Z]{2}/.test(name) ? name : name.charAt(0).toLowerCase() + name.slice(1);
}
