/**
 * The risk instruments shipped in `config/instruments/` (Node only), as the
 * clients read them: the CLI asks their items (`vigie assess`), scores an
 * assessment before it is sent, and recomputes the level of one it receives.
 * Each file is checked with checkInstrument, as the hub checks it at start.
 *
 * @example
 * const grid = loadInstrument('grille-commune');      // the latest version
 * const v1 = loadInstrument('grille-commune', 1);
 * const client = await VigieClient.connect({ url, keys, instruments: readInstruments().instruments });
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PATHS } from '../server/paths.js';
import { parseInstrumentFiles, type Instrument } from '../protocol/instrument.js';

export const INSTRUMENTS_DIR = PATHS.instruments;

/** An instrument file that does not validate, or an instrument that is not there. */
export class InstrumentLoadError extends Error {
  constructor(
    readonly code: 'INSTRUMENT_INVALID' | 'INSTRUMENT_UNKNOWN',
    readonly problems: string[],
  ) {
    super(problems.join('; '));
    this.name = 'InstrumentLoadError';
  }
}

/**
 * Every instrument file of a directory: the valid ones, and a line for each
 * problem of the others (`file /path: problem`). Never throws for a bad file,
 * so that one broken instrument does not stop a device from sending.
 */
export function readInstruments(dir: string = INSTRUMENTS_DIR): { instruments: Instrument[]; problems: string[] } {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return { instruments: [], problems: [`${dir}: not readable`] };
  }
  return parseInstrumentFiles(files.map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') })));
}

/** Every instrument of the directory, by id then version; throws InstrumentLoadError when a file is invalid. */
export function listInstruments(dir: string = INSTRUMENTS_DIR): Instrument[] {
  const { instruments, problems } = readInstruments(dir);
  if (problems.length > 0) throw new InstrumentLoadError('INSTRUMENT_INVALID', problems);
  return instruments;
}

/**
 * One instrument version, or its latest version when `version` is absent.
 * Throws InstrumentLoadError('INSTRUMENT_UNKNOWN') when it is not there, and
 * ('INSTRUMENT_INVALID') when its file does not validate.
 */
export function loadInstrument(id: string, version?: number, dir: string = INSTRUMENTS_DIR): Instrument {
  const { instruments, problems } = readInstruments(dir);
  const versions = instruments.filter((i) => i.id === id);
  const found = version === undefined ? versions.at(-1) : versions.find((i) => i.version === version);
  if (found) return found;
  // A file that does not validate is the likelier story than a missing one.
  const broken = problems.filter((p) => p.startsWith(id));
  if (broken.length > 0) throw new InstrumentLoadError('INSTRUMENT_INVALID', broken);
  throw new InstrumentLoadError('INSTRUMENT_UNKNOWN', [version === undefined ? id : `${id}@${version}`]);
}
