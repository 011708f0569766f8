/**
 * Packs the built panel (dist/plugin, made by `npm run build`) into an installable .ccx: a zip of the
 * plugin folder with manifest.json at its root. Adobe's UXP Developer Tool packages only with
 * Photoshop running; this needs nothing but the build.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';

const ROOT = path.join(__dirname, '..');
const PLUGIN_FOLDER = path.join(ROOT, 'dist', 'plugin');

function collect(folder: string, prefix = ''): Zippable {
  const files: Zippable = {};
  for (const name of readdirSync(folder).sort()) {
    const full = path.join(folder, name);
    const inZip = prefix + name;
    if (statSync(full).isDirectory()) Object.assign(files, collect(full, `${inZip}/`));
    else files[inZip] = readFileSync(full);
  }
  return files;
}

function main(): void {
  let manifest: { id: string; version: string };
  try {
    manifest = JSON.parse(readFileSync(path.join(PLUGIN_FOLDER, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    throw new Error(`No built plugin in ${PLUGIN_FOLDER}: run "npm run build" first (npm run package does).`);
  }
  const out = path.join(ROOT, 'dist', `${manifest.id}_${manifest.version}.ccx`);
  // Pinned timestamps keep the archive byte-identical across builds of the same files.
  const zip = zipSync(collect(PLUGIN_FOLDER), { level: 9, mtime: new Date('2020-01-01T00:00:00Z') });
  writeFileSync(out, zip);
  console.log(`wrote ${path.relative(ROOT, out)} (${zip.byteLength} bytes)`);
}

main();
