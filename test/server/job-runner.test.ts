import type { ServerMessage } from '../../companion-server/protocol';
import { runJob } from '../../companion-server/server/job-runner';
import type { ServerJob } from '../../companion-server/server/server-job';
import { FakeEngine } from './support/fake-engine';

function jobWithOutput(congestedAtSteps: number[]) {
  const sent: (ServerMessage | 'frame')[] = [];
  const job: ServerJob = {
    id: 7,
    clientId: 1,
    uploadBytes: 0,
    cancelReason: null,
    engineRequest: {
      kind: 'generate',
      request: { prompt: 'p', negativePrompt: '', steps: 4, guidance: 1, scheduler: 'ddim', seed: 1, width: 8, height: 8, previewEvery: 1 },
    },
    owner: {
      clientId: 1,
      output: {
        send: (message) => sent.push(message),
        sendFrame: () => sent.push('frame'),
        isCongested: () => congestedAtSteps.includes(sent.filter((m) => m !== 'frame' && m.type === 'progress').length + 1),
      },
    },
  };
  return { job, sent };
}

describe('running a job', () => {
  it('skips previews while the client is behind on reading, and numbers the sent ones without gaps', async () => {
    const { job, sent } = jobWithOutput([2, 3]);
    await runJob(new FakeEngine(), job, new AbortController().signal);
    const shape = sent.map((m) => (m === 'frame' ? 'frame' : m.type === 'progress' ? `progress${m.preview ? `+preview${m.preview.imageId}` : ''}` : m.type));
    expect(shape).toEqual(['started', 'progress+preview0', 'frame', 'progress', 'progress', 'progress+preview1', 'frame', 'generate-result', 'frame']);
  });
});
