import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as protocol from '../../companion-server/protocol';

const doc = readFileSync(join(__dirname, '../../docs/protocol.md'), 'utf8');

describe('docs/protocol.md', () => {
  it('documents every error code', () => {
    const missing = protocol.ERROR_CODE_LIST.filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  it('documents every message type in both directions', () => {
    const types = [...protocol.clientMessageSchema.options, ...protocol.serverMessageSchema.options].map((schema) => schema.shape.type.value);
    expect(types.filter((type) => !doc.includes(`"type":"${type}"`))).toEqual([]);
  });

  it('states every limit with its current value', () => {
    const limits = Object.entries(protocol).filter(([name, value]) => /^(MAX_|PAIRING_|HANDSHAKE_|HEARTBEAT_)/.test(name) && typeof value === 'number' && name !== 'MAX_ID');
    const wrong = limits.filter(([name, value]) => !new RegExp(`\\| \`${name}\` \\| ${(value as number).toLocaleString('en-US')} \\|`).test(doc));
    expect(wrong.map(([name]) => name)).toEqual([]);
  });
});
