import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { profileRegionFromConfig } from "../../src/auth/shared-config.js";

const config = `
# top comment
[default]
region = us-west-2
output = json

[profile dev]
region=eu-central-1   # inline comment
s3 =
  region = ap-south-1

[sso-session corp]
region = us-east-1

[profile   spaced]
region = ca-central-1

[staging]
region = me-south-1
`;

describe("profileRegionFromConfig", () => {
  it("reads [default] and [profile name] sections as the AWS SDK does", () => {
    expect(profileRegionFromConfig(config, "default")).toBe("us-west-2");
    expect(profileRegionFromConfig(config, "dev")).toBe("eu-central-1");
    expect(profileRegionFromConfig(config, "spaced")).toBe("ca-central-1");
    // Only `[profile x]` names a profile in the config file; `[x]` and sso-session do not.
    expect(profileRegionFromConfig(config, "staging")).toBeUndefined();
    expect(profileRegionFromConfig(config, "corp")).toBeUndefined();
    expect(profileRegionFromConfig(config, "missing")).toBeUndefined();
  });

  it("lets a later value win and treats an empty value as none", () => {
    expect(profileRegionFromConfig("[default]\nregion=a\nregion=b\n", "default")).toBe("b");
    expect(profileRegionFromConfig("[default]\r\nregion =\r\n", "default")).toBeUndefined();
  });

  it("never throws and finds a region placed in any profile of generated text", () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
    const noise = fc.array(fc.string({ unit: "grapheme" }), { maxLength: 5 });
    fc.assert(
      fc.property(name, noise, noise, fc.string(), (profile, before, after, junk) => {
        profileRegionFromConfig(junk, profile);
        const lines = [
          ...before.map((line) => `# ${line.replace(/[\r\n]/g, "")}`),
          profile === "default" ? "[default]" : `[profile ${profile}]`,
          "region = us-gov-east-1",
          ...after.map((line) => `; ${line.replace(/[\r\n]/g, "")}`),
        ];
        expect(profileRegionFromConfig(lines.join("\n"), profile)).toBe("us-gov-east-1");
      }),
    );
  });
});
