/**
 * Runs one job on the engine and tells its client: started, progress (with preview frames), then
 * exactly one of result, cancelled or error.
 */
import type { CancelReason } from '../protocol';
import type { JobEngine } from './engine-port';
import { engineFailure, errorMessage } from './errors';
import { brushResultOutgoing, generateResultOutgoing, progressOutgoing, type Outgoing } from './job-mapping';
import type { ServerJob } from './server-job';

export async function runJob(engine: JobEngine, job: ServerJob, signal: AbortSignal): Promise<void> {
  const { output } = job.owner;
  output.send({ type: 'started', replyTo: job.id });
  let previews = 0;
  const onProgress: Parameters<JobEngine['run']>[2]['onProgress'] = (event) => {
    if (signal.aborted) return;
    // A preview is a courtesy: a client that is behind gets the step without it.
    const sendPreview = event.preview !== undefined && !output.isCongested();
    const { preview: _skipped, ...withoutPreview } = event;
    sendOutgoing(job, progressOutgoing(job.id, sendPreview ? event : withoutPreview, previews));
    if (sendPreview) previews += 1;
  };
  try {
    const { engineRequest } = job;
    const outgoing =
      engineRequest.kind === 'generate'
        ? generateResultOutgoing(job.id, engineRequest.request, await engine.run('generate', engineRequest.request, { onProgress, signal }))
        : brushResultOutgoing(job.id, await engine.run('brush', engineRequest.request, { onProgress, signal }));
    // A cancel that raced with the last step still wins: the client asked not to get this result.
    if (signal.aborted) sendCancelled(job);
    else sendOutgoing(job, outgoing);
  } catch (error) {
    if (signal.aborted) {
      sendCancelled(job);
      return;
    }
    const { code, detail } = engineFailure(error);
    output.send(errorMessage(job.id, code, detail));
  }
}

export function sendCancelled(job: ServerJob, reason: CancelReason = job.cancelReason ?? 'client'): void {
  job.owner.output.send({ type: 'cancelled', replyTo: job.id, reason });
}

function sendOutgoing(job: ServerJob, outgoing: Outgoing): void {
  job.owner.output.send(outgoing.message);
  for (const frame of outgoing.frames) job.owner.output.sendFrame(frame);
}
