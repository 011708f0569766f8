/**
 * Starts an EngineHost on the model folder given as argument, runs one UNet step and prints what
 * came back as JSON: the engine-host test runs this under `tsx` to check that the worker starts
 * outside jest too.
 */
import { EngineHost } from '../../companion-server/engine-host';

async function main(modelDir: string): Promise<void> {
  const host = await EngineHost.start({ modelDir, providers: ['cpu'] });
  const probe = await host.run('unet-probe', { steps: 1, width: 64, height: 64 });
  await host.close();
  process.stdout.write(`${JSON.stringify({ model: host.info.id, outputDims: probe.outputDims })}\n`);
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
