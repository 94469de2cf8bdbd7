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

  async request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = { 'accept-language': this.lang, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(new URL(path, this.baseUrl), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: reported below with the status
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
      throw new VigieApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, err?.details);
    }
    return json as T;
  }

  /** A text/plain resource (signed notes, keys). */
  async requestText(method: string, path: string, token?: string): Promise<string> {
    const headers: Record<string, string> = { 'accept-language': this.lang };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(new URL(path, this.baseUrl), { method, headers });
    const text = await res.text();
    if (!res.ok) {
      let err: { code?: string; message?: string } | undefined;
      try {
        err = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
      } catch {
        // not JSON
      }
      throw new VigieApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText);
    }
    return text;
  }

  get<T>(path: string, token?: string) {
    return this.request<T>('GET', path, undefined, token);
  }
  post<T>(path: string, body: unknown, token?: string) {
    return this.request<T>('POST', path, body, token);
  }
}
