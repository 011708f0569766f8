import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const protocolDir = join(__dirname, '../../companion-server/protocol');

describe('the protocol folder', () => {
  it('imports only zod, its own files and the engine scheduler names, so the panel can bundle it', () => {
    for (const file of readdirSync(protocolDir)) {
      const source = readFileSync(join(protocolDir, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      for (const spec of imports) {
        expect([file, spec]).toEqual([file, expect.stringMatching(/^(zod|\.\/[\w-]+|\.\.\/engine\/schedulers\/scheduler)$/)]);
      }
      expect([file, /\bBuffer\b|\brequire\(|process\./.test(source)]).toEqual([file, false]);
    }
  });
});
