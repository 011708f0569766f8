/** A dense float32 tensor in row-major (NCHW) order. The engine's only array type. */
export interface Tensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export function tensor(data: Float32Array, dims: readonly number[]): Tensor {
  const expected = elementCount(dims);
  if (data.length !== expected) {
    throw new Error(`Tensor data has ${data.length} elements but dims [${dims.join(', ')}] need ${expected}.`);
  }
  return { data, dims: [...dims] };
}

export function zeros(dims: readonly number[]): Tensor {
  return { data: new Float32Array(elementCount(dims)), dims: [...dims] };
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((count, dim) => count * dim, 1);
}

/** Every element times `factor`; the tensor itself when the factor is 1. */
export function scaleTensor(t: Tensor, factor: number): Tensor {
  return factor === 1 ? t : { data: t.data.map((v) => v * factor), dims: t.dims };
}

/** Concatenates tensors along the first (batch) axis. */
export function concatBatch(parts: readonly Tensor[]): Tensor {
  const [first] = parts;
  const itemDims = first.dims.slice(1);
  const data = new Float32Array(parts.reduce((n, p) => n + p.data.length, 0));
  let offset = 0;
  let batch = 0;
  for (const part of parts) {
    if (part.dims.slice(1).join() !== itemDims.join()) {
      throw new Error(`Cannot batch tensors of dims [${part.dims}] and [${first.dims}].`);
    }
    data.set(part.data, offset);
    offset += part.data.length;
    batch += part.dims[0];
  }
  return { data, dims: [batch, ...itemDims] };
}

/** Splits a batched tensor into `count` equal tensors along the first axis. */
export function splitBatch(t: Tensor, count: number): Tensor[] {
  const [batch, ...itemDims] = t.dims;
  if (batch % count !== 0) throw new Error(`Cannot split a batch of ${batch} into ${count} parts.`);
  const size = t.data.length / count;
  const dims = [batch / count, ...itemDims];
  return Array.from({ length: count }, (_, i) => ({ data: t.data.slice(i * size, (i + 1) * size), dims }));
}

/** Repeats each row `times` times in place: rows [a, b] -> [a, a, b, b] for times = 2. */
export function repeatEachRow(t: Tensor, times: number): Tensor {
  if (times === 1) return t;
  const [batch, ...item] = t.dims;
  const size = t.data.length / batch;
  const data = new Float32Array(t.data.length * times);
  for (let b = 0; b < batch; b++) {
    const row = t.data.subarray(b * size, (b + 1) * size);
    for (let r = 0; r < times; r++) data.set(row, (b * times + r) * size);
  }
  return { data, dims: [batch * times, ...item] };
}
