import { enrolAgency, enrolDevice, type EnrolledAgency } from '../../clients/demo/enrol.js';
import type { VigieClient } from '../../clients/sdk/client.js';
import type { MemberKeys } from '../../clients/sdk/keys.js';

export interface Partners {
  shelter: EnrolledAgency;
  police: EnrolledAgency;
  worker: { keys: MemberKeys; client: VigieClient };
  officer: { keys: MemberKeys; client: VigieClient };
}

/** A shelter and a police service, each with one inbox and one device: the first bilateral pair. */
export async function enrolPartners(url: string, operatorToken: string): Promise<Partners> {
  const shelter = await enrolAgency(url, operatorToken, 'shelter-laval', 'shelter', { fr: 'Maison Laval', en: 'Laval shelter' }, {
    intake: { fr: 'Intervention', en: 'Intake' },
  });
  const police = await enrolAgency(url, operatorToken, 'police-laval', 'police', { fr: 'Police Laval', en: 'Laval police' }, {
    dispatch: { fr: 'Répartition', en: 'Dispatch' },
  });
  const worker = await enrolDevice(url, shelter, 'intervenante-1', ['sender', 'receiver'], ['shelter-laval/intake']);
  const officer = await enrolDevice(url, police, 'repartiteur-1', ['sender', 'receiver'], ['police-laval/dispatch']);
  return { shelter, police, worker, officer };
}
