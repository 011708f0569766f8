/**
 * The companion protocol: the contract between the Photoshop panel (or any client) and the companion.
 * Environment-neutral on purpose (zod and plain TypeScript only): the panel bundles it. See docs/protocol.md.
 */
export * from './version';
export * from './limits';
export * from './error-codes';
export * from './frames';
export * from './fields';
export * from './client-messages';
export * from './server-messages';
export * from './parse';
