import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { concatBytes, toB64 } from '../../protocol/encoding.js';
import { formatProofBundle } from '../../protocol/log/proof-bundle.js';
import { parseTilePath, TILE_WIDTH } from '../../protocol/log/tiles.js';
import { isProtocolError } from '../../protocol/errors.js';
import {
  ConsistencyProofSchema,
  ConsistencyQuerySchema,
  DirectoryRecordsSchema,
  InclusionProofSchema,
  InclusionQuerySchema,
  LeafAnswerSchema,
  LogMessageParamsSchema,
  LookupQuerySchema,
  AcceptanceProofSchema,
  RecordsQuerySchema,
  TileParamsSchema,
} from '../../protocol/api/log.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { and, eq } from 'drizzle-orm';
import { logQueue } from './tables.js';
import { VigieError } from '../http/errors.js';
import { directoryRecords, EntryBundleCache, entryBundles, leafOf, tileHashes } from './proofs.js';
import { mayReadRecord } from './visibility.js';

// Public, cheap, cacheable reads: an auditor verifying the whole log fetches thousands of tiles.
const LOG_READ = { rateLimit: { max: 60_000, timeWindow: 60_000 } };
/**
 * The read API of the log. Public, for witnesses and outside verifiers:
 * checkpoint, key, tiles (C2SP tlog-tiles, whose entries are salted
 * commitments) and proofs — sizes, times and hashes only. Members only: the
 * records behind the leaves they may read (look-ups, directory events) and
 * message receipts.
 */
