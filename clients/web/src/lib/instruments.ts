/**
 * The risk instruments this console knows: the installation's own
 * config/instruments files, built into the bundle — never fetched from the
 * hub, so that the recipient's recomputation does not rest on the hub's word.
 */
import { parseInstrumentFiles, type Instrument } from '../../../../protocol/instrument.js';

const files = import.meta.glob('../../../../config/instruments/*.json', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;

export const INSTRUMENTS: Instrument[] = parseInstrumentFiles(Object.entries(files).map(([name, text]) => ({ name, text }))).instruments;
