import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../companion-server/engine/engine-error';
import { GraphBuilder, attr, type Dim, type ElementType } from '../../companion-server/engine/onnx-graph/graph-builder';
import { ModelSession, conformToShape } from '../../companion-server/engine/ort';
import { tensor } from '../../companion-server/engine/tensor';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'ort-test-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A model computing y = float(x) * 2 for an input x of the given type and shape. */
function doublingModel(name: string, type: ElementType, dims: readonly Dim[], outputType: ElementType = 'float32'): string {
  const g = new GraphBuilder(name);
  const x = g.input('x', type, dims);
  const y = g.node('Mul', [g.node('Cast', [x], { to: attr.int(1) }), g.floats('two', [], [2])]);
  g.output('y', outputType === 'float32' ? y : g.node('Cast', [y], { to: attr.int(10) }), outputType, dims);
  const path = join(directory, `${name}.onnx`);
  writeFileSync(path, g.serialize().model);
  return path;
}

describe('conformToShape', () => {
  const one = tensor(Float32Array.of(7), [1]);
  const batch = tensor(Float32Array.of(7, 7), [2]);
  test.each([
    ['a [1] feed to a scalar', one, [], []],
    ['a repeated [batch] feed to a scalar', batch, [], []],
    ['a repeated [batch] feed to [1]', batch, [1], [1]],
    ['a [1] feed to a fixed [2]', one, [2], [2]],
    ['a [batch] feed to a symbolic [batch]', batch, ['batch'], [2]],
    ['a scalar feed to a symbolic [batch]', tensor(Float32Array.of(7), []), ['batch'], [1]],
  ])('fits %s', (_name, given, declared, expected) => {
    const result = conformToShape(given, declared);
    expect(result?.dims).toEqual(expected);
    expect(Array.from(result?.data ?? [])).toEqual(new Array(expected.length === 0 ? 1 : expected[0]).fill(7));
  });

  test.each([
    ['differing values into a scalar', tensor(Float32Array.of(1, 2), [2]), []],
    ['a rank-4 tensor into rank 3', tensor(new Float32Array(4), [1, 1, 2, 2]), ['b', 1, 4]],
    ['a wrong fixed dim', tensor(new Float32Array(8), [1, 2, 2, 2]), ['b', 4, 'h', 'w']],
  ])('refuses %s', (_name, given, declared) => {
    expect(conformToShape(given, declared)).toBeUndefined();
  });
});

describe('ModelSession', () => {
  test('reports declared inputs and outputs', async () => {
    const session = await ModelSession.open(doublingModel('declared', 'float32', ['batch', 3]), { providers: ['cpu'] });
    expect(session.inputs).toEqual([{ name: 'x', type: 'float32', shape: ['batch', 3] }]);
    expect(session.outputs).toEqual([{ name: 'y', type: 'float32', shape: ['batch', 3] }]);
    await session.release();
  });

  test.each([
    ['float16 in and out', 'float16' as const, 'float16' as const, [1.5, -2, 3], [3, -4, 6]],
    ['int64 ids, rounding', 'int64' as const, 'float32' as const, [1, 2.4, 2.6], [2, 4, 6]],
    ['int32 ids', 'int32' as const, 'float32' as const, [5, 6, 7], [10, 12, 14]],
  ])('casts every input to what the session declares: %s', async (name, type, outputType, input, expected) => {
    const session = await ModelSession.open(doublingModel(`cast-${type}`, type, [1, 3], outputType), { providers: ['cpu'] });
    const { y } = await session.run({ x: tensor(Float32Array.from(input), [1, 3]) });
    expect(y.data).toBeInstanceOf(Float32Array);
    expect(Array.from(y.data)).toEqual(expected);
    await session.release();
  });

  test('reshapes a timestep-like feed to a scalar declaration', async () => {
    const session = await ModelSession.open(doublingModel('scalar', 'int64', []), { providers: ['cpu'] });
    const { y } = await session.run({ x: tensor(Float32Array.of(999, 999), [2]) });
    expect(y.dims).toEqual([]);
    expect(Array.from(y.data)).toEqual([1998]);
    await session.release();
  });

  test('a feed that cannot fit names the file, the input, the declaration and what was given', async () => {
    const path = doublingModel('strict', 'float32', ['batch', 3]);
    const session = await ModelSession.open(path, { providers: ['cpu'] });
    const error = await session.run({ x: tensor(new Float32Array(4), [1, 4]) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('MODEL_INPUT_MISMATCH');
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain("input 'x' declares float32 [batch, 3] but was given float32 [1, 4]");
    const missing = await session.run({}).catch((e: Error) => e.message);
    expect(missing).toContain("needs input 'x'");
    await session.release();
  });

  test('accumulates the time spent inside onnxruntime', async () => {
    const session = await ModelSession.open(doublingModel('timed', 'float32', [1]), { providers: ['cpu'] });
    expect(session.stats).toEqual({ runs: 0, milliseconds: 0 });
    await session.run({ x: tensor(Float32Array.of(1), [1]) });
    await session.run({ x: tensor(Float32Array.of(1), [1]) });
    expect(session.stats.runs).toBe(2);
    expect(session.stats.milliseconds).toBeGreaterThan(0);
    await session.release();
  });
});

describe('execution providers', () => {
  test('falls back from a provider this machine lacks to cpu and records why', async () => {
    const session = await ModelSession.open(doublingModel('fallback', 'float32', [1]), { providers: ['cuda', 'dml', 'cpu'] });
    expect(session.provider).toBe('cpu');
    expect(session.providerAttempts.map((a) => a.provider)).toEqual(['cuda', 'dml']);
    // cuda is listed by the linux binding but its libraries are not installed; dml exists only on Windows.
    for (const attempt of session.providerAttempts) {
      expect(['skipped', 'failed']).toContain(attempt.outcome);
      expect(attempt.reason.length).toBeGreaterThan(10);
    }
    expect(session.providerAttempts[1]).toMatchObject({ provider: 'dml', outcome: 'skipped' });
    expect(session.providerAttempts[1].reason).toContain('Windows');
    await session.release();
  });

  test('a list with no usable provider is a clear error listing each one', async () => {
    const error = await ModelSession.open(doublingModel('none', 'float32', [1]), { providers: ['dml', 'coreml'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('NO_EXECUTION_PROVIDER');
    expect((error as Error).message).toMatch(/dml: skipped.*\n.*coreml: skipped/);
    expect((error as Error).message).toContain("add 'cpu' to the provider list");
  });

  test('a file the cpu provider cannot load is reported as a model problem', async () => {
    const path = join(directory, 'garbage.onnx');
    writeFileSync(path, 'not a model');
    const error = await ModelSession.open(path, { providers: ['cpu'] }).catch((e: unknown) => e);
    expect((error as EngineError).code).toBe('MODEL_INVALID');
    expect((error as Error).message).toContain(path);
  });
});
