/** Brush, Generate and Cancel; the running job's progress and preview; the last results; notices. */
import type { PanelController } from '../controller';
import type { PanelState } from '../panel-state';
import { Button, ProgressBar } from './widgets';

export function JobSection({ controller, state }: { controller: PanelController; state: PanelState }) {
  const { job, notice, lastResults } = state;
  const ready = state.connection.kind === 'ready';
  return (
    <section className="section" data-testid="job">
      <div className="row">
        <Button variant="cta" disabled={!ready || job !== null || state.masks.length === 0} onPress={() => void controller.brush()} testId="brush">
          Brush
        </Button>
        <Button variant="secondary" disabled={!ready || job !== null} onPress={() => void controller.generate()} testId="generate">
          Generate
        </Button>
        <Button variant="warning" disabled={job === null || job.cancelling} onPress={() => controller.cancel()} testId="cancel">
          Cancel
        </Button>
      </div>
      {job && (
        <>
          <ProgressBar label={job.label} fraction={job.fraction} />
          {job.preview && <img className="preview" src={job.preview} alt="Preview of the running job" data-testid="preview" />}
        </>
      )}
      {notice && (
        <div className={`notice notice-${notice.kind}`} data-testid="notice">
          <sp-body size="s">{notice.text}</sp-body>
          <Button variant="secondary" onPress={() => controller.dismissNotice()}>
            OK
          </Button>
        </div>
      )}
      {lastResults && (
        <div data-testid="results">
          <sp-body size="s">Written: {lastResults.name}</sp-body>
          <sp-detail>{lastResults.how}</sp-detail>
          <div className="row wrap">
            {lastResults.pictures.map((picture, i) => (
              <img key={i} className="result" src={picture} alt={`Variation ${i + 1}`} />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
