import { imagesToTensor, tensorToImages } from '../../../companion-server/engine/pipeline/image-tensor';

describe('image <-> tensor conversion', () => {
  const image = { width: 2, height: 1, data: Uint8Array.from([0, 128, 255, 10, 255, 0, 64, 200]) };

  it('maps 0..255 to -1..1 in planar RGB order and ignores alpha', () => {
    const t = imagesToTensor([image]);
    expect(t.dims).toEqual([1, 3, 1, 2]);
    expect(Array.from(t.data).map((v) => Number(v.toFixed(4)))).toEqual([-1, 1, 0.0039, -1, 1, -0.498]);
  });

  it('round-trips RGB exactly and writes opaque alpha', () => {
    const [back] = tensorToImages(imagesToTensor([image]));
    expect(Array.from(back.data)).toEqual([0, 128, 255, 255, 255, 0, 64, 255]);
  });

  it('clamps values outside [-1, 1]', () => {
    const [back] = tensorToImages({ data: Float32Array.from([-3, 3, 0]), dims: [1, 3, 1, 1] });
    expect(Array.from(back.data)).toEqual([0, 255, 128, 255]);
  });

  it('refuses a batch of images of different sizes', () => {
    expect(() => imagesToTensor([image, { width: 1, height: 1, data: new Uint8Array(4) }])).toThrow(/share a size/);
  });
});
