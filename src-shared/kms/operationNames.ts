/** The AWS CLI name of an operation: GenerateDataKeyPair → generate-data-key-pair. */
export function cliName(operation: string): string {
  return operation.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
