/**
 * Which `Host` and `Origin` values the local endpoint answers. A web page can
 * make a browser send requests to loopback: through DNS rebinding (a name the
 * page controls, re-pointed at 127.0.0.1, so the browser sends `Host: evil.example`)
 * or cross-site (the browser sends `Origin: https://evil.example`). Refusing
 * any `Host` other than the endpoint's own address stops the first; refusing a
 * foreign `Origin` on the control routes stops the second. Neither stops
 * another program on the same machine, which can send whatever headers it likes.
 */
import { isLoopbackHost } from "../addressing/safe-url.js";

/** Decides whether a request's `Host` and `Origin` name this endpoint. */
export interface HostCheck {
  /** Whether a `Host` header value names this endpoint (one of its names, with its port). */
  hostAllowed(host: string | undefined): boolean;
  /** Whether an `Origin` header value is this endpoint itself (`http://` + an allowed host). */
  originAllowed(origin: string): boolean;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** An IP address written as such (not a name): DNS rebinding needs a name, so these are safe. */
function isIpLiteral(hostname: string): boolean {
  if (hostname.startsWith("[") && hostname.endsWith("]")) return hostname.includes(":");
  return (
    IPV4.exec(hostname)
      ?.slice(1)
      .every((octet) => Number(octet) <= 255) === true
  );
}

/** Splits `name:port` / `[v6]:port` into a lower-case hostname and a port (80 when absent). */
function splitHost(value: string): { hostname: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return undefined;
  return { hostname: (match[1] as string).toLowerCase(), port: Number(match[2] ?? 80) };
}

/**
 * The check for an endpoint listening on `listenHost`:`port`. Allowed host
 * names: any loopback name or address (`localhost`, `127.x.y.z`, `[::1]`), the
 * configured host itself, and, when it listens on every interface (`0.0.0.0`,
 * `::`), any IP address; always with the endpoint's port.
 */
export function createHostCheck(listenHost: string, port: number): HostCheck {
  const own = (listenHost.includes(":") ? `[${listenHost}]` : listenHost).toLowerCase();
  const wildcard = own === "0.0.0.0" || own === "[::]";
  const parsedAllowed = (host: string): boolean => {
    const parts = splitHost(host);
    if (parts === undefined || parts.port !== port) return false;
    const { hostname } = parts;
    return hostname === own || isLoopbackHost(hostname) || (wildcard && isIpLiteral(hostname));
  };
  // The values clients send on every request, accepted without parsing them each time.
  const usual = new Set(
    [own, "localhost", "127.0.0.1", "[::1]"].map((name) => `${name}:${port}`).filter(parsedAllowed),
  );
  const hostAllowed = (host: string | undefined): boolean =>
    host !== undefined && (usual.has(host) || parsedAllowed(host));
  return {
    hostAllowed,
    originAllowed: (origin) =>
      origin.startsWith("http://") &&
      // An origin is scheme://host[:port] and nothing else.
      !origin.slice("http://".length).includes("/") &&
      hostAllowed(origin.slice("http://".length)),
  };
}
