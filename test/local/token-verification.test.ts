/**
 * Token verification over real HTTP: every refusal reason has its own request,
 * and tokens minted by this package and by botocore are accepted.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHAT_BODY,
  FIXED_NOW,
  mintToken,
  mutateToken,
  postChat,
  rawRequest,
  startTestEndpoint,
  TEST_CREDENTIALS,
  type TestEndpoint,
  tokenUrl,
} from "../helpers/local-endpoint.js";

const SIGNED_AT = new Date(FIXED_NOW);
let now = FIXED_NOW + 1000;
let local: TestEndpoint;

beforeAll(async () => {
  local = await startTestEndpoint({ clock: () => now });
});
afterAll(() => local.close());

function call(
  authorization: string | undefined,
  path = "/endpoints/ep1/openai/v1/chat/completions",
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization !== undefined) headers.authorization = authorization;
  return rawRequest(local.url, { path, headers, body: CHAT_BODY });
}

const good = () => mintToken({ signingDate: SIGNED_AT });

async function expectRefusal(authorization: string | undefined, reason: string, status = 401) {
  const res = await call(authorization);
  expect(res.status).toBe(status);
  expect(res.json).toMatchObject({ error: { code: reason } });
  const body = res.json as { message: string; error: { message: string; type: string } };
  expect(body.error.message).toBe(body.message);
  expect(res.headers["x-amzn-errortype"]).toBe(body.error.type);
  // The refusal never carries the token, whole or in part.
  if (authorization !== undefined) {
    const token = authorization.replace(/^\w+\s+/, "");
    if (token.length > 40) {
      expect(res.text).not.toContain(token);
      expect(res.text).not.toContain(token.slice(18, 40));
    }
  }
  expect(local.requests.at(-1)).toMatchObject({ status, reason });
}

describe("accepted tokens", () => {
  it("accepts a token minted by the package's generateToken", async () => {
    const res = await call(`Bearer ${await good()}`);
    expect(res.status).toBe(200);
    expect(local.requests.at(-1)?.accessKeyId).toBe(TEST_CREDENTIALS.accessKeyId);
  });

  it("accepts a token minted by botocore's SigV4QueryAuth, as sagemaker-core's token_generator does", async () => {
    const script = `
import base64, sys
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
req = AWSRequest(method="POST", url="https://sagemaker.amazonaws.com/",
                 headers={"host": "sagemaker.amazonaws.com"}, params={"Action": "CallWithBearerToken"})
SigV4QueryAuth(Credentials(sys.argv[1], sys.argv[2], sys.argv[3] or None), "sagemaker", "us-west-2",
               expires=int(sys.argv[4])).add_auth(req)
url = req.url.replace("https://", "") + "&Version=1"
print("sagemaker-api-key-" + base64.b64encode(url.encode("utf-8")).decode("utf-8"))
`;
    const mint = (sessionToken: string) =>
      execFileSync(
        "python3",
        [
          "-c",
          script,
          TEST_CREDENTIALS.accessKeyId,
          TEST_CREDENTIALS.secretAccessKey,
          sessionToken,
          "600",
        ],
        {
          encoding: "utf8",
        },
      ).trim();
    // botocore signs with the real clock, so this endpoint uses it too.
    const real = await startTestEndpoint();
    try {
      const res = await postChat(real.url, mint(""));
      expect(res.status).toBe(200);
      expect(real.requests.at(-1)?.accessKeyId).toBe(TEST_CREDENTIALS.accessKeyId);
    } finally {
      await real.close();
    }
  });

  it("accepts botocore tokens signed with temporary credentials (session token signed in)", async () => {
    const session = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLXdlc3QtMiJH+/=";
    const temp = {
      accessKeyId: "ASIAEXAMPLESESSION01",
      secretAccessKey: TEST_CREDENTIALS.secretAccessKey,
      sessionToken: session,
    };
    const real = await startTestEndpoint({ credentials: [temp] });
    try {
      const token = execFileSync(
        "python3",
        [
          "-c",
          `import base64,sys
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
r = AWSRequest(method="POST", url="https://sagemaker.amazonaws.com/", headers={"host": "sagemaker.amazonaws.com"}, params={"Action": "CallWithBearerToken"})
SigV4QueryAuth(Credentials(sys.argv[1], sys.argv[2], sys.argv[3]), "sagemaker", "us-west-2", expires=300).add_auth(r)
print("sagemaker-api-key-" + base64.b64encode((r.url.replace("https://", "") + "&Version=1").encode()).decode())`,
          temp.accessKeyId,
          temp.secretAccessKey,
          session,
        ],
        { encoding: "utf8" },
      ).trim();
      const res = await postChat(real.url, token);
      expect(res.status).toBe(200);
    } finally {
      await real.close();
    }
  });

  it("accepts X-Amz-Expires at both edges of 1..43200 (43200 is generateToken's default lifetime)", async () => {
    now = FIXED_NOW;
    try {
      for (const expiresIn of [1, 43_200]) {
        const token = await mintToken({ signingDate: SIGNED_AT, expiresIn });
        expect(new URLSearchParams(tokenUrl(token).split("?")[1]).get("X-Amz-Expires")).toBe(
          String(expiresIn),
        );
        const res = await call(`Bearer ${token}`);
        expect(res.status, `X-Amz-Expires=${expiresIn}`).toBe(200);
      }
    } finally {
      now = FIXED_NOW + 1000;
    }
  });

  it("accepts the lower-case scheme and a token valid until its last second", async () => {
    const token = await mintToken({ signingDate: SIGNED_AT, expiresIn: 60 });
    now = FIXED_NOW + 60_000;
    try {
      expect((await call(`bearer ${token}`)).status).toBe(200);
    } finally {
      now = FIXED_NOW + 1000;
    }
  });
});

describe("each refusal reason", () => {
  it("MISSING_AUTHORIZATION: no Authorization header", async () => {
    await expectRefusal(undefined, "MISSING_AUTHORIZATION");
  });

  it("NOT_BEARER: another scheme", async () => {
    await expectRefusal(`Basic ${await good()}`, "NOT_BEARER");
    await expectRefusal("Bearer", "NOT_BEARER");
  });

  it("BAD_TOKEN_PREFIX: a token without sagemaker-api-key-", async () => {
    const token = await good();
    await expectRefusal(
      `Bearer ${token.replace("sagemaker-api-key-", "bedrock-api-key-")}`,
      "BAD_TOKEN_PREFIX",
    );
  });

  it("BAD_BASE64: not base64 after the prefix", async () => {
    await expectRefusal("Bearer sagemaker-api-key-%%%not*base64", "BAD_BASE64");
    await expectRefusal("Bearer sagemaker-api-key-abc", "BAD_BASE64");
  });

  it("MALFORMED_TOKEN: base64 of something that is not a presigned URL", async () => {
    await expectRefusal(
      `Bearer sagemaker-api-key-${Buffer.from("sagemaker.amazonaws.com/x").toString("base64")}`,
      "MALFORMED_TOKEN",
    );
    const token = await good();
    await expectRefusal(
      `Bearer ${mutateToken(token, (u) => u.replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Bx-amz-date"))}`,
      "MALFORMED_TOKEN",
    );
    await expectRefusal(`Bearer ${mutateToken(token, (u) => `${u}&Version=1`)}`, "MALFORMED_TOKEN");
  });

  it("WRONG_HOST: signed for another host", async () => {
    const token = mutateToken(await good(), (u) =>
      u.replace("sagemaker.amazonaws.com", "sagemaker.us-west-2.amazonaws.com"),
    );
    await expectRefusal(`Bearer ${token}`, "WRONG_HOST");
  });

  it("WRONG_ACTION: an Action other than CallWithBearerToken", async () => {
    const token = mutateToken(await good(), (u) =>
      u.replace("Action=CallWithBearerToken", "Action=InvokeEndpoint"),
    );
    await expectRefusal(`Bearer ${token}`, "WRONG_ACTION");
  });

  it("UNSUPPORTED_VERSION: Version=1 missing", async () => {
    const token = mutateToken(await good(), (u) => u.replace("&Version=1", ""));
    await expectRefusal(`Bearer ${token}`, "UNSUPPORTED_VERSION");
  });

  it("UNSUPPORTED_ALGORITHM: another algorithm", async () => {
    const token = mutateToken(await good(), (u) =>
      u.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"),
    );
    await expectRefusal(`Bearer ${token}`, "UNSUPPORTED_ALGORITHM");
  });

  it("WRONG_SCOPE_SERVICE: scoped to another service", async () => {
    const token = mutateToken(await good(), (u) => u.replace("%2Fsagemaker%2F", "%2Fbedrock%2F"));
    await expectRefusal(`Bearer ${token}`, "WRONG_SCOPE_SERVICE");
  });

  it("WRONG_SCOPE_REGION: a correctly signed token for another region", async () => {
    await expectRefusal(
      `Bearer ${await mintToken({ region: "eu-west-1", signingDate: SIGNED_AT })}`,
      "WRONG_SCOPE_REGION",
    );
  });

  it("SCOPE_DATE_MISMATCH: the scope's date differs from X-Amz-Date", async () => {
    const token = mutateToken(await good(), (u) => u.replace("%2F20260115%2F", "%2F20260114%2F"));
    await expectRefusal(`Bearer ${token}`, "SCOPE_DATE_MISMATCH");
  });

  it("EXPIRES_OUT_OF_RANGE: X-Amz-Expires of 0 or over 43200", async () => {
    const token = await good();
    await expectRefusal(
      `Bearer ${mutateToken(token, (u) => u.replace("X-Amz-Expires=900", "X-Amz-Expires=0"))}`,
      "EXPIRES_OUT_OF_RANGE",
    );
    await expectRefusal(
      `Bearer ${mutateToken(token, (u) => u.replace("X-Amz-Expires=900", "X-Amz-Expires=43201"))}`,
      "EXPIRES_OUT_OF_RANGE",
    );
  });

  it("TOKEN_EXPIRED: one millisecond after its lifetime", async () => {
    const token = await mintToken({ signingDate: SIGNED_AT, expiresIn: 60 });
    now = FIXED_NOW + 60_001;
    try {
      await expectRefusal(`Bearer ${token}`, "TOKEN_EXPIRED");
    } finally {
      now = FIXED_NOW + 1000;
    }
  });

  it("TOKEN_EXPIRED: also for a token that verified (and was cached) before it expired", async () => {
    const token = await mintToken({ signingDate: SIGNED_AT, expiresIn: 120 });
    expect((await call(`Bearer ${token}`)).status).toBe(200);
    now = FIXED_NOW + 121_000;
    try {
      await expectRefusal(`Bearer ${token}`, "TOKEN_EXPIRED");
    } finally {
      now = FIXED_NOW + 1000;
    }
  });

  it("TOKEN_FROM_FUTURE: dated more than 5 minutes ahead (but 5 minutes is tolerated)", async () => {
    const ahead = await mintToken({ signingDate: new Date(now + 5 * 60_000 + 1000) });
    await expectRefusal(`Bearer ${ahead}`, "TOKEN_FROM_FUTURE");
    const skewed = await mintToken({ signingDate: new Date(now + 5 * 60_000 - 1000) });
    expect((await call(`Bearer ${skewed}`)).status).toBe(200);
  });

  it("UNKNOWN_ACCESS_KEY: signed with a key the endpoint does not know", async () => {
    const token = await mintToken({
      signingDate: SIGNED_AT,
      credentials: { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "whatever" },
    });
    await expectRefusal(`Bearer ${token}`, "UNKNOWN_ACCESS_KEY");
  });

  it("SESSION_TOKEN_MISMATCH: a session token where none is expected, or a wrong or missing one", async () => {
    const withSession = await mintToken({
      signingDate: SIGNED_AT,
      credentials: { ...TEST_CREDENTIALS, sessionToken: "session-a" },
    });
    await expectRefusal(`Bearer ${withSession}`, "SESSION_TOKEN_MISMATCH");

    const temp = await startTestEndpoint({
      clock: () => now,
      credentials: [{ ...TEST_CREDENTIALS, sessionToken: "session-b" }],
    });
    try {
      for (const token of [withSession, await good()]) {
        const res = await postChat(temp.url, token);
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ error: { code: "SESSION_TOKEN_MISMATCH" } });
      }
    } finally {
      await temp.close();
    }
  });

  it("SIGNATURE_MISMATCH: signed with the wrong secret, or any signed part altered", async () => {
    const wrongSecret = await mintToken({
      signingDate: SIGNED_AT,
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: "not-the-secret" },
    });
    await expectRefusal(`Bearer ${wrongSecret}`, "SIGNATURE_MISMATCH");
    const token = await good();
    const longer = mutateToken(token, (u) => u.replace("X-Amz-Expires=900", "X-Amz-Expires=901"));
    await expectRefusal(`Bearer ${longer}`, "SIGNATURE_MISMATCH");
    const flipped = mutateToken(token, (u) =>
      u.replace(
        /X-Amz-Signature=([0-9a-f])/,
        (_m, c: string) => `X-Amz-Signature=${c === "0" ? "1" : "0"}`,
      ),
    );
    await expectRefusal(`Bearer ${flipped}`, "SIGNATURE_MISMATCH");
  });

  it("ACCESS_DENIED (403): a verified key outside its allowedEndpoints", async () => {
    const scoped = await startTestEndpoint({
      clock: () => now,
      credentials: [{ ...TEST_CREDENTIALS, allowedEndpoints: ["ep2"] }],
    });
    try {
      const token = await good();
      const denied = await postChat(scoped.url, token);
      expect(denied.status).toBe(403);
      expect(denied.json).toMatchObject({
        error: { code: "ACCESS_DENIED", type: "AccessDeniedException" },
      });
      const allowed = await postChat(scoped.url, token, {
        path: "/endpoints/ep2/inference-components/coder/openai/v1/chat/completions",
      });
      expect(allowed.status).toBe(200);
    } finally {
      await scoped.close();
    }
  });
});
