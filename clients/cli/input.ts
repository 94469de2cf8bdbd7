/** Reading a file argument, where `-` means standard input. */
import { readFileSync } from 'node:fs';
import { CliError } from './errors.js';

export async function readInput(source: string): Promise<string> {
  if (source !== '-') {
    try {
      return readFileSync(source, 'utf8');
    } catch {
      throw new CliError('error.fileUnreadable', { file: source });
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJsonInput(source: string): Promise<unknown> {
  const text = await readInput(source);
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError('error.notJson', { file: source === '-' ? 'stdin' : source });
  }
}
