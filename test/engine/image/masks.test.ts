import {
  areaAverage,
  featherMask,
  grayBounds,
  growMask,
  layerWeights,
  maskFromGray,
  maskToGray,
  type MaskPlane,
} from '../../../companion-server/engine/image';

function plane(width: number, height: number, values: number[]): MaskPlane {
  return { width, height, data: Float32Array.from(values) };
}

function mean(mask: MaskPlane): number {
  return mask.data.reduce((s, v) => s + v, 0) / mask.data.length;
}

describe('areaAverage', () => {
  it('averages whole blocks', () => {
    const out = areaAverage(plane(4, 2, [1, 1, 0, 0, 1, 0, 0, 0]), 2, 1);
    expect(Array.from(out.data)).toEqual([0.75, 0]);
  });

  it('weights partly covered pixels by the covered fraction', () => {
    const out = areaAverage(plane(3, 1, [1, 0, 0]), 2, 1);
    expect(out.data[0]).toBeCloseTo(2 / 3);
    expect(out.data[1]).toBeCloseTo(0);
  });

  it('keeps a one-pixel stroke as its share of the cell instead of dropping it', () => {
    const values = new Array(64).fill(0);
    values[3 * 8 + 3] = 1;
    const out = areaAverage(plane(8, 8, values), 1, 1);
    expect(out.data[0]).toBeCloseTo(1 / 64);
  });

  it('reads an 8-bit mask directly as coverage with unit 255', () => {
    const gray = { width: 2, height: 1, data: Uint8Array.from([255, 0]) };
    expect(Array.from(areaAverage(gray, 1, 1, 255).data)).toEqual([0.5]);
  });

  it('preserves the mean coverage of a soft mask', () => {
    const values = Array.from({ length: 40 * 24 }, (_, i) => (i % 7) / 6);
    const source = plane(40, 24, values);
    expect(mean(areaAverage(source, 5, 3))).toBeCloseTo(mean(source), 5);
  });
});

describe('growMask', () => {
  it('grows a point into a square of side 2r + 1, keeping its soft value', () => {
    const values = new Array(81).fill(0);
    values[4 * 9 + 4] = 0.5;
    const grown = growMask(plane(9, 9, values), 2);
    const covered = Array.from(grown.data).filter((v) => v === 0.5).length;
    expect(covered).toBe(25);
    expect(Math.max(...grown.data)).toBe(0.5);
  });

  it('leaves the mask alone for zero pixels', () => {
    const mask = plane(2, 1, [0, 1]);
    expect(growMask(mask, 0)).toBe(mask);
  });
});

describe('featherMask', () => {
  const edge = plane(40, 1, Array.from({ length: 40 }, (_, x) => (x < 20 ? 1 : 0)));

  it('turns a hard edge into a band of intermediate values about the feather width wide', () => {
    const soft = featherMask(edge, 6);
    const intermediate = Array.from(soft.data).filter((v) => v > 0.02 && v < 0.98).length;
    expect(intermediate).toBeGreaterThanOrEqual(6);
    expect(intermediate).toBeLessThanOrEqual(16);
    expect(soft.data[19]).toBeGreaterThan(0.4);
    expect(soft.data[20]).toBeLessThan(0.6);
  });

  it('keeps a uniform mask uniform and preserves the mean away from the borders', () => {
    expect(Array.from(featherMask(plane(5, 5, new Array(25).fill(0.3)), 4).data).every((v) => Math.abs(v - 0.3) < 1e-6)).toBe(true);
    expect(mean(featherMask(edge, 6))).toBeCloseTo(mean(edge), 5);
  });
});

describe('grayBounds', () => {
  it('finds the bounding box of non-zero pixels, or nothing for an empty mask', () => {
    const data = new Uint8Array(6 * 5);
    data[1 * 6 + 2] = 10;
    data[3 * 6 + 4] = 255;
    expect(grayBounds({ width: 6, height: 5, data })?.toString()).toBe('3x3 at (2, 1)');
    expect(grayBounds({ width: 6, height: 5, data: new Uint8Array(30) })).toBeUndefined();
  });
});

describe('layerWeights', () => {
  it('lets the later mask win where masks overlap, soft masks sharing what they leave', () => {
    const first = plane(4, 1, [1, 1, 0, 1]);
    const second = plane(4, 1, [0, 1, 0.5, 0.25]);
    const weights = layerWeights([first, second]);
    expect(Array.from(weights[0].data)).toEqual([1, 0, 0, 0.75]);
    expect(Array.from(weights[1].data)).toEqual([0, 1, 0.5, 0.25]);
  });
});

describe('8-bit conversion', () => {
  it('round-trips every grey level', () => {
    const gray = { width: 256, height: 1, data: Uint8Array.from({ length: 256 }, (_, i) => i) };
    expect(maskToGray(maskFromGray(gray)).data).toEqual(gray.data);
  });
});

describe('grayBounds on unaligned and large masks', () => {
  it('agrees with a plain scan for random sparse masks at any byte offset', () => {
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let trial = 0; trial < 50; trial++) {
      const width = 1 + Math.floor(random() * 40);
      const height = 1 + Math.floor(random() * 30);
      const offset = Math.floor(random() * 4);
      const buffer = new Uint8Array(width * height + offset);
      const data = buffer.subarray(offset);
      const dots = Math.floor(random() * 4);
      for (let d = 0; d < dots; d++) data[Math.floor(random() * data.length)] = 1 + Math.floor(random() * 254);
      let expected: string | undefined;
      const xs: number[] = [];
      const ys: number[] = [];
      data.forEach((v, i) => {
        if (v) {
          xs.push(i % width);
          ys.push(Math.floor(i / width));
        }
      });
      if (xs.length) expected = `${Math.max(...xs) - Math.min(...xs) + 1}x${Math.max(...ys) - Math.min(...ys) + 1} at (${Math.min(...xs)}, ${Math.min(...ys)})`;
      expect(grayBounds({ width, height, data })?.toString()).toBe(expected);
    }
  });

  it.each([
    ['the first byte', [0]],
    ['the last byte of the first 64 KiB chunk', [65535]],
    ['the first byte of the second chunk', [65536]],
    ['the very last byte', [1000 * 300 - 1]],
    ['both ends of a short last chunk', [5, 1000 * 300 - 2]],
  ])('finds pixels at %s of a mask several chunks long', (_, positions) => {
    const width = 1000;
    const data = new Uint8Array(width * 300);
    for (const p of positions) data[p] = 7;
    const xs = positions.map((p) => p % width);
    const ys = positions.map((p) => Math.floor(p / width));
    const expected = `${Math.max(...xs) - Math.min(...xs) + 1}x${Math.max(...ys) - Math.min(...ys) + 1} at (${Math.min(...xs)}, ${Math.min(...ys)})`;
    expect(grayBounds({ width, height: 300, data })?.toString()).toBe(expected);
  });
});
