/**
 * A small fetch wrapper: JSON in and out, errors as VigieApiError with the
 * hub's stable code.
 *
 * @example
 * const http = new HubHttp('http://127.0.0.1:8080');
 * await http.get('/v1/agencies');
 */
export class VigieApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class HubHttp {
  constructor(
    readonly baseUrl: string,
    private readonly lang: 'fr' | 'en' = 'fr',
  ) {}

  /**
   * One request; a non-2xx answer becomes a VigieApiError with the hub's code.
   * Returns the response with its body already read as text.
   */
  async send(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; accept?: string; authorization?: string } = {},
  ): Promise<{ res: Response; text: string }> {
    const headers: Record<string, string> = { 'accept-language': this.lang, accept: opts.accept ?? 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    // Another scheme than a bearer token: a request the agency's root key signed (protocol/agency-request.ts).
    else if (opts.authorization) headers.authorization = opts.authorization;
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) {
      let err: { code?: string; message?: string; details?: unknown } | undefined;
      try {
        err = (JSON.parse(text) as { error?: typeof err }).error;
      } catch {
        // not JSON: reported with the status
      }
      throw new VigieApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, err?.details);
    }
    return { res, text };
  }

  async request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const { text } = await this.send(method, path, { body, ...(token ? { token } : {}) });
    return (text ? JSON.parse(text) : null) as T;
  }

  /** A text/plain resource (signed notes, keys). */
  async requestText(method: string, path: string, token?: string): Promise<string> {
    return (await this.send(method, path, { accept: 'text/plain', ...(token ? { token } : {}) })).text;
  }

  get<T>(path: string, token?: string) {
    return this.request<T>('GET', path, undefined, token);
  }
  post<T>(path: string, body: unknown, token?: string) {
    return this.request<T>('POST', path, body, token);
  }
}
