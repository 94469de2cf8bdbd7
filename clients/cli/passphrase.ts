/**
 * The passphrase that seals the key files: from VIGIE_PASSPHRASE (scripts,
 * tests) or typed on the terminal without echo. Never logged, never on argv
 * (argv is readable by every local user through `ps`).
 */
import { CliError } from './errors.js';
import type { Context } from './context.js';

/** Shortest passphrase accepted for a new key file. */
export const MIN_PASSPHRASE_LENGTH = 10;

/** Reads one line from the terminal in raw mode, echoing nothing. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new CliError('error.interrupted'));
        if (ch === '\u0004') return value ? finish() : finish(new CliError('error.interrupted'));
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/**
 * The passphrase of a key file. For a new file (`confirm`), it is typed twice
 * on a terminal and must be at least MIN_PASSPHRASE_LENGTH characters.
 */
export async function obtainPassphrase(ctx: Context, file: string, confirm: boolean): Promise<string> {
  let passphrase = ctx.env.VIGIE_PASSPHRASE;
  if (!passphrase) {
    if (!process.stdin.isTTY) throw new CliError('error.passphraseRequired');
    passphrase = await readHidden(ctx.t(confirm ? 'prompt.newPassphrase' : 'prompt.passphrase', { file }));
    if (confirm && passphrase.length >= MIN_PASSPHRASE_LENGTH) {
      const again = await readHidden(ctx.t('prompt.confirmPassphrase'));
      if (again !== passphrase) throw new CliError('error.passphraseMismatch');
    }
  }
  if (confirm && Array.from(passphrase).length < MIN_PASSPHRASE_LENGTH) {
    throw new CliError('error.passphraseTooShort', { min: MIN_PASSPHRASE_LENGTH });
  }
  return passphrase;
}
