/** `tokens list` and `tokens revoke <id>`: the clients paired with this companion. */
import { Command } from 'commander';
import { CONFIG_FILE_ENV, resolveConfigFile } from '../config/paths';
import { TokenStore } from '../server/token-store';

export function tokensCommand(): Command {
  const command = new Command('tokens')
    .description('List or revoke the tokens of paired clients (a revoked client must pair again).')
    .option('--config <file>', `config file [env ${CONFIG_FILE_ENV}, default: the user config directory]`);
  const store = () => new TokenStore(resolveConfigFile(command.opts<{ config?: string }>().config));

  command
    .command('list')
    .description('Show every token: id, client name, when it was paired, whether it is revoked.')
    .action(async () => {
      const tokens = await store().list();
      if (tokens.length === 0) return console.log('No paired clients.');
      for (const token of tokens) {
        const status = token.revokedAt === undefined ? 'active' : `revoked ${token.revokedAt}`;
        console.log(`${token.id}  ${token.name}  paired ${token.createdAt}  ${status}`);
      }
    });

  command
    .command('revoke <id>')
    .description('Revoke a token by the id `tokens list` shows; its client can no longer connect.')
    .action(async (id: string) => {
      if (!(await store().revoke(id))) {
        throw new Error(`No token has the id "${id}"; run \`npm run companion -- tokens list\` to see the ids.`);
      }
      console.log(`Revoked token ${id}. Its client must pair again; a running companion closes connections that use it within a minute.`);
    });
  return command;
}
