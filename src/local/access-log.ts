/**
 * The local endpoint's access log: one entry per request, in memory (bounded)
 * and optionally as JSON lines in a file. Entries are built from fields the
 * server chose, never from headers, so a bearer token cannot end up here.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { redactTokens } from "../errors.js";

/** One request as the access log records it. */
export interface AccessLogEntry {
  /** When the request arrived (ISO 8601, from the endpoint's clock). */
  time: string;
  method: string;
  /** The URL path without its query string. */
  path: string;
  /** The endpoint named in the path, when the path was a chat route. */
  endpoint: string | null;
  /** The inference component named in the path, if any. */
  component: string | null;
  /** The HTTP status sent; 0 when the connection closed before any was sent. */
  status: number;
  /** The access key that signed the token, once verified. */
  accessKeyId: string | null;
  /** Milliseconds from arrival until the response ended or the connection closed. */
  latencyMs: number;
  /** True when the response was an event stream. */
  stream: boolean;
  /** The id the response carries in `x-amzn-RequestId`. */
  requestId: string;
  /** Why the request was refused or faulted (`TOKEN_EXPIRED`, `FAULT_STATUS`, ...), if it was. */
  reason?: string;
}

/** An in-memory, bounded access log that can also append to a file. */
export class AccessLog {
  /** The entries, oldest first. The array is live: it grows as requests finish. */
  readonly entries: AccessLogEntry[] = [];
  private readonly _max: number;
  private readonly _file: WriteStream | undefined;

  constructor(maxEntries: number, file?: string) {
    this._max = maxEntries;
    this._file = file === undefined ? undefined : createWriteStream(file, { flags: "a" });
    // A failing log file must not take the endpoint down; the in-memory log keeps working.
    this._file?.on("error", (error) => {
      process.stderr.write(`local endpoint: access log file error: ${error.message}\n`);
    });
  }

  /** Records one entry. */
  add(entry: AccessLogEntry): void {
    // Path segments are caller-chosen text: a token pasted into the URL must not be kept.
    entry.path = redactTokens(entry.path);
    if (entry.endpoint !== null) entry.endpoint = redactTokens(entry.endpoint);
    if (entry.component !== null) entry.component = redactTokens(entry.component);
    this.entries.push(entry);
    // Trim in batches so a full log costs one splice per 10% of its size, not one per request.
    if (this.entries.length > this._max) {
      this.entries.splice(0, this.entries.length - this._max + Math.ceil(this._max / 10));
    }
    this._file?.write(`${JSON.stringify(entry)}\n`);
  }

  /** Forgets every in-memory entry (the file is left as it is). */
  clear(): void {
    this.entries.length = 0;
  }

  /** Flushes and closes the log file, if any. */
  async close(): Promise<void> {
    const file = this._file;
    if (file === undefined || file.closed) return;
    await new Promise<void>((resolve) => file.end(resolve));
  }
}
