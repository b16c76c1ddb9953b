/** An answer from the API that was not a success: its stable code, status and facts. */
export class ApiError extends Error {
  code: string;
  status: number;
  details?: Record<string, unknown>;

  constructor(code: string, status: number, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    if (details) this.details = details;
  }
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;

  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorOf(response: Response, body: unknown): ApiError {
  const error = (body as ErrorBody | undefined)?.error;
  const code = typeof error?.code === "string" ? error.code : "request.failed";
  const message =
    typeof error?.message === "string" ? error.message : `The server answered ${response.status}.`;
  const details =
    typeof error?.details === "object" && error.details !== null
      ? (error.details as Record<string, unknown>)
      : undefined;

  return new ApiError(code, response.status, message, details);
}

/**
 * Calls the Tessera API. `path` is relative to /api/v1 ("/organizations/acme/members").
 * Sends and reads JSON with the session cookie; answers undefined for 204; throws an ApiError
 * with the error body's code, message and details (code "network.failed" when the server
 * could not be reached).
 */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: "same-origin",
      headers: {
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError("network.failed", 0, "The server could not be reached.");
  }

  if (response.status === 204) return undefined as T;

  const answer = await readJson(response);
  if (!response.ok) throw errorOf(response, answer);

  return answer as T;
}

/**
 * Sends a file's bytes as the request body (a CSV upload: POST `path` relative to /api/v1)
 * with the session cookie, and reads the JSON answer. Throws as `api` does.
 */
export async function sendFile<T>(path: string, file: Blob, contentType: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: "application/json", "content-type": contentType },
      body: file,
    });
  } catch {
    throw new ApiError("network.failed", 0, "The server could not be reached.");
  }

  const answer = await readJson(response);
  if (!response.ok) throw errorOf(response, answer);

  return answer as T;
}
