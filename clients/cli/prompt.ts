/**
 * Yes/no questions to a person at a terminal (confirming a signature, a
 * retirement, each condition of apprehended danger). Only an explicit yes
 * counts; end of input or Ctrl-C is a no. Secrets are never asked here
 * (passphrase.ts reads them without echo).
 */
import { createInterface } from 'node:readline/promises';
import type { Context } from './context.js';
import { CliError } from './errors.js';
import type { MessageKey, Params } from './i18n.js';

/** Whether a person can answer: standard input is a terminal. */
export const canAsk = (): boolean => process.stdin.isTTY === true;

/** Only an explicit yes counts: « o », « oui », "y" or "yes", in either language. */
export const isYes = (answer: string): boolean => /^(o|oui|y|yes)$/i.test(answer.trim());

/** Asks on stderr (stdout stays the result); true on an explicit yes (isYes). */
export async function askYesNo(ctx: Context, key: MessageKey, params?: Params): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      rl.once('SIGINT', () => reject(new CliError('error.interrupted')));
      rl.once('close', () => resolve(''));
      rl.question(ctx.t(key, params)).then(resolve, () => resolve(''));
    });
    return isYes(answer);
  } finally {
    rl.close();
  }
}
