/**
 * The model's components as ONNX sessions: what each graph must declare, and the wrappers that turn
 * the pipeline's calls into session runs. Element types and timestep ranks are left to ModelSession,
 * which casts to whatever the export declares; names and ranks are what we check here.
 */
import type { ModelSession, ValueInfo } from '../ort';
import { describeValue } from '../ort';
import { scaleTensor, tensor, type Tensor } from '../tensor';
import type { TextEncoder, Unet, VaeDecoder, VaeEncoder } from './components';

const FLOATS = ['float32', 'float16'];

interface ExpectedValue {
  /** Accepted names; the first is the usual one. */
  names: readonly string[];
  types: readonly string[];
  ranks: readonly number[];
}

export interface ComponentIo {
  inputs: readonly ExpectedValue[];
  output: ExpectedValue;
}

/** The names and ranks optimum, diffusers' old script and Olive all give SD1.x/2.x components. */
export const COMPONENT_IO = {
  textEncoder: {
    inputs: [{ names: ['input_ids'], types: ['int64', 'int32'], ranks: [2] }],
    output: { names: ['last_hidden_state'], types: FLOATS, ranks: [3] },
  },
  unet: {
    inputs: [
      { names: ['sample'], types: FLOATS, ranks: [4] },
      // optimum: int64 scalar or [batch]; old script: int64 or float [batch]; Olive: float16 [1].
      { names: ['timestep'], types: ['int64', 'int32', 'float32', 'float16', 'float64'], ranks: [0, 1] },
      { names: ['encoder_hidden_states'], types: FLOATS, ranks: [3] },
    ],
    output: { names: ['out_sample'], types: FLOATS, ranks: [4] },
  },
  vaeEncoder: {
    inputs: [{ names: ['sample'], types: FLOATS, ranks: [4] }],
    // optimum: mean and logvar (2 x latent channels); old script: a sample drawn inside the graph.
    output: { names: ['latent_parameters', 'latent_sample'], types: FLOATS, ranks: [4] },
  },
  vaeDecoder: {
    inputs: [{ names: ['latent_sample'], types: FLOATS, ranks: [4] }],
    output: { names: ['sample'], types: FLOATS, ranks: [4] },
  },
} satisfies Record<string, ComponentIo>;

const expectation = (value: ExpectedValue) => `'${value.names.join("' or '")}' (${value.types.join('|')}, rank ${value.ranks.join(' or ')})`;

function checkValue(session: ModelSession, kind: 'input' | 'output', found: ValueInfo | undefined, expected: ExpectedValue, declared: readonly ValueInfo[]): string[] {
  if (!found) {
    return [`${session.path} has no ${kind} ${expectation(expected)}; it declares ${declared.map((v) => `'${v.name}'`).join(', ') || 'none'}.`];
  }
  const problems: string[] = [];
  if (!expected.types.includes(found.type) || !expected.ranks.includes(found.shape.length)) {
    problems.push(`${session.path}: ${kind} '${found.name}' is ${describeValue(found)}; expected ${expectation(expected)}.`);
  }
  return problems;
}

/** Every way `session` differs from `io`, each naming the file, the value, and what was expected. */
export function checkComponentIo(session: ModelSession, io: ComponentIo): string[] {
  const problems = io.inputs.flatMap((expected) =>
    checkValue(session, 'input', session.inputs.find((v) => expected.names.includes(v.name)), expected, session.inputs),
  );
  for (const extra of session.inputs.filter((v) => !io.inputs.some((expected) => expected.names.includes(v.name)))) {
    problems.push(
      `${session.path} declares input '${extra.name}' (${describeValue(extra)}), which Stable Diffusion 1.x/2.x components do not have (SDXL, ControlNet and inpainting exports are not supported).`,
    );
  }
  problems.push(...checkValue(session, 'output', outputValue(session, io), io.output, session.outputs));
  return problems;
}

/** The output a component reads: the first of the accepted names the graph declares. */
export function outputValue(session: ModelSession, io: ComponentIo): ValueInfo | undefined {
  for (const name of io.output.names) {
    const found = session.output(name);
    if (found) return found;
  }
  return undefined;
}

async function runForOutput(session: ModelSession, outputName: string, feeds: Record<string, Tensor>): Promise<Tensor> {
  return (await session.run(feeds))[outputName];
}

export class OnnxTextEncoder implements TextEncoder {
  constructor(private readonly session: ModelSession) {}

  async encode(inputIds: readonly (readonly number[])[]): Promise<Tensor> {
    const length = inputIds[0]?.length ?? 0;
    const ids = tensor(Float32Array.from(inputIds.flat()), [inputIds.length, length]);
    return runForOutput(this.session, 'last_hidden_state', { input_ids: ids });
  }
}

export class OnnxUnet implements Unet {
  constructor(
    private readonly session: ModelSession,
    readonly inChannels: number,
  ) {}

  predict(sample: Tensor, timestep: number, encoderHiddenStates: Tensor): Promise<Tensor> {
    // One timestep per batch item; ModelSession collapses it when the export declares a scalar or [1].
    const timesteps = tensor(new Float32Array(sample.dims[0]).fill(timestep), [sample.dims[0]]);
    return runForOutput(this.session, 'out_sample', { sample, timestep: timesteps, encoder_hidden_states: encoderHiddenStates });
  }
}

export type VaeEncoderOutput = 'latent_parameters' | 'latent_sample';

export class OnnxVaeEncoder implements VaeEncoder {
  constructor(
    private readonly session: ModelSession,
    /** latent_parameters: mean and log-variance, we take the mean; latent_sample: already sampled in the graph. */
    readonly output: VaeEncoderOutput,
    private readonly latentChannels: number,
    private readonly scalingFactor: number,
  ) {}

  async encode(image: Tensor): Promise<Tensor> {
    const encoded = await runForOutput(this.session, this.output, { sample: image });
    const latents = this.output === 'latent_parameters' ? leadingChannels(encoded, this.latentChannels) : encoded;
    return scaleTensor(latents, this.scalingFactor);
  }
}

export class OnnxVaeDecoder implements VaeDecoder {
  constructor(
    private readonly session: ModelSession,
    private readonly scalingFactor: number,
  ) {}

  decode(latents: Tensor): Promise<Tensor> {
    return runForOutput(this.session, 'sample', { latent_sample: scaleTensor(latents, 1 / this.scalingFactor) });
  }
}

/** The first `channels` channels of an NCHW tensor (the mean half of [mean, logvar]). */
export function leadingChannels(t: Tensor, channels: number): Tensor {
  const [batch, total, ...spatial] = t.dims;
  const plane = spatial.reduce((n, d) => n * d, 1);
  const data = new Float32Array(batch * channels * plane);
  for (let b = 0; b < batch; b++) {
    data.set(t.data.subarray(b * total * plane, (b * total + channels) * plane), b * channels * plane);
  }
  return { data, dims: [batch, channels, ...spatial] };
}
