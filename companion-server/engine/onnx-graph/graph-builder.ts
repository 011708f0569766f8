/**
 * A small ONNX graph builder: named values, nodes, initializers and typed I/O, serialized with
 * onnx-proto. The tiny model generator and the test fixtures build their graphs with it, and a
 * checkpoint converter can feed it real weights through the same calls.
 */
import { onnx } from 'onnx-proto';

export type ElementType = 'float32' | 'float16' | 'int32' | 'int64';
/** A dimension: a fixed size, or a symbolic name such as "batch". */
export type Dim = number | string;

const ONNX_TYPE: Record<ElementType, onnx.TensorProto.DataType> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

export type InitializerData = Float32Array | Uint16Array | Int32Array | BigInt64Array;

export type Attribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string };

export const attr = {
  int: (value: number): Attribute => ({ kind: 'int', value }),
  float: (value: number): Attribute => ({ kind: 'float', value }),
  ints: (value: readonly number[]): Attribute => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): Attribute => ({ kind: 'floats', value }),
  string: (value: string): Attribute => ({ kind: 'string', value }),
};

interface Initializer {
  name: string;
  type: ElementType;
  dims: readonly number[];
  data: InitializerData;
  /** Made by floats()/int64s() (shapes, scales, masks), not a weight of the model. */
  constant?: boolean;
}

export interface SerializeOptions {
  /** Write initializers of at least `minBytes` to this file beside the model (ONNX external data). */
  externalData?: { fileName: string; minBytes?: number };
}

export interface SerializedModel {
  model: Uint8Array;
  /** The external data file's bytes, when externalData was asked for. */
  externalData?: Uint8Array;
}

export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly usedNames = new Set<string>();
  /** Small constants by content, so repeated layers share one shape or scale tensor. */
  private readonly constants = new Map<string, string>();

  constructor(readonly name: string, readonly opset = 17) {}

  /** A fresh value name starting with `prefix`. */
  uniqueName(prefix: string): string {
    let name = prefix;
    for (let i = 1; this.usedNames.has(name); i++) name = `${prefix}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  input(name: string, type: ElementType, dims: readonly Dim[]): string {
    this.claim(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares graph output `name`, fed by `value` (through an Identity when the names differ). */
  output(name: string, value: string, type: ElementType, dims: readonly Dim[]): void {
    if (value !== name) {
      this.claim(name);
      this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: `${name}_identity` });
    }
    this.outputs.push(valueInfo(name, type, dims));
  }

  initializer(name: string, type: ElementType, dims: readonly number[], data: InitializerData): string {
    const expected = dims.reduce((n, d) => n * d, 1);
    if (data.length !== expected) {
      throw new Error(`Initializer ${name}: ${data.length} values for dims [${dims.join(', ')}] (${expected} expected).`);
    }
    this.claim(name);
    this.initializers.push({ name, type, dims: [...dims], data });
    return name;
  }

  /** A float32 constant with a generated name; equal constants with the same prefix are shared. */
  floats(prefix: string, dims: readonly number[], values: Float32Array | readonly number[]): string {
    return this.constant(prefix, 'float32', dims, Float32Array.from(values));
  }

  /** A 1-D int64 constant, as Reshape, Slice and friends take for shapes and axes; shared like floats. */
  int64s(prefix: string, values: readonly number[]): string {
    return this.constant(prefix, 'int64', [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  private constant(prefix: string, type: ElementType, dims: readonly number[], data: Float32Array | BigInt64Array): string {
    const key = `${prefix}|${type}|${dims.join(',')}|${data.join(',')}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    // uniqueName has claimed the name already, so bypass initializer()'s claim.
    const name = this.uniqueName(prefix);
    this.initializers.push({ name, type, dims: [...dims], data, constant: true });
    this.constants.set(key, name);
    return name;
  }

  /** Adds a node and returns its single output's name. */
  node(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, domain?: string): string {
    return this.nodeWithOutputs(opType, inputs, 1, attributes, domain)[0];
  }

  nodeWithOutputs(
    opType: string,
    inputs: readonly string[],
    outputCount: number,
    attributes: Record<string, Attribute> = {},
    domain?: string,
  ): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.uniqueName(opType.toLowerCase()));
    this.nodes.push({
      opType,
      domain,
      name: `${opType}_${this.nodes.length}`,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value)),
    });
    return outputs;
  }

  /** Values in float initializers added with initializer(): the model's weights, not its constants. */
  get parameterCount(): number {
    return this.initializers.reduce((n, init) => n + (init.type.startsWith('float') && !init.constant ? init.data.length : 0), 0);
  }

  serialize(options: SerializeOptions = {}): SerializedModel {
    const external = options.externalData;
    const chunks: Uint8Array[] = [];
    let externalOffset = 0;
    const initializer = this.initializers.map((init): onnx.ITensorProto => {
      const bytes = new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength);
      const base = { name: init.name, dataType: ONNX_TYPE[init.type], dims: [...init.dims] };
      if (!external || bytes.byteLength < (external.minBytes ?? 1024)) return { ...base, rawData: bytes };
      const proto: onnx.ITensorProto = {
        ...base,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: external.fileName },
          { key: 'offset', value: String(externalOffset) },
          { key: 'length', value: String(bytes.byteLength) },
        ],
      };
      chunks.push(bytes);
      externalOffset += bytes.byteLength;
      return proto;
    });
    const model: onnx.IModelProto = {
      irVersion: 8,
      producerName: 'diffusion-brush',
      opsetImport: [{ domain: '', version: this.opset }],
      graph: { name: this.name, node: this.nodes, input: this.inputs, output: this.outputs, initializer },
    };
    return {
      model: onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish(),
      externalData: external ? concatBytes(chunks, externalOffset) : undefined,
    };
  }

  private claim(name: string): void {
    if (this.usedNames.has(name)) throw new Error(`Value name ${name} is already used in graph ${this.name}.`);
    this.usedNames.add(name);
  }
}

function valueInfo(name: string, type: ElementType, dims: readonly Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ONNX_TYPE[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attributeProto(name: string, attribute: Attribute): onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  switch (attribute.kind) {
    case 'int':
      return { name, type: AttributeType.INT, i: attribute.value };
    case 'float':
      return { name, type: AttributeType.FLOAT, f: attribute.value };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: [...attribute.value] };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: [...attribute.value] };
    case 'string':
      return { name, type: AttributeType.STRING, s: new TextEncoder().encode(attribute.value) };
    default: {
      const unknown: never = attribute;
      throw new Error(`Unknown attribute ${JSON.stringify(unknown)}`);
    }
  }
}

function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
