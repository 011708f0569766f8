/**
 * Draws the plugin's icons (a soft round brush dab over a square of noise-like dots) as PNGs in
 * plugin/icons/. Run once with `npx tsx scripts/make-plugin-icons.ts`; the PNGs are committed, so the
 * build never needs sharp. Photoshop asks for 23x23 panel icons and 48x48 plugin-list icons, each
 * at @1x and @2x.
 */
import sharp from 'sharp';
import path from 'node:path';

const ICON_FOLDER = path.join(__dirname, '..', 'plugin', 'icons');

const ICONS = [
  { name: 'panel', size: 23 },
  { name: 'plugin', size: 48 },
] as const;

function brushSvg(size: number): string {
  const r = size * 0.36;
  const c = size / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
  <defs><radialGradient id="dab"><stop offset="0.55" stop-color="#e8e8e8" stop-opacity="1"/>
  <stop offset="1" stop-color="#e8e8e8" stop-opacity="0"/></radialGradient></defs>
  <rect x="${size * 0.08}" y="${size * 0.08}" width="${size * 0.84}" height="${size * 0.84}" rx="${size * 0.14}"
    fill="none" stroke="#9a9a9a" stroke-width="${Math.max(1, size / 16)}"/>
  <circle cx="${c}" cy="${c}" r="${r}" fill="url(#dab)"/>
</svg>`;
}

async function main(): Promise<void> {
  for (const icon of ICONS) {
    for (const scale of [1, 2]) {
      const size = icon.size * scale;
      const file = path.join(ICON_FOLDER, `${icon.name}@${scale}x.png`);
      await sharp(Buffer.from(brushSvg(size))).png().toFile(file);
      console.log(`wrote ${file}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
