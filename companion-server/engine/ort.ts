/**
 * The only module that imports onnxruntime-node. Everything else hands it float32 Tensors and gets
 * float32 Tensors back; this module casts to whatever each session declares (fp16, int64, int32),
 * picks an execution provider by trying them one by one, and accounts the time spent in ORT.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { EngineError } from './engine-error';
import { float16ToFloat32, float32ToFloat16 } from './float16';
import { elementCount, type Tensor } from './tensor';

/** Fastest first. ORT does not fall back by itself: a failing provider makes session creation throw. */
export const DEFAULT_EXECUTION_PROVIDERS: readonly string[] = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];

/** How to install the providers that onnxruntime-node does not ship ready to run. */
const PROVIDER_HINTS: Record<string, string> = {
  cuda: 'CUDA needs the CUDA 12 build: npm install onnxruntime-node --onnxruntime-node-install=cuda12 (and a CUDA 12 runtime).',
  tensorrt: 'TensorRT needs the CUDA build of onnxruntime-node and TensorRT libraries on the library path.',
  dml: 'DirectML is only available on Windows.',
  coreml: 'CoreML is only available on macOS.',
  webgpu: 'WebGPU needs a GPU adapter (Vulkan, Metal or D3D12) that Dawn can open.',
};

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface OrtSessionOptions {
  /** Providers to try, in order (default DEFAULT_EXECUTION_PROVIDERS). */
  providers?: readonly string[];
  /** Default 'all'. */
  graphOptimization?: GraphOptimizationLevel;
  /** ORT's CPU memory arena (default on). Off trades some speed for RSS that does not grow across runs. */
  cpuMemoryArena?: boolean;
  /** Threads for one operator; 0 or absent lets ORT choose (one per physical core). */
  intraOpThreads?: number;
}

/** A provider that was not used, and why. */
export interface ProviderAttempt {
  provider: string;
  outcome: 'skipped' | 'failed';
  reason: string;
}

/** A declared input or output of a session. Shapes hold numbers for fixed and names for symbolic dims. */
export interface ValueInfo {
  name: string;
  type: string;
  shape: readonly (number | string)[];
}

export interface RunStats {
  runs: number;
  /** Wall time spent inside session.run, summed. */
  milliseconds: number;
}

export class ModelSession {
  private constructor(
    /** The model file, as given: every error names it. */
    readonly path: string,
    private readonly session: ort.InferenceSession,
    readonly provider: string,
    /** The providers tried before `provider`. */
    readonly providerAttempts: readonly ProviderAttempt[],
    readonly inputs: readonly ValueInfo[],
    readonly outputs: readonly ValueInfo[],
  ) {}

  private runCount = 0;
  private runMilliseconds = 0;
  private released = false;

  /** Opens `path` (external data beside it is found by path) on the first provider that works. */
  static async open(path: string, options: OrtSessionOptions = {}): Promise<ModelSession> {
    const available = installedBackends();
    const attempts: ProviderAttempt[] = [];
    for (const provider of options.providers ?? DEFAULT_EXECUTION_PROVIDERS) {
      if (!available.has(provider)) {
        attempts.push({
          provider,
          outcome: 'skipped',
          reason: withHint(`not in this onnxruntime-node build (it has ${[...available].join(', ')})`, provider),
        });
        continue;
      }
      try {
        const session = await ort.InferenceSession.create(path, sessionOptions(provider, options));
        return new ModelSession(path, session, provider, attempts, valueInfos(session.inputMetadata), valueInfos(session.outputMetadata));
      } catch (error) {
        attempts.push({ provider, outcome: 'failed', reason: withHint(firstLine(error), provider) });
      }
    }
    const cpu = attempts.find((attempt) => attempt.provider === 'cpu' && attempt.outcome === 'failed');
    if (cpu) {
      // The CPU provider runs every standard fp32 graph: when it fails, the file is the problem.
      throw new EngineError(
        'MODEL_INVALID',
        `onnxruntime cannot load ${path}: ${cpu.reason}\n` +
          'Fix: keep the external weights (model.onnx_data or weights.pb) beside model.onnx; a model optimized for GPUs ' +
          '(Olive fp16, fused operators) needs its GPU provider (dml or cuda); otherwise re-export the model.',
      );
    }
    throw new EngineError(
      'NO_EXECUTION_PROVIDER',
      `No execution provider could open ${path}:\n${describeAttempts(attempts)}\n` +
        "Fix: add 'cpu' to the provider list, or install one of the providers above.",
    );
  }

  get stats(): RunStats {
    return { runs: this.runCount, milliseconds: this.runMilliseconds };
  }

  input(name: string): ValueInfo | undefined {
    return this.inputs.find((value) => value.name === name);
  }

  output(name: string): ValueInfo | undefined {
    return this.outputs.find((value) => value.name === name);
  }

