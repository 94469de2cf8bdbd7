/**
 * The protocol templates shipped in `config/protocols/` (Node only): the CLI
 * drafts from them, and the demo and the tests establish their protocols with them.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { PATHS } from '../server/paths.js';
import { checkProtocolDocument, draftProtocol, ProtocolDocumentSchema, rootKeyFingerprint, type ProtocolDocument } from '../protocol/protocol-document.js';

export const TEMPLATES_DIR = PATHS.protocolTemplates;

export function listTemplates(): string[] {
  return readdirSync(TEMPLATES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function loadTemplate(name: string): Record<string, unknown> {
  if (!listTemplates().includes(name)) throw new Error(`unknown protocol template: ${name}`);
  return JSON.parse(readFileSync(join(TEMPLATES_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

export class ProtocolDraftError extends Error {
  readonly code = 'PROTOCOL_INVALID';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

/**
 * Drafts a template for these parties and checks the result as the hub will.
 * `rootKeys` (agency id → base64url Ed25519 root public key) gives each party's
 * root-key fingerprint, which the document names and every party signs.
 */
export function draftFromTemplate(
  name: string,
  bindings: Readonly<Record<string, string>>,
  options: { id?: string; version?: number; effectiveFrom?: string; rootKeys: Readonly<Record<string, string>> },
): ProtocolDocument {
  const rootKeyFingerprints = Object.fromEntries(Object.entries(options.rootKeys).map(([agency, key]) => [agency, rootKeyFingerprint(sha256, key)]));
  const doc = draftProtocol(loadTemplate(name), bindings, {
    ...(options.id !== undefined ? { id: options.id } : {}),
    ...(options.version !== undefined ? { version: options.version } : {}),
    effectiveFrom: options.effectiveFrom ?? new Date().toISOString(),
    rootKeyFingerprints,
  });
  const schemaProblems = [...Value.Errors(ProtocolDocumentSchema, doc)].map((e) => `${e.path || '/'}: ${e.message}`);
  if (schemaProblems.length > 0) throw new ProtocolDraftError(schemaProblems.slice(0, 10));
  const problems = checkProtocolDocument(doc as ProtocolDocument).map((p) => `${p.path}: ${p.problem}`);
  if (problems.length > 0) throw new ProtocolDraftError(problems);
  return doc as ProtocolDocument;
}
