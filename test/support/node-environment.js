/**
 * Jest's node environment, with this process's typed array classes shared into the test realm.
 * onnxruntime-node builds output tensors with the process's Float32Array and friends, and
 * onnxruntime-common (loaded in the test realm) checks them with `instanceof`: without sharing,
 * every session.run under jest fails with "A float32 tensor's data must be type of Float32Array".
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class SharedTypedArrayEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = SharedTypedArrayEnvironment;
