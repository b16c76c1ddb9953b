/** What a request answered. */
export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * An HTTP client over real sockets that keeps its own cookies, like one person's browser.
 * It sends the server's own Origin on changes, as a browser on the site would.
 */
export class Client {
  private cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly origin: string = baseUrl,
  ) {}

  get<T = any>(path: string, headers: Record<string, string> = {}): Promise<Answer<T>> {
    return this.request<T>("GET", path, undefined, headers);
  }

  post<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>("POST", path, body, headers);
  }

  patch<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>("PATCH", path, body, headers);
  }

  put<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>("PUT", path, body, headers);
  }

  delete<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>("DELETE", path, body, headers);
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...extra };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    if (method !== "GET" && !("origin" in headers)) headers.origin = this.origin;
    // An empty origin means: send none, as a script or an old browser would.
    if (headers.origin === "") delete headers.origin;
    if (body !== undefined && !("content-type" in headers)) {
      headers["content-type"] = "application/json";
    }

    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      ...(body !== undefined
        ? {
            body:
              typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
          }
        : {}),
    });
    this.keepCookies(response.headers);

    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a page or a file): keep the text.
    }

    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  private keepCookies(headers: Headers): void {
    for (const cookie of headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === "" || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get signedIn(): boolean {
    return [...this.cookies.keys()].some((name) => name.includes("session_token"));
  }
}
