import { onnx } from 'onnx-proto';
import { GraphBuilder } from '../../../companion-server/engine/onnx-graph/graph-builder';

describe('GraphBuilder', () => {
  test('shares equal constants with the same prefix instead of duplicating them', () => {
    const g = new GraphBuilder('constants');
    const a = g.int64s('shape', [0, 4, -1]);
    expect(g.int64s('shape', [0, 4, -1])).toBe(a);
    expect(g.int64s('shape', [0, 8, -1])).not.toBe(a);
    expect(g.floats('scale', [], [0.5])).toBe(g.floats('scale', [], [0.5]));
  });

  test('refuses a second value with an existing name', () => {
    const g = new GraphBuilder('names');
    g.input('x', 'float32', [1]);
    expect(() => g.initializer('x', 'float32', [1], new Float32Array(1))).toThrow(/already used/);
  });

  test('refuses initializer data that does not fill its dims', () => {
    const g = new GraphBuilder('dims');
    expect(() => g.initializer('w', 'float32', [2, 3], new Float32Array(5))).toThrow(/5 values for dims \[2, 3\]/);
  });

  test('moves large initializers to the external data file and keeps small ones inline', () => {
    const g = new GraphBuilder('external');
    const x = g.input('x', 'float32', [256]);
    const big = g.initializer('big', 'float32', [256], new Float32Array(256).fill(2));
    g.output('y', g.node('Mul', [x, g.node('Add', [big, g.floats('small', [], [1])])]), 'float32', [256]);
    const { model, externalData } = g.serialize({ externalData: { fileName: 'model.onnx_data' } });
    expect(externalData?.byteLength).toBe(1024);
    const decoded = onnx.ModelProto.decode(model);
    const [bigProto, smallProto] = decoded.graph?.initializer ?? [];
    expect(bigProto.dataLocation).toBe(onnx.TensorProto.DataLocation.EXTERNAL);
    expect(bigProto.externalData?.map((e) => [e.key, e.value])).toEqual([
      ['location', 'model.onnx_data'],
      ['offset', '0'],
      ['length', '1024'],
    ]);
    expect(smallProto.rawData?.byteLength).toBe(4);
  });

  test('serializes the same graph to the same bytes', () => {
    const build = () => {
      const g = new GraphBuilder('stable');
      const x = g.input('x', 'float32', ['batch', 2]);
      g.output('y', g.node('Add', [x, g.floats('bias', [2], [1, 2])]), 'float32', ['batch', 2]);
      return g.serialize().model;
    };
    expect(Buffer.from(build()).equals(Buffer.from(build()))).toBe(true);
  });
});

describe('GraphBuilder.parameterCount', () => {
  test('counts weights added as initializers, not shape or scale constants', () => {
    const g = new GraphBuilder('count');
    g.initializer('w', 'float32', [2, 3], new Float32Array(6));
    g.floats('mask', [4], [0, 0, 0, 0]);
    g.int64s('shape', [1, -1]);
    expect(g.parameterCount).toBe(6);
  });
});
