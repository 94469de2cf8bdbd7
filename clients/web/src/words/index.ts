/**
 * Every word the console shows that is not the partners' shared vocabulary
 * (protocol/vocabulary.ts): one table per area, in French and English.
 * A key is used in one sense only.
 */
import { COMMON } from './common.js';
import { SETUP } from './setup.js';
import { SHELTER } from './shelter.js';
import { DESK } from './desk.js';
import { ADMIN } from './admin.js';
import { AUDITOR } from './auditor.js';

export const WORDS = { ...COMMON, ...SETUP, ...SHELTER, ...DESK, ...ADMIN, ...AUDITOR } as const satisfies Record<string, { fr: string; en: string }>;
export type WordKey = keyof typeof WORDS;
