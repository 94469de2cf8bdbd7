/**
 * A message's type and urgency, as the shelter's compose and the desk's reply
 * both ask them: only the types the protocol allows, and no urgency below
 * what the chosen type requires (a danger alert is never "routine").
 */
import { URGENCIES, type MessageType } from '../../../../../protocol/schemas.js';
import { MESSAGE_TYPE_URGENCY, urgencyAtLeast, type Urgency } from '../../../../../protocol/vocabulary.js';
import { useLang } from '../../lib/lang.js';
import { typeLabel, urgencyLabel } from '../../lib/vocabulary.js';

/** The urgencies a message of this type may carry, most urgent first. */
export const urgenciesFor = (type: MessageType | undefined): Urgency[] => (type ? URGENCIES.filter((u) => urgencyAtLeast(u, MESSAGE_TYPE_URGENCY[type].minimum)) : []);

export function TypeAndUrgency({
  types,
  type,
  urgency,
  onType,
  onUrgency,
  labels,
  names = { type: 'type', urgency: 'urgency' },
}: {
  types: readonly MessageType[];
  type: MessageType | undefined;
  urgency: Urgency | undefined;
  onType(type: MessageType): void;
  onUrgency(urgency: Urgency): void;
  labels: { type: string; urgency: string };
  /** The fields' names in the form. */
  names?: { type: string; urgency: string };
}) {
  const { lang } = useLang();
  return (
    <>
      <label>
        {labels.type}
        <select name={names.type} value={type} onChange={(e) => onType(e.currentTarget.value as MessageType)}>
          {types.map((ty) => (
            <option key={ty} value={ty}>
              {typeLabel(lang, ty)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {labels.urgency}
        <select name={names.urgency} value={urgency} onChange={(e) => onUrgency(e.currentTarget.value as Urgency)}>
          {urgenciesFor(type).map((u) => (
            <option key={u} value={u}>
              {urgencyLabel(lang, u)}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
