/** An engine request that cannot run as given. `field` names the offending parameter, as the caller spelled it. */
export class InvalidRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}
