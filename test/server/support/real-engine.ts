/** The real engine (EngineHost with models/tiny-sd on the CPU) for end-to-end server tests. */
import { EngineHost } from '../../../companion-server/engine-host';
import { engineHostOpener } from '../../../companion-server/server/engine-host-adapter';
import type { OpenEngine } from '../../../companion-server/server/engine-port';
import { TINY_SD } from '../../support/tiny-model';

export { TINY_SD } from '../../support/tiny-model';
/** A small generation: 64 px, few steps (the brush tests' source image). */
export { GENERATION as SMALL_GENERATION, rectMask } from '../../engine/brush/tiny-brush';

export const openTinyEngine: OpenEngine = engineHostOpener({ providers: ['cpu'] });

export function startDirectEngine(): Promise<EngineHost> {
  return EngineHost.start({ modelDir: TINY_SD, providers: ['cpu'] });
}
