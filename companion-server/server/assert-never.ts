/** The compile-time exhaustiveness check of a switch over a union; reaching it at run time is a bug. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value ${JSON.stringify(value)}.`);
}
