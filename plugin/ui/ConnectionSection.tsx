/** Whether the companion is reachable, which model it runs, and pairing when it is needed. */
import { useState } from 'react';
import type { ConnectionStatus } from '../client';
import type { PanelController } from '../controller';
import { Button, TextField } from './widgets';

export function ConnectionSection({ controller, connection }: { controller: PanelController; connection: ConnectionStatus }) {
  const [code, setCode] = useState('');
  return (
    <section className="section" data-testid="connection">
      <div className="row">
        <span className={`status-dot status-${connection.kind}`} />
        <sp-body size="s" data-testid="connection-status">{describe(connection)}</sp-body>
      </div>
      {connection.kind === 'needs-pairing' && (
        <>
          {connection.problem && <sp-detail class="problem">{connection.problem}</sp-detail>}
          <sp-detail>Type the pairing code the companion printed when it started (npm start). You only do this once.</sp-detail>
          <div className="row">
            <TextField value={code} placeholder="Pairing code" onChange={setCode} testId="pairing-code" />
            <Button variant="cta" onPress={() => controller.pair(code)} testId="pair">
              Pair
            </Button>
          </div>
        </>
      )}
    </section>
  );
}

function describe(connection: ConnectionStatus): string {
  switch (connection.kind) {
    case 'connecting':
      return 'Connecting to the companion…';
    case 'needs-pairing':
      return 'Not paired with the companion';
    case 'ready':
      return `Connected · ${connection.info.model.id} · ${connection.info.provider}`;
    case 'offline':
      return `Offline, retrying in ${Math.ceil(connection.retryInMs / 1000)} s: ${connection.problem}`;
    default: {
      const unknown: never = connection;
      return String(unknown);
    }
  }
}
