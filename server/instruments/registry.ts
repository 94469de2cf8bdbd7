import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInstrumentFiles, type Instrument } from '../../protocol/instrument.js';

/** An instrument file that does not validate: the hub refuses to start, naming the file and the field. */
export class InstrumentFileError extends Error {
  readonly code = 'INSTRUMENT_INVALID';
  constructor(readonly problems: string[]) {
    super(`instrument files invalid / fichiers d’instruments invalides:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** The risk instruments the hub knows, by id and version (config/instruments/*.json). */
export class InstrumentRegistry {
  private readonly byKey = new Map<string, Instrument>();

  constructor(instruments: Instrument[]) {
    for (const i of instruments) this.byKey.set(`${i.id}@${i.version}`, i);
  }

  /** Loads and checks every `*.json` of a directory; throws InstrumentFileError listing every problem. */
  static load(dir: string): InstrumentRegistry {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (err) {
      throw new InstrumentFileError([`${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
    }
    const { instruments: found, problems } = parseInstrumentFiles(
      names
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') })),
    );
    if (problems.length > 0) throw new InstrumentFileError(problems);
    return new InstrumentRegistry(found);
  }

  get(id: string, version: number): Instrument | null {
    return this.byKey.get(`${id}@${version}`) ?? null;
  }

  /** Levels of a version, lowest first, or null: what the disclosure decision compares. */
  levels(id: string, version: number): string[] | null {
    return this.get(id, version)?.levels.map((l) => l.id) ?? null;
  }

  list(): Instrument[] {
    return [...this.byKey.values()].sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version);
  }
}
