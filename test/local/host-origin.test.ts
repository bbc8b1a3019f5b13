/**
 * What a web page cannot make a browser do to the local endpoint: reach it
 * through DNS rebinding (a foreign `Host`: refused on every route, 403), or
 * drive its control routes cross-site (a foreign `Origin`: refused, 403).
 * Real HTTP on loopback with the headers a browser would send.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHostCheck } from "../../src/local/host-check.js";
import {
  mintToken,
  openRawSocket,
  postChat,
  type RawResponse,
  rawRequest,
  startTestEndpoint,
  type TestEndpoint,
} from "../helpers/local-endpoint.js";

let local: TestEndpoint;
let token: string;
let port: number;

beforeAll(async () => {
  local = await startTestEndpoint();
  token = await mintToken();
  port = local.port;
});
afterAll(() => local.close());
beforeEach(() => {
  local.clearFaults();
});

function chat(headers: Record<string, string>) {
  return postChat(local.url, token, { headers });
}

function control(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return rawRequest(local.url, {
    method,
    path: `/_local/${path}`,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The service-style refusal: AWS error type in the header and body, a stable code, a flat message too. */
function expectRefusal(res: RawResponse, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers["x-amzn-errortype"]).toBe("AccessDeniedException");
  expect(res.json).toEqual({
    message: expect.any(String),
    error: { message: expect.any(String), type: "AccessDeniedException", code, param: null },
  });
}

/** Every control route, read or change, refused with 403 `code` when sent `headers`. */
async function expectControlRoutesRefused(headers: Record<string, string>, code: string) {
  expectRefusal(await control("GET", "requests", headers), 403, code);
  expectRefusal(await control("GET", "faults", headers), 403, code);
  expectRefusal(
    await control("POST", "faults", headers, { endpoint: "ep1", status: 500, always: true }),
    403,
    code,
  );
  expectRefusal(await control("DELETE", "requests", headers), 403, code);
  expectRefusal(await control("DELETE", "faults", headers), 403, code);
}

describe("Host: only the endpoint's own address and port", () => {
  it("answers 127.0.0.1, localhost and [::1] names with the endpoint's port", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await chat({ host })).status, host).toBe(200);
    }
  });

  it("refuses a rebinding name on the model routes, before the backend sees anything (403 HOST_NOT_ALLOWED)", async () => {
    const seen = local.backend.seen.length;
    for (const host of [`evil.example:${port}`, `127.0.0.1.evil.example:${port}`, "evil.example"]) {
      const res = await chat({ host });
      expectRefusal(res, 403, "HOST_NOT_ALLOWED");
      // The refusal does not echo the Host it was given.
      expect(res.text).not.toContain("evil");
    }
    expect(local.backend.seen.length).toBe(seen);
    expect(local.requests.at(-1)).toMatchObject({ status: 403, reason: "HOST_NOT_ALLOWED" });
  });

  it("refuses the loopback address with another port, and a request without Host", async () => {
    expectRefusal(await chat({ host: `127.0.0.1:${port + 1}` }), 403, "HOST_NOT_ALLOWED");
    expectRefusal(await chat({ host: "127.0.0.1" }), 403, "HOST_NOT_ALLOWED");
    // HTTP/1.0 lets a client leave Host out; no client of the endpoint does.
    const raw = await openRawSocket(local.url);
    raw.socket.write("GET /_local/requests HTTP/1.0\r\n\r\n");
    const answer = await raw.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).toContain('"code":"HOST_NOT_ALLOWED"');
  });

  it("refuses a rebinding name on every control route, changing nothing", async () => {
    local.injectFault({ endpoint: "ep1", status: 503, count: 1 });
    await chat({});
    const logged = local.requests.length;
    const host = `rebound.example:${port}`;
    await expectControlRoutesRefused({ host }, "HOST_NOT_ALLOWED");
    expect(local.requests.length).toBe(logged);
    local.injectFault({ endpoint: "ep2", status: 500, count: 1 });
    expect((await control("GET", "faults", {})).json).toMatchObject({
      faults: [{ spec: { endpoint: "ep2" } }],
    });
  });
});

describe("Origin: control routes refuse web pages", () => {
  it("refuses a foreign Origin on reads and changes (403 ORIGIN_NOT_ALLOWED), changing nothing", async () => {
    const foreign = [
      "https://evil.example",
      "null",
      `http://localhost.evil.example:${port}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port + 1}`,
    ];
    await chat({});
    const logged = local.requests.length;
    for (const origin of foreign) {
      await expectControlRoutesRefused({ origin }, "ORIGIN_NOT_ALLOWED");
    }
    expect(local.requests.length).toBe(logged);
    expect((await control("GET", "faults", {})).json).toEqual({ faults: [] });
  });

  it("answers without an Origin, or with the endpoint's own", async () => {
    const origins: Array<Record<string, string>> = [
      {},
      { origin: local.url },
      { origin: `http://localhost:${port}` },
    ];
    for (const headers of origins) {
      const added = await control("POST", "faults", headers, { endpoint: "ep1", status: 503 });
      expect(added.status).toBe(201);
      expect((await control("DELETE", "faults", headers)).json).toEqual({ cleared: 1 });
    }
  });
});

describe("the Host rule for other listening addresses", () => {
  it("a named host accepts its name and loopback; a wildcard bind also accepts any IP address, never a name", () => {
    const named = createHostCheck("devbox.internal", 8080);
    expect(named.hostAllowed("devbox.internal:8080")).toBe(true);
    expect(named.hostAllowed("localhost:8080")).toBe(true);
    expect(named.hostAllowed("192.168.1.5:8080")).toBe(false);
    const wildcard = createHostCheck("0.0.0.0", 8080);
    expect(wildcard.hostAllowed("192.168.1.5:8080")).toBe(true);
    expect(wildcard.hostAllowed("[fe80::1]:8080")).toBe(true);
    expect(wildcard.hostAllowed("evil.example:8080")).toBe(false);
    expect(wildcard.hostAllowed("192.168.1.5:8081")).toBe(false);
    expect(wildcard.originAllowed("http://192.168.1.5:8080")).toBe(true);
    expect(wildcard.originAllowed("https://192.168.1.5:8080")).toBe(false);
    expect(wildcard.originAllowed("http://192.168.1.5:8080/x")).toBe(false);
    const v6 = createHostCheck("::1", 8080);
    expect(v6.hostAllowed("[::1]:8080")).toBe(true);
    expect(v6.hostAllowed("[::2]:8080")).toBe(false);
  });
});
