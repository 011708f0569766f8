/** The few element-wise operations the schedulers' update rules are written in. */
import type { Tensor } from '../tensor';

/** Throws unless `other` has the shape of `reference`; `what` names the offending argument. */
export function checkSameShape(reference: Tensor, other: Tensor, what: string): void {
  if (reference.dims.length !== other.dims.length || reference.dims.some((dim, i) => dim !== other.dims[i])) {
    throw new Error(`The ${what} has dims [${other.dims.join(', ')}] but the sample has [${reference.dims.join(', ')}]; pass tensors of one shape.`);
  }
}

/** sum_k coefficient_k * tensor_k, element by element (computed in double, stored as float32). */
export function combine(...terms: ReadonlyArray<readonly [number, Tensor]>): Tensor {
  const [, first] = terms[0];
  const data = new Float32Array(first.data.length);
  for (const [, term] of terms) checkSameShape(first, term, 'scheduler operand');
  for (let i = 0; i < data.length; i++) {
    let value = 0;
    for (const [coefficient, term] of terms) value += coefficient * term.data[i];
    data[i] = value;
  }
  return { data, dims: [...first.dims] };
}

/** Clamps every element to [-limit, limit]. */
export function clamp(t: Tensor, limit: number): Tensor {
  return { data: t.data.map((value) => Math.min(Math.max(value, -limit), limit)), dims: [...t.dims] };
}