  /**
   * Runs the session. Every feed is cast to the declared element type and, for one-value feeds such
   * as a timestep, reshaped to the declared rank. Outputs come back as float32.
   */
  async run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const declared of this.inputs) {
      const given = feeds[declared.name];
      if (!given) {
        throw new EngineError(
          'MODEL_INPUT_MISMATCH',
          `${this.path} needs input '${declared.name}' (${describeValue(declared)}) but it was not given (given: ${Object.keys(feeds).join(', ')}).`,
        );
      }
      ortFeeds[declared.name] = this.toOrtTensor(given, declared);
    }
    const started = performance.now();
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = await this.session.run(ortFeeds);
    } catch (error) {
      throw new EngineError('INFERENCE_FAILED', `onnxruntime failed running ${this.path} on ${this.provider}: ${firstLine(error)}`);
    } finally {
      this.runCount++;
      this.runMilliseconds += performance.now() - started;
      for (const feed of Object.values(ortFeeds)) feed.dispose();
    }
    const outputs: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(results)) {
      outputs[name] = fromOrtTensor(value as ort.Tensor);
      value.dispose();
    }
    return outputs;
  }

  /** Frees the native session; later calls do nothing. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }

  private toOrtTensor(given: Tensor, declared: ValueInfo): ort.Tensor {
    const mismatch = (problem: string) =>
      new EngineError(
        'MODEL_INPUT_MISMATCH',
        `${this.path}: input '${declared.name}' declares ${describeValue(declared)} but was given float32 [${given.dims.join(', ')}]: ${problem}.`,
      );
    const conformed = conformToShape(given, declared.shape);
    if (!conformed) throw mismatch('the shapes cannot be matched');
    const data = castTo(declared.type, conformed.data);
    if (!data) throw mismatch(`element type ${declared.type} is not supported (float32, float16, float64, int32 and int64 are)`);
    return new ort.Tensor(declared.type as 'float32', data as Float32Array, conformed.dims);
  }
}

/**
 * Matches a feed to a declared shape. Exports disagree on how a timestep is passed (scalar, [1] or
 * [batch]), so a feed of rank 0 or 1 holding one repeated value fits any of those. Larger tensors
 * must already have the declared rank and fixed dims.
 */
export function conformToShape(given: Tensor, declared: readonly (number | string)[]): Tensor | undefined {
  const fits =
    given.dims.length === declared.length && declared.every((dim, i) => typeof dim === 'string' || dim === given.dims[i]);
  if (fits) return given;
  // ORT reports an unknown shape as []; only a rank 0/1 feed is then treated as a scalar.
  if (given.dims.length > 1) return declared.length === 0 ? given : undefined;
  const value = given.data[0];
  if (given.data.length === 0 || given.data.some((v) => v !== value) || declared.length > 1) return undefined;
  if (declared.length === 0) return { data: Float32Array.of(value), dims: [] };
  const length = typeof declared[0] === 'number' ? declared[0] : given.data.length;
  return { data: new Float32Array(length).fill(value), dims: [length] };
}

/** Integer inputs (token ids, timesteps) are rounded: a fractional timestep asks for the nearest one. */
function castTo(type: string, data: Float32Array): Float32Array | Uint16Array | Float64Array | Int32Array | BigInt64Array | undefined {
  switch (type) {
    case 'float32':
      return data;
    case 'float16':
      return float32ToFloat16(data);
    case 'float64':
      return Float64Array.from(data);
    case 'int32':
      return Int32Array.from(data, Math.round);
    case 'int64':
      return BigInt64Array.from(data, (v) => BigInt(Math.round(v)));
    default:
      return undefined;
  }
}

function fromOrtTensor(value: ort.Tensor): Tensor {
  const dims = [...value.dims];
  const data = value.data;
  if (data instanceof Float32Array) return { data, dims };
  if (value.type === 'float16' && data instanceof Uint16Array) return { data: float16ToFloat32(data), dims };
  if (typeof data === 'string' || (Array.isArray(data) && typeof data[0] === 'string')) {
    throw new EngineError('INFERENCE_FAILED', `A session returned a ${value.type} tensor; the engine only reads numeric outputs.`);
  }
  const numbers = Float32Array.from(data as ArrayLike<number | bigint>, Number);
  if (numbers.length !== elementCount(dims)) throw new EngineError('INFERENCE_FAILED', `Output of dims [${dims}] has ${numbers.length} values.`);
  return { data: numbers, dims };
}

function sessionOptions(provider: string, options: OrtSessionOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: options.graphOptimization ?? 'all',
    enableCpuMemArena: options.cpuMemoryArena ?? true,
    ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
  };
}

function valueInfos(metadata: readonly ort.InferenceSession.ValueMetadata[]): ValueInfo[] {
  return metadata.map((value) =>
    value.isTensor ? { name: value.name, type: value.type, shape: [...value.shape] } : { name: value.name, type: 'non-tensor', shape: [] },
  );
}

export function describeValue(value: ValueInfo): string {
  return `${value.type} [${value.shape.join(', ')}]`;
}

export function describeAttempts(attempts: readonly ProviderAttempt[]): string {
  return attempts.map((attempt) => `  ${attempt.provider}: ${attempt.outcome}, ${attempt.reason}`).join('\n');
}

/**
 * The backends this binding can run. Backends it lists as not bundled (cuda, tensorrt) load a provider
 * library that only the opt-in install step downloads; trying them without it makes ORT print an error
 * on stderr, so their library file is looked for first.
 */
function installedBackends(): Set<string> {
  const bindingFolder = onnxruntimeBindingFolder();
  const libraryName = (name: string) => (process.platform === 'win32' ? `onnxruntime_providers_${name}.dll` : `libonnxruntime_providers_${name}.so`);
  const installed = (name: string) => bindingFolder === undefined || existsSync(join(bindingFolder, libraryName(name)));
  return new Set(
    ort
      .listSupportedBackends()
      .filter((backend) => backend.bundled || installed(backend.name))
      .map((backend) => backend.name),
  );
}

/** Where the native binding lives, or undefined when this package layout is not the one we know (then nothing is filtered). */
function onnxruntimeBindingFolder(): string | undefined {
  try {
    return dirname(require.resolve(`onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`));
  } catch {
    return undefined;
  }
}

function withHint(reason: string, provider: string): string {
  const hint = PROVIDER_HINTS[provider];
  return hint ? `${reason} (${hint})` : reason;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim().split('\n')[0];
}
