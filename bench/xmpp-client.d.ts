/**
 * Minimal typings for the parts of `@xmpp/client` (xmpp.js, ships no types)
 * that bench/peer.ts uses.
 */
declare module '@xmpp/client' {
  import type { EventEmitter } from 'node:events';

  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: (Element | string)[];
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildText(name: string, xmlns?: string): string | null;
    toString(): string;
  }

  export interface XmppClient extends EventEmitter {
    status: string;
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(element: Element): Promise<void>;
  }

  export interface ClientOptions {
    service: string;
    domain?: string;
    resource?: string;
    username?: string;
    password?: string;
  }

  export function client(options: ClientOptions): XmppClient;
  export function xml(
    name: string,
    attrs?: Record<string, string | number | undefined> | null,
    ...children: (Element | string)[]
  ): Element;
}
