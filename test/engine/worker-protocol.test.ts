import { EngineError } from '../../companion-server/engine/engine-error';
import { JobCancelledError } from '../../companion-server/engine/jobs';
import { deserializeError, serializeError, transferables } from '../../companion-server/engine/worker-protocol';

describe('worker protocol', () => {
  test('finds every typed array buffer in a result once, and leaves shared memory alone', () => {
    const latent = new Float32Array(8);
    const pixels = new Uint8Array(16);
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const result = { image: { data: pixels }, trajectory: [{ data: latent }, { data: latent.subarray(4) }], shared, name: 'x' };
    expect(transferables(result)).toEqual([pixels.buffer, latent.buffer]);
  });

  test('transferred arrays arrive intact and are detached in the sender', () => {
    const { port1, port2 } = new MessageChannel();
    const data = Float32Array.of(1, 2, 3);
    const received = new Promise<{ data: Float32Array }>((resolve) => port2.once('message', resolve));
    port1.postMessage({ data }, transferables({ data }));
    expect(data.length).toBe(0);
    return received.then((message) => {
      expect(Array.from(message.data)).toEqual([1, 2, 3]);
      port1.close();
    });
  });

  test.each([
    ['a cancellation', new JobCancelledError(), JobCancelledError, undefined],
    ['an engine error keeps its code', new EngineError('MODEL_INVALID', 'unet/model.onnx is missing'), EngineError, 'MODEL_INVALID'],
    ['any other error becomes JOB_FAILED', new TypeError('x is undefined'), EngineError, 'JOB_FAILED'],
  ])('%s crosses the boundary', (_name, error, type, code) => {
    const copy = deserializeError(structuredClone(serializeError(error)));
    expect(copy).toBeInstanceOf(type);
    if (code) expect((copy as EngineError).code).toBe(code);
    expect(copy.message).toContain(error.message);
  });
});
