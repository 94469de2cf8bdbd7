/**
 * The member's live stream, as the shelter's views listen to it: the signed
 * receipts and the hub's notices about the messages this agency sent. The
 * session opened one stream for the device; views come and go, so they
 * subscribe here (the stream has no way to remove a listener).
 */
import { useEffect, useRef } from 'preact/hooks';
import type { VerifiedReceipt } from '../../../../sdk/client.js';
import type { Notice, VigieStream } from '../../../../sdk/stream.js';
import { isSenderNotice } from '../../../../sdk/timeline.js';

export type SentEvent = { kind: 'receipt'; receipt: VerifiedReceipt } | { kind: 'notice'; notice: Notice };
type Listener = (message: string, event: SentEvent) => void;

const listeners = new WeakMap<VigieStream, Set<Listener>>();

function subscribe(stream: VigieStream, listener: Listener): () => void {
  let set = listeners.get(stream);
  if (!set) {
    const all = new Set<Listener>();
    set = all;
    listeners.set(stream, all);
    stream.on('receipt', (r) => all.forEach((l) => l(r.receipt.message, { kind: 'receipt', receipt: r })));
    stream.on('notice', (n) => {
      if (isSenderNotice(n)) all.forEach((l) => l(n.message, { kind: 'notice', notice: n }));
    });
  }
  set.add(listener);
  return () => void set.delete(listener);
}

/** Calls `on` for every receipt and sender notice about one of `ids`, while the view is shown. */
export function useSentEvents(stream: VigieStream, ids: readonly string[], on: (message: string, event: SentEvent) => void): void {
  const key = ids.join(',');
  const latest = useRef(on);
  latest.current = on;
  useEffect(() => {
    const watched = new Set(ids);
    return subscribe(stream, (message, event) => {
      if (watched.has(message)) latest.current(message, event);
    });
  }, [stream, key]);
}
