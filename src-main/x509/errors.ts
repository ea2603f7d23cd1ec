/** A certificate request or certificate that cannot be made from what was given (a bad subject, a request whose signature fails…): the CLI's usage error, the interface's ValidationException. */
export class CertificateInputError extends Error {}
