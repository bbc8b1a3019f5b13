/**
 * The PostgreSQL saver's pool size, read from untrusted text (the URL's
 * `connection_limit`) or from code (`maxConnections`): a whole number from 1
 * to 100 is taken as written, anything else is refused with
 * `STATE_DATABASE_UNAVAILABLE` and a message that names the value and never
 * the password; the URL's value takes precedence over the option.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { postgresMaxConnections } from "../../agents/checkpoint/postgres.js";
import { DEFAULT_POSTGRES_MAX_CONNECTIONS } from "../../agents/checkpoint/postgres-options.js";

const PASSWORD = "s3cret-pw-8841";

function urlWith(limit?: string): string {
  const url = new URL(`postgresql://runs:${PASSWORD}@db.internal:5432/review`);
  if (limit !== undefined) url.searchParams.set("connection_limit", limit);
  return url.toString();
}

/** What a value must give: the number when it is a whole number 1-100 written in digits. */
function expected(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= 1 && value <= 100 ? value : undefined;
}

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

describe("PostgreSQL pool size", () => {
  it("defaults to 10 and takes the option when the URL has no connection_limit", () => {
    expect(DEFAULT_POSTGRES_MAX_CONNECTIONS).toBe(10);
    expect(postgresMaxConnections(urlWith())).toBe(10);
    expect(postgresMaxConnections(urlWith(), { maxConnections: 3 })).toBe(3);
    expect(postgresMaxConnections(urlWith("7"), { maxConnections: 3 })).toBe(7);
  });

  it("takes the URL's connection_limit when it is 1-100, else refuses it without the password", () => {
    const limit = fc.oneof(
      fc.integer({ min: -5, max: 130 }).map(String),
      fc.string({
        maxLength: 6,
        unit: fc.constantFrom("0", "1", "9", " ", "-", ".", "e", "x", "+"),
      }),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(limit, (text) => {
        const url = urlWith(text);
        const want = expected(text);
        if (want !== undefined) {
          expect(postgresMaxConnections(url, { maxConnections: 50 })).toBe(want);
          return;
        }
        const error = refusal(() => postgresMaxConnections(url)) as Error & { code?: string };
        expect(error.code).toBe("STATE_DATABASE_UNAVAILABLE");
        expect(error.message).toContain("connection_limit");
        expect(error.message).not.toContain(PASSWORD);
      }),
    );
  });

  it("refuses a maxConnections option that is not a whole number 1-100", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1000, max: 0 }),
          fc.integer({ min: 101, max: 100_000 }),
          fc.double({ noInteger: true }),
        ),
        (maxConnections) => {
          const error = refusal(() => postgresMaxConnections(urlWith(), { maxConnections }));
          expect(error).toMatchObject({
            code: "STATE_DATABASE_UNAVAILABLE",
            message: expect.stringContaining("maxConnections"),
          });
          expect((error as Error).message).not.toContain(PASSWORD);
        },
      ),
    );
  });
});
