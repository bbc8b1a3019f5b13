import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertSafeBaseURL,
  isLoopbackHost,
  isValidRegion,
  REGION_DNS_SUFFIXES,
  regionDnsSuffix,
  sagemakerOpenAIBaseURL,
} from "../../src/addressing/index.js";
import { ValidationError } from "../../src/errors.js";

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).code;
  }
  throw new Error("expected a ValidationError");
}

describe("region validation", () => {
  it.each([
    ["us-west-2", "amazonaws.com"],
    ["ap-southeast-7", "amazonaws.com"],
    ["us-gov-west-1", "amazonaws.com"],
    ["cn-north-1", "amazonaws.com.cn"],
    ["cn-northwest-1", "amazonaws.com.cn"],
    ["us-iso-east-1", "c2s.ic.gov"],
    ["us-isob-east-1", "sc2s.sgov.gov"],
    ["eu-isoe-west-1", "cloud.adc-e.uk"],
    ["us-isof-south-1", "csp.hci.ic.gov"],
    ["eusc-de-east-1", "amazonaws.eu"],
  ])("accepts %s under %s", (region, suffix) => {
    expect(isValidRegion(region)).toBe(true);
    expect(regionDnsSuffix(region)).toBe(suffix);
  });

  it.each([
    "us-west-2.evil.com",
    "evil.com/x?",
    "us-west-2#",
    "us-west-2 ",
    " us-west-2",
    "us west 2",
    "US-WEST-2",
    "",
    "us-west-2\n",
    "us-west-0",
    "us-wеst-2", // Cyrillic "е"
    "us-west-２", // full-width digit
    "uѕ-west-2", // Cyrillic "ѕ"
    "x@evil.com#",
    "us-west-2:443",
    "us-west",
    "zz-west-2",
  ])("refuses %j with INVALID_REGION", (region) => {
    expect(isValidRegion(region)).toBe(false);
    expect(codeOf(() => sagemakerOpenAIBaseURL({ region, endpointName: "ep" }))).toBe(
      "INVALID_REGION",
    );
  });
});

describe("sagemakerOpenAIBaseURL", () => {
  it("builds the endpoint and inference component URLs of the reference page", () => {
    const endpoint = new URL(
      sagemakerOpenAIBaseURL({ region: "us-west-2", endpointName: "my-ep" }),
    );
    expect(endpoint.host).toBe("runtime.sagemaker.us-west-2.amazonaws.com");
    expect(endpoint.protocol).toBe("https:");
    expect(endpoint.pathname).toBe("/endpoints/my-ep/openai/v1");

    const component = new URL(
      sagemakerOpenAIBaseURL({
        region: "cn-north-1",
        endpointName: "shared",
        inferenceComponentName: "coder-1",
      }),
    );
    expect(component.host).toBe("runtime.sagemaker.cn-north-1.amazonaws.com.cn");
    expect(component.pathname).toBe("/endpoints/shared/inference-components/coder-1/openai/v1");
  });

  it.each([
    ["endpointName", { endpointName: "" }, "INVALID_ENDPOINT_NAME"],
    ["endpointName", { endpointName: "a/../b" }, "INVALID_ENDPOINT_NAME"],
    ["endpointName", { endpointName: "-ep" }, "INVALID_ENDPOINT_NAME"],
    ["endpointName", { endpointName: "ep-" }, "INVALID_ENDPOINT_NAME"],
    ["endpointName", { endpointName: "a".repeat(64) }, "INVALID_ENDPOINT_NAME"],
    ["endpointName", { endpointName: "ep?x=1" }, "INVALID_ENDPOINT_NAME"],
    [
      "inferenceComponentName",
      { inferenceComponentName: "ic#frag" },
      "INVALID_INFERENCE_COMPONENT_NAME",
    ],
    [
      "inferenceComponentName",
      { inferenceComponentName: "ic_1" },
      "INVALID_INFERENCE_COMPONENT_NAME",
    ],
  ])("refuses a bad %s (%o) with %s", (_field, override, code) => {
    expect(
      codeOf(() =>
        sagemakerOpenAIBaseURL({ region: "us-west-2", endpointName: "ep", ...override }),
      ),
    ).toBe(code);
  });

  it("accepts names at the rule's limits", () => {
    for (const name of ["a", "A1", "a--b", "a".repeat(63)]) {
      expect(
        new URL(sagemakerOpenAIBaseURL({ region: "us-west-2", endpointName: name })).pathname,
      ).toBe(`/endpoints/${name}/openai/v1`);
    }
  });

  it("never yields another host for any string accepted as a region (property)", () => {
    const regionish = fc.oneof(
      fc.string(),
      fc.string({
        unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-./#?@:% ".split("")),
      }),
      fc
        .tuple(
          fc.constantFrom("us", "cn", "us-gov", "us-iso", "eu-isoe", "eusc-de", "ap"),
          fc.string({
            unit: fc.constantFrom(..."abcdefghz.-/#?@".split("")),
            minLength: 1,
            maxLength: 12,
          }),
          fc.string({
            unit: fc.constantFrom(..."0123456789.#/?".split("")),
            minLength: 1,
            maxLength: 3,
          }),
        )
        .map(([a, b, c]) => `${a}-${b}-${c}`),
    );
    fc.assert(
      fc.property(regionish, (region) => {
        let baseURL: string;
        try {
          baseURL = sagemakerOpenAIBaseURL({ region, endpointName: "ep" });
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          return;
        }
        const url = new URL(baseURL);
        const suffix = regionDnsSuffix(region);
        expect(REGION_DNS_SUFFIXES).toContain(suffix);
        expect(url.host).toBe(`runtime.sagemaker.${region}.${suffix}`);
        expect(url.protocol).toBe("https:");
        expect(url.pathname).toBe("/endpoints/ep/openai/v1");
        expect(url.username + url.password + url.search + url.hash).toBe("");
      }),
      { numRuns: 3000 },
    );
  });
});

