/**
 * The same end-to-end panel scenario against the companion's real server in this process, with an
 * engine that echoes its input instead of running ONNX: the panel, its client, its host code and
 * the server's protocol, without model time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompanionServer } from '../../companion-server/server/companion-server';
import { describePanelScenario } from './browser/panel-scenario';
import { EchoEngine } from './support/echo-engine';

async function startEchoCompanion() {
  const configDir = mkdtempSync(path.join(tmpdir(), 'panel-echo-'));
  const server = await CompanionServer.start({
    port: 0,
    modelDir: path.join(configDir, 'echo'),
    // Slow enough steps that a click on Cancel lands while the job runs.
    openEngine: async () => new EchoEngine(30),
    configFile: path.join(configDir, 'config.json'),
  });
  return {
    url: `ws://127.0.0.1:${server.address.port}`,
    pairingCode: server.pairingCode().code,
    stop: async () => {
      await server.close();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

describe('the panel with an echo engine behind the real server', () => {
  describePanelScenario({ name: 'echo', modelId: 'echo', screenshot: 'panel-echo.png', startCompanion: startEchoCompanion });
});
