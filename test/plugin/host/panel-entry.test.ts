import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fakeUxp } from '../fakes/uxp';
import { PANEL_ID, registerPanel } from '../../../plugin/host/panel-entry';

const PLUGIN_DIR = path.join(__dirname, '..', '..', '..', 'plugin');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('the panel entry', () => {
  it('registers the manifest panel with hooks that reach the lifecycle', () => {
    const calls: string[] = [];
    const root = {} as HTMLElement;
    registerPanel({ create: (element) => calls.push(element === root ? 'create(root)' : 'create(?)'), destroy: () => calls.push('destroy') });
    const hooks = fakeUxp.panel(PANEL_ID);
    hooks.create?.(root);
    hooks.destroy?.();
    expect(calls).toEqual(['create(root)', 'destroy']);
  });

  it('leaves photoshop and uxp to plugin/host/: no other panel file imports them', () => {
    const hostDir = path.join(PLUGIN_DIR, 'host') + path.sep;
    const importsHost = /(?:from\s+|require\(\s*|import\(\s*)['"](?:photoshop|uxp)(?:\/[^'"]*)?['"]/;
    const offenders = sourcesUnder(PLUGIN_DIR).filter((file) => !file.startsWith(hostDir) && importsHost.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => path.relative(PLUGIN_DIR, file))).toEqual([]);
    // The check itself sees an import when there is one.
    expect(importsHost.test(readFileSync(path.join(PLUGIN_DIR, 'host', 'panel-entry.ts'), 'utf8'))).toBe(true);
  });
});
