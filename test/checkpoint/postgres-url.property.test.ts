/**
 * A PostgreSQL URL's password never survives `displayLocation` or
 * `withoutPassword`, whatever the password (any characters, as written in the
 * URL or decoded) and whatever text surrounds it: the mask shares no
 * character with it, so it cannot recombine with the text into the password.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { displayLocation, withoutPassword } from "../../agents/checkpoint/postgres.js";

/** Characters a mask or a URL is made of, so that passwords and text collide with them often. */
const tricky = fc.constantFrom("*", "x", "+", ",", "%", "4", "1", ":", "@", "/", "a", "s");
const password = fc.oneof(
  fc.string({ minLength: 1, maxLength: 6, unit: tricky }),
  fc.string({ minLength: 1, maxLength: 24, unit: "binary" }),
);
const text = fc.oneof(
  fc.string({ maxLength: 12, unit: tricky }),
  fc.string({ maxLength: 40, unit: "binary" }),
);

function urlWith(secret: string): URL {
  const url = new URL("postgresql://runs@db.internal:5432/review");
  url.password = secret;
  return url;
}

function secrets(url: URL): string[] {
  let decoded = url.password;
  try {
    decoded = decodeURIComponent(url.password);
  } catch {}
  return [url.password, decoded].filter((s) => s !== "");
}

describe("PostgreSQL URL passwords", () => {
  it("are masked in the location shown", () => {
    fc.assert(
      fc.property(password, (secret) => {
        const url = urlWith(secret);
        const shown = displayLocation(url.toString());
        for (const s of secrets(url)) expect(shown).not.toContain(s);
        // The rest is shown as it is, unless the password also occurs there (then it is masked too).
        const clear = (part: string) => !secrets(url).some((s) => part.includes(s));
        if (clear("postgresql://runs:")) expect(shown.startsWith("postgresql://runs:")).toBe(true);
        if (clear("@db.internal:5432/review"))
          expect(shown.endsWith("@db.internal:5432/review")).toBe(true);
      }),
    );
  });

  it("are masked in any message that repeats the URL or the password", () => {
    fc.assert(
      fc.property(password, text, text, text, (secret, a, b, c) => {
        const url = urlWith(secret);
        const [raw, decoded] = [url.password, secrets(url).at(-1) ?? ""];
        const message = `${a}${url.toString()}${b}${raw}${c}${decoded}${a}`;
        const out = withoutPassword(message, url.toString());
        for (const s of secrets(url)) expect(out).not.toContain(s);
      }),
    );
  });

  it("shows a URL without a password, and a path, as they are", () => {
    expect(displayLocation("postgresql://runs@db/review")).toBe("postgresql://runs@db/review");
    expect(displayLocation("/var/lib/runs.sqlite")).toBe("/var/lib/runs.sqlite");
    expect(displayLocation("postgresql://u:p%41ss@h/d")).toBe("postgresql://u:****@h/d");
    expect(withoutPassword("auth failed for pAss", "postgresql://u:p%41ss@h/d")).toBe(
      "auth failed for ****",
    );
  });
});
