/**
 * The engine worker, plus one way to crash it: a 'run' message of kind 'crash' throws outside any
 * job, as a native failure or a bug in a stray callback would. The listener is registered before
 * worker.ts so the real worker never sees that message.
 */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (message: { type: string; kind?: string }) => {
  if (message.type === 'run' && message.kind === 'crash') throw new Error('simulated crash outside any job');
});
require('../../companion-server/worker');
