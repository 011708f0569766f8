#!/usr/bin/env node
/** The companion's command line: one subcommand per file under cli/. */
import { Command } from 'commander';
import { brushCommand } from './cli/brush';
import { generateCommand } from './cli/generate';
import { startCommand } from './cli/start';
import { tokensCommand } from './cli/tokens';

const program = new Command()
  .name('diffusion-brush')
  .description('Diffusion Brush companion: runs Stable Diffusion ONNX models locally for the Photoshop panel.')
  .showHelpAfterError();

program.addCommand(generateCommand());
program.addCommand(brushCommand());
program.addCommand(startCommand());
program.addCommand(tokensCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
