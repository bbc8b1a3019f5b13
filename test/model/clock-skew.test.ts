/**
 * Clock-skew correction against local endpoints whose clocks run hours away
 * from this machine's: the first token is refused as expired (server ahead)
 * or not yet valid (server behind); the model reads the server's `Date`,
 * signs with the corrected time and retries once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/auth/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import { ClockSkew } from "../../src/model/clock-skew.js";
import { SageMakerModelError } from "../../src/model/index.js";
import { modelFor, startDemoEndpoint, TEST_CREDENTIALS } from "./model-helpers.js";

const HOURS = 3_600_000;
const open: LocalEndpoint[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function endpointWithClock(offsetMs: number): Promise<LocalEndpoint> {
  const local = await startDemoEndpoint({ clock: () => Date.now() + offsetMs });
  open.push(local);
  return local;
}

async function logged(local: LocalEndpoint) {
  await new Promise((resolve) => setTimeout(resolve, 30));
  return local.requests.map((r) => [r.status, r.reason ?? null]);
}

describe("clock skew", () => {
  it.each([
    [+2 * HOURS, "TOKEN_EXPIRED"],
    [-2 * HOURS, "TOKEN_FROM_FUTURE"],
    [+13 * HOURS, "TOKEN_EXPIRED"],
  ])("server clock %d ms away: refused once (%s), then corrected", async (offset, reason) => {
    const local = await endpointWithClock(offset);
    const model = modelFor(local, { maxRetries: 0 });
    const reply = await model.invoke("hi");
    expect(reply.content).toContain("You asked");
    expect(await logged(local)).toEqual([
      [401, reason],
      [200, null],
    ]);
    // The correction sticks: later calls (streams too) are accepted at once.
    await model.invoke("again");
    for await (const _ of await model.stream("stream")) {
      // drain
    }
    expect((await logged(local)).slice(2)).toEqual([
      [200, null],
      [200, null],
    ]);
  });

  it("is shared by the withConfig copies of a model", async () => {
    const local = await endpointWithClock(-3 * HOURS);
    const model = modelFor(local);
    await model.invoke("hi");
    await model.withConfig({ stop: ["\n\n\n"] }).invoke("hi");
    expect((await logged(local)).map(([status]) => status)).toEqual([401, 200, 200]);
  });

  it("is not attempted when turned off, or with a caller's token provider", async () => {
    const local = await endpointWithClock(2 * HOURS);
    const off = await modelFor(local, { correctClockSkew: false })
      .invoke("hi")
      .catch((e: unknown) => e);
    expect(off).toBeInstanceOf(SageMakerModelError);
    expect(off).toMatchObject({
      code: "AUTHENTICATION_FAILED",
      status: 401,
      serverCode: "TOKEN_EXPIRED",
      attempts: 1,
    });
    const provider = createTokenProvider({ region: "us-west-2", credentials: TEST_CREDENTIALS });
    const external = await modelFor(local, { tokenProvider: provider })
      .invoke("hi")
      .catch((e: unknown) => e);
    expect(external).toMatchObject({ code: "AUTHENTICATION_FAILED", serverCode: "TOKEN_EXPIRED" });
    expect((await logged(local)).map(([status]) => status)).toEqual([401, 401]);
  });

  it("adopts the server's time only beyond a minute of difference", () => {
    const skew = new ClockSkew();
    const now = 1_800_000_000_000;
    expect(skew.correct(now + 59_000, now)).toBe(false);
    expect(skew.correct(undefined, now)).toBe(false);
    expect(skew.correct(now - 61_000, now)).toBe(true);
    expect(skew.offsetMs).toBe(-61_000);
    // Already corrected: the same server time changes nothing.
    expect(skew.correct(now - 61_000, now)).toBe(false);
  });
});