export const logRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const latest = app.disclosureLog.newestCheckpoint;
  // Full entry bundles never change: an auditor's sequential download reads them a page per query.
  const fullBundles = new EntryBundleCache(app.db);

  app.get(ROUTES.logCheckpoint, { config: LOG_READ, schema: { tags: ['log'], summary: 'Latest checkpoint (C2SP signed note) with witness cosignatures' } }, async (_req, reply) => {
    const cp = await latest();
    return reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(cp.note);
  });

  app.get(ROUTES.logKey, { config: LOG_READ, schema: { tags: ['log'], summary: 'The hub’s checkpoint verifier key (C2SP vkey)' } }, async (_req, reply) =>
    reply.type('text/plain; charset=utf-8').send(`${app.disclosureLog.vkey}\n`),
  );

  app.get(ROUTES.logTile, { config: LOG_READ, schema: { tags: ['log'], summary: 'A tile: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]', params: TileParamsSchema } }, async (request, reply) => {
    let tile;
    try {
      tile = parseTilePath(`tile/${request.params['*']}`);
    } catch (err) {
      if (isProtocolError(err)) throw new VigieError('LOG_RANGE_INVALID', { cause: err });
      throw err;
    }
    const first = tile.index * TILE_WIDTH;
    const needed = tile.level === 'entries' ? first + tile.width : (first + tile.width) * TILE_WIDTH ** tile.level;
    const { size } = await latest(Number.isSafeInteger(needed) ? needed : 0);
    if (tile.level === 'entries') {
      if (first + tile.width > size) throw new VigieError('TILE_NOT_FOUND');
      const bundle =
        tile.width === TILE_WIDTH
          ? await fullBundles.get(tile.index, size)
          : await entryBundles(app.db, tile.index, 1, first + tile.width).then(([r]) => (r?.count === tile.width ? r.bundle : null));
      if (!bundle) throw new VigieError('TILE_NOT_FOUND');
      return sendTile(reply, bundle, tile.width === TILE_WIDTH);
    }
    // Level L holds nodes of tree level 8L: a tree of `size` leaves has floor(size / 256^L) of them.
    const available = Math.floor(size / TILE_WIDTH ** tile.level);
    if (tile.level > 7 || first + tile.width > available) throw new VigieError('TILE_NOT_FOUND');
    const hashes = await tileHashes(app.db, tile.level, first, tile.width);
    if (hashes.length !== tile.width) throw new VigieError('TILE_NOT_FOUND');
    return sendTile(reply, concatBytes(...hashes), tile.width === TILE_WIDTH);
  });

  app.get(
    ROUTES.logInclusion,
    {
      config: LOG_READ,
      schema: {
        tags: ['log'],
        summary: 'Inclusion proof of leaf `index` in the tree of `size` (RFC 6962)',
        querystring: InclusionQuerySchema,
        response: { 200: InclusionProofSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const index = Number(q.index);
      const size = Number(q.size);
      if (index >= size || size > (await latest(size)).size) throw new VigieError('LOG_RANGE_INVALID');
      return { index, size, proof: (await app.disclosureLog.tree.inclusionProof(index, size)).map(toB64) };
    },
  );

  app.get(
    ROUTES.logConsistency,
    {
      config: LOG_READ,
      schema: {
        tags: ['log'],
        summary: 'Consistency proof between two tree sizes (RFC 6962)',
        querystring: ConsistencyQuerySchema,
        response: { 200: ConsistencyProofSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const from = Number(q.from);
      const to = Number(q.to);
      if (from > to || to > (await latest(to)).size) throw new VigieError('LOG_RANGE_INVALID');
      const proof = from === 0 || from === to ? [] : await app.disclosureLog.tree.consistencyProof(from, to);
      return { from, to, proof: proof.map(toB64) };
    },
  );

  app.get(
    ROUTES.logLookup,
    {
      config: LOG_READ,
      preValidation: app.requireMember(),
      schema: {
        tags: ['log'],
        summary: 'Members: the latest leaf of a kind about a subject (a key event, a message), its record and salt, and its inclusion proof in the tree of `size`',
        querystring: LookupQuerySchema,
        response: { 200: LeafAnswerSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const size = Number(q.size);
      if (size > (await latest(size)).size) throw new VigieError('LOG_RANGE_INVALID');
      const leaf = await leafOf(app.db, q.kind, q.subject, size, q.first === true);
      // A record the member may not read is answered as absent: whether it exists is itself information.
      if (!leaf || !(await mayReadRecord(app.db, request.member!, q.kind, leaf.record))) throw new VigieError('LOG_LEAF_UNKNOWN');
      return { index: leaf.index, size, leaf: leaf.data, record: leaf.record, salt: leaf.salt, proof: (await app.disclosureLog.tree.inclusionProof(leaf.index, size)).map(toB64) };
    },
  );

  app.get(
    ROUTES.logRecords,
    {
      config: LOG_READ,
      preValidation: app.requireMember(),
      schema: {
        tags: ['log'],
        summary: 'Members: the records of the key-directory and protocol events after an index (within the first `size` leaves), with their salts (what a monitor checks against the leaves, and what a client follows to know a key event since it last asked)',
        querystring: RecordsQuerySchema,
        response: { 200: DirectoryRecordsSchema },
      },
    },
    async (request) => {
      const q = request.query;
      // A size the hub signed (a client's verified checkpoint) bounds the answer exactly; none asks for the newest.
      const newest = (await latest(q.size ?? 0)).size;
      const size = q.size ?? newest;
      if (size > newest) throw new VigieError('LOG_RANGE_INVALID');
      return { records: await directoryRecords(app.db, q.after ?? -1, Math.min(q.limit ?? 1000, 1000), size), size };
    },
  );

  app.get(
    ROUTES.acceptanceProof,
    {
      preValidation: app.requireMember(),
      schema: {
        tags: ['log'],
        summary: 'Proof that the hub accepted a message: its log leaf, the record and salt it commits to, and a C2SP tlog-proof bundle',
        params: LogMessageParamsSchema,
        response: { 200: AcceptanceProofSchema },
      },
    },
    async (request) => {
      const { id } = request.params;
      const member = request.member!;
      const leaf = await leafOf(app.db, 'message.accepted', id);
      // Accepted a moment ago, its leaf may still wait for the sequencer.
      const [queued] = leaf
        ? []
        : await app.db.select({ record: logQueue.record }).from(logQueue).where(and(eq(logQueue.kind, 'message.accepted'), eq(logQueue.subject, id))).limit(1);
      const record = leaf?.record ?? queued?.record;
      if (!record || !(await mayReadRecord(app.db, member, 'message.accepted', record))) throw new VigieError('MESSAGE_UNKNOWN');
      if (!leaf) throw new VigieError('RECEIPT_PENDING');
      const cp = await latest();
      if (leaf.index >= cp.size) throw new VigieError('RECEIPT_PENDING');
      const proof = await app.disclosureLog.tree.inclusionProof(leaf.index, cp.size);
      return { message: id, index: leaf.index, leaf: leaf.data, record: leaf.record, salt: leaf.salt, bundle: formatProofBundle({ index: leaf.index, proof, checkpointNote: cp.note }) };
    },
  );
};

function sendTile(reply: import('fastify').FastifyReply, bytes: Uint8Array, full: boolean) {
  return reply
    .header('cache-control', full ? 'public, max-age=31536000, immutable' : 'no-store')
    .type('application/octet-stream')
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

