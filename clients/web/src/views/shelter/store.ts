/**
 * What this browser remembers of the casework done on it, per member device:
 * the case references it opened and the ids of the messages it sent for
 * each — references only, never a name or any content. The hub already knows
 * both (the consents it stores, the messages' metadata); the list saves the
 * worker from retyping them. The agency's internal directive code, used for
 * every apprehended-danger disclosure, is remembered too.
 */
export interface CaseMemory {
  ref: string;
  /** When this device last opened or used the case. */
  usedAt: string;
  messages: { id: string; sentAt: string }[];
}

const key = (member: string) => `vigie.casework|${location.origin}|${member}`;

function load(member: string): Record<string, CaseMemory> {
  try {
    const value = JSON.parse(localStorage.getItem(key(member)) ?? '{}') as unknown;
    return value && typeof value === 'object' ? (value as Record<string, CaseMemory>) : {};
  } catch {
    return {};
  }
}

const save = (member: string, cases: Record<string, CaseMemory>) => localStorage.setItem(key(member), JSON.stringify(cases));

/** The cases this device worked on, the most recent first. */
export function rememberedCases(member: string): CaseMemory[] {
  return Object.values(load(member)).sort((a, b) => b.usedAt.localeCompare(a.usedAt));
}

export function rememberCase(member: string, ref: string): void {
  const cases = load(member);
  cases[ref] = { ref, messages: cases[ref]?.messages ?? [], usedAt: new Date().toISOString() };
  save(member, cases);
}

export function rememberMessage(member: string, ref: string, id: string, sentAt: string): void {
  const cases = load(member);
  const known = cases[ref] ?? { ref, messages: [], usedAt: sentAt };
  if (!known.messages.some((m) => m.id === id)) known.messages.unshift({ id, sentAt });
  cases[ref] = { ...known, usedAt: new Date().toISOString() };
  save(member, cases);
}

export function sentMessages(member: string, ref: string): { id: string; sentAt: string }[] {
  return load(member)[ref]?.messages ?? [];
}

const DIRECTIVE = (member: string) => `vigie.directive|${location.origin}|${member}`;
export const directiveCode = {
  load: (member: string) => localStorage.getItem(DIRECTIVE(member)) ?? '',
  save: (member: string, code: string) => localStorage.setItem(DIRECTIVE(member), code),
};
