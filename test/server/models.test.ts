import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { FakeEngine } from './support/fake-engine';
import { startTestServer, type TestServer } from './support/server-fixture';

let root: string;
let fixture: TestServer;
const engines: FakeEngine[] = [];

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'companion-models-'));
  for (const id of ['alpha', 'beta', 'broken']) {
    mkdirSync(join(root, id));
    writeFileSync(join(root, id, 'model_index.json'), '{}');
  }
  mkdirSync(join(root, 'not-a-model'));
  fixture = await startTestServer(
    async (dir) => {
      if (basename(dir) === 'broken') throw new Error('unet/model.onnx is missing');
      const engine = new FakeEngine(2, basename(dir));
      engines.push(engine);
      return engine;
    },
    { modelDir: join(root, 'alpha') },
  );
});

afterEach(async () => {
  await fixture.stop();
  engines.length = 0;
  rmSync(root, { recursive: true, force: true });
});

describe('models', () => {
  it('lists the model folders beside the loaded one', async () => {
    const client = await fixture.client();
    expect(await client.request({ type: 'list-models', id: 1 })).toEqual({
      type: 'models',
      replyTo: 1,
      models: [
        { id: 'alpha', active: true },
        { id: 'beta', active: false },
        { id: 'broken', active: false },
      ],
    });
  });

  it('switches, closes the old engine and tells every client', async () => {
    const client = await fixture.client();
    const watcher = await fixture.client();
    expect(await client.request({ type: 'switch-model', id: 2, modelId: 'beta' })).toMatchObject({ type: 'server-info', replyTo: 2, model: { id: 'beta' } });
    expect(await watcher.nextMessage((m) => m.type === 'server-info')).toMatchObject({ replyTo: null, model: { id: 'beta' } });
    expect(engines.map((engine) => [engine.model.id, engine.closed])).toEqual([
      ['alpha', true],
      ['beta', false],
    ]);
    client.send({ type: 'generate', id: 3, prompt: 'p', steps: 1, guidance: 1, scheduler: 'ddim', seed: 1, width: 8, height: 8 });
    await client.jobEvents(3);
    expect(engines[1].started).toHaveLength(1);
  });

  it('refuses an unknown model, a switch while a job runs, and keeps the old model when loading fails', async () => {
    const client = await fixture.client();
    expect(await client.request({ type: 'switch-model', id: 4, modelId: 'not-a-model' })).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    const release = engines[0].hold();
    client.send({ type: 'generate', id: 5, prompt: 'p', steps: 1, guidance: 1, scheduler: 'ddim', seed: 1, width: 8, height: 8 });
    await client.nextMessage((m) => m.type === 'started');
    expect(await client.request({ type: 'switch-model', id: 6, modelId: 'beta' })).toMatchObject({ code: 'MODEL_BUSY' });
    release();
    await client.jobEvents(5);
    expect(await client.request({ type: 'switch-model', id: 7, modelId: 'broken' })).toMatchObject({
      code: 'MODEL_LOAD_FAILED',
      message: expect.stringContaining('unet/model.onnx is missing'),
    });
    expect(await client.request({ type: 'get-info', id: 8 })).toMatchObject({ model: { id: 'alpha' } });
  });
});