describe("explicit baseURL", () => {
  const base = { region: "us-west-2", endpointName: "ep", inferenceComponentName: "ic" };

  it("appends the SageMaker path to an origin and keeps a full base URL as given", () => {
    expect(sagemakerOpenAIBaseURL({ ...base, baseURL: "http://127.0.0.1:8080/" })).toBe(
      "http://127.0.0.1:8080/endpoints/ep/inference-components/ic/openai/v1",
    );
    expect(
      sagemakerOpenAIBaseURL({
        ...base,
        baseURL: "https://vpce-0abc.runtime.sagemaker.us-west-2.vpce.amazonaws.com",
      }),
    ).toBe(
      "https://vpce-0abc.runtime.sagemaker.us-west-2.vpce.amazonaws.com/endpoints/ep/inference-components/ic/openai/v1",
    );
    expect(
      sagemakerOpenAIBaseURL({ ...base, baseURL: "http://localhost:9000/endpoints/x/openai/v1/" }),
    ).toBe("http://localhost:9000/endpoints/x/openai/v1");
  });

  it.each([
    "http://127.0.0.1:1234",
    "http://127.255.0.9",
    "http://127.1",
    "http://localhost:8080",
    "http://[::1]:8080",
    "http://[0:0:0:0:0:0:0:1]",
    "https://example.com",
  ])("accepts %s", (url) => {
    expect(() => assertSafeBaseURL(url)).not.toThrow();
  });

  it.each([
    ["http://example.com", "INSECURE_BASE_URL"],
    ["http://10.0.0.5:8080", "INSECURE_BASE_URL"],
    ["http://128.0.0.1", "INSECURE_BASE_URL"],
    ["http://localhost.evil.com", "INSECURE_BASE_URL"],
    ["http://127.0.0.1.evil.com", "INSECURE_BASE_URL"],
    ["http://[::2]", "INSECURE_BASE_URL"],
    ["ftp://127.0.0.1", "INVALID_BASE_URL"],
    ["file:///etc/passwd", "INVALID_BASE_URL"],
    ["not a url", "INVALID_BASE_URL"],
    ["https://user:pw@example.com", "INVALID_BASE_URL"],
    ["https://example.com/?x=1", "INVALID_BASE_URL"],
    ["https://example.com/?", "INVALID_BASE_URL"],
    ["https://example.com/#", "INVALID_BASE_URL"],
  ])("refuses %s with %s", (url, code) => {
    expect(codeOf(() => sagemakerOpenAIBaseURL({ ...base, baseURL: url }))).toBe(code);
  });

  it("lets allowInsecureHttp opt into plain http elsewhere, and only http", () => {
    expect(
      sagemakerOpenAIBaseURL({ ...base, baseURL: "http://10.0.0.5", allowInsecureHttp: true }),
    ).toBe("http://10.0.0.5/endpoints/ep/inference-components/ic/openai/v1");
    expect(
      codeOf(() =>
        sagemakerOpenAIBaseURL({ ...base, baseURL: "ftp://x", allowInsecureHttp: true }),
      ),
    ).toBe("INVALID_BASE_URL");
  });

  it("still validates the region and names when baseURL is given", () => {
    expect(
      codeOf(() => sagemakerOpenAIBaseURL({ ...base, region: "bad", baseURL: "http://127.0.0.1" })),
    ).toBe("INVALID_REGION");
    expect(
      codeOf(() =>
        sagemakerOpenAIBaseURL({ ...base, endpointName: "a b", baseURL: "http://127.0.0.1" }),
      ),
    ).toBe("INVALID_ENDPOINT_NAME");
  });
});

describe("isLoopbackHost", () => {
  it("knows loopback hostnames as URL normalises them", () => {
    for (const host of ["localhost", "LOCALHOST", "127.0.0.1", "127.8.9.10", "[::1]", "::1"]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of [
      "127.0.0.256",
      "127.0.0",
      "0.0.0.0",
      "localhost.",
      "example.com",
      "[::ffff:1]",
    ]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});
