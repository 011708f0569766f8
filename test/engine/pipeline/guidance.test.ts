import type { Unet } from '../../../companion-server/engine/model/components';
import { guidedPredictor } from '../../../companion-server/engine/pipeline/guidance';
import type { Tensor } from '../../../companion-server/engine/tensor';

/** A UNet whose prediction is sample + the first conditioning value of each row, recording its batches. */
function recordingUnet() {
  const batches: number[] = [];
  const unet: Unet = {
    inChannels: 1,
    async predict(sample: Tensor, _timestep: number, hidden: Tensor) {
      batches.push(sample.dims[0]);
      const per = sample.data.length / sample.dims[0];
      const hiddenPer = hidden.data.length / hidden.dims[0];
      const data = sample.data.map((v, i) => v + hidden.data[Math.floor(i / per) * hiddenPer]);
      return { data, dims: sample.dims };
    },
  };
  return { unet, batches };
}

const row = (value: number): Tensor => ({ data: Float32Array.from([value, 0]), dims: [1, 2, 1] });

describe('classifier-free guidance', () => {
  it('runs unconditional and conditional rows as one batch and extrapolates by the guidance scale', async () => {
    const { unet, batches } = recordingUnet();
    const latents = { data: Float32Array.from([1, 2]), dims: [2, 1] };
    const out = await guidedPredictor(unet, { uncond: row(0), cond: row(1) }, 7.5, 2)(latents, 10);
    expect(batches).toEqual([4]);
    // eps_u = x, eps_c = x + 1  ->  x + 7.5
    expect(Array.from(out.data)).toEqual([8.5, 9.5]);
  });

  it('batches the conditioning once and reuses it at every step', async () => {
    const hiddenStates: Tensor[] = [];
    const unet: Unet = {
      inChannels: 1,
      async predict(sample: Tensor, _timestep: number, hidden: Tensor) {
        hiddenStates.push(hidden);
        return { data: new Float32Array(sample.data.length), dims: sample.dims };
      },
    };
    const predict = guidedPredictor(unet, { uncond: row(0), cond: row(1) }, 7.5, 2);
    const latents = { data: Float32Array.from([1, 2]), dims: [2, 1] };
    await predict(latents, 10);
    await predict(latents, 9);
    expect(hiddenStates[0].dims).toEqual([4, 2, 1]);
    expect(Array.from(hiddenStates[0].data)).toEqual([0, 0, 0, 0, 1, 0, 1, 0]);
    expect(hiddenStates[1]).toBe(hiddenStates[0]);
  });

  it('uses per-row conditioning when given one row per latent', async () => {
    const { unet } = recordingUnet();
    const latents = { data: Float32Array.from([0, 0]), dims: [2, 1] };
    const cond = { data: Float32Array.from([1, 0, 3, 0]), dims: [2, 2, 1] };
    const uncond = { data: Float32Array.from([0, 0, 0, 0]), dims: [2, 2, 1] };
    const out = await guidedPredictor(unet, { uncond, cond }, 2, 2)(latents, 10);
    expect(Array.from(out.data)).toEqual([2, 6]);
  });

  it('skips the unconditional branch when guidance is at most 1', async () => {
    const { unet, batches } = recordingUnet();
    const out = await guidedPredictor(unet, { uncond: row(5), cond: row(1) }, 1, 1)({ data: Float32Array.from([1]), dims: [1, 1] }, 10);
    expect(batches).toEqual([1]);
    expect(Array.from(out.data)).toEqual([2]);
  });

  it('refuses conditioning whose rows do not match the batch', async () => {
    const { unet } = recordingUnet();
    const three = { data: new Float32Array(6), dims: [3, 2, 1] };
    expect(() => guidedPredictor(unet, { uncond: three, cond: three }, 3, 2)).toThrow(/3 rows for a batch of 2/);
  });
});
