import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PORT } from '../../companion-server/protocol';
import { PANEL_ID } from '../../plugin/host/panel-entry';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'manifest.json'), 'utf8'));

describe('the UXP manifest', () => {
  it('is v5 with the host as one object (an array breaks .ccx packaging) at the version the APIs need', () => {
    expect(manifest.manifestVersion).toBe(5);
    expect(manifest.host).toEqual({ app: 'PS', minVersion: '25.0.0' });
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('asks the network for the companion on loopback only, on its default port', () => {
    expect(manifest.requiredPermissions.network.domains).toEqual([`ws://127.0.0.1:${DEFAULT_PORT}`, `ws://localhost:${DEFAULT_PORT}`]);
    expect(manifest.requiredPermissions.allowCodeGenerationFromStrings).toBe(false);
  });

  it('declares the panel the plugin sets up, with 23 px icons at 1x and 2x', () => {
    const [panel] = manifest.entrypoints;
    expect(panel).toMatchObject({ type: 'panel', id: PANEL_ID });
    expect(panel.icons[0]).toMatchObject({ width: 23, height: 23, scale: [1, 2] });
  });
});
