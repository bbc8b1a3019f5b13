/**
 * The contract between the local endpoint's HTTP layer and the model behind a
 * route. The server authenticates, routes, validates the body's basic shape and
 * applies faults; a backend only turns a chat request into a response, exactly
 * as a container behind SageMaker would.
 */

/** A chat completions request body as the client sent it (already parsed JSON, shape-checked). */
export interface ChatCompletionRequestBody {
  model?: string;
  messages: Array<Record<string, unknown>>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean; continuous_usage_stats?: boolean } | null;
  tools?: Array<Record<string, unknown>>;
  tool_choice?: unknown;
  response_format?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Where the request was routed and what it may use. */
export interface BackendContext {
  /** The endpoint name from the URL path. */
  endpoint: string;
  /** The inference component name from the URL path, when the route has one. */
  component?: string;
  /** A request id, unique per request; vLLM derives the completion id from it. */
  requestId: string;
  /** Aborted when the client goes away; a backend stops producing output then. */
  signal: AbortSignal;
}

/** A complete (non-streaming) response: status, optional headers, and a JSON body. */
export interface JsonBackendResponse {
  type: "json";
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/**
 * A streamed response. `body` yields the raw bytes of a `text/event-stream`
 * (for a demo backend, whole `data: ...\n\n` events; for a proxy, the upstream's
 * pieces unchanged). The server writes each piece as it comes, which is what
 * its stream faults (cut after K pieces, malformed SSE, trickling) act upon.
 */
export interface StreamBackendResponse {
  type: "stream";
  status: number;
  headers?: Record<string, string>;
  body: AsyncIterable<string | Uint8Array>;
}

/** What a backend returns for one request. */
export type BackendResponse = JsonBackendResponse | StreamBackendResponse;

/** A model behind one endpoint or inference component. */
export interface ChatBackend {
  /** Answers one chat completions request. Errors are returned as JSON responses, not thrown. */
  complete(request: ChatCompletionRequestBody, context: BackendContext): Promise<BackendResponse>;
  /** Releases resources (upstream connections); called when the local endpoint closes. */
  close?(): Promise<void>;
}
