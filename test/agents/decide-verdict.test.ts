/**
 * `decideVerdict` against the local endpoint's demo reviewer: the structured-output
 * runnable is built once per reviewer model and reused, with the same request each time.
 */
import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { decideVerdict, VERDICT_FUNCTION_NAME } from "../../agents/index.js";
import { agentsEndpointForTest, chatModel, recordingBackend } from "./helpers.js";

const CODE = "```python\ndef celsius_to_fahrenheit(c):\n    return c * 9 / 5 + 32\n```";

describe("decideVerdict", () => {
  it("builds the structured-output request once per model and sends the same one each time", async () => {
    const reviewer = recordingBackend({ type: "demo", script: "reviewer" });
    const local = await agentsEndpointForTest({ reviewer });
    const model = chatModel(local, "reviewer");
    let builds = 0;
    const build = model.withStructuredOutput.bind(model);
    model.withStructuredOutput = ((...args: Parameters<typeof build>) => {
      builds += 1;
      return build(...args);
    }) as typeof model.withStructuredOutput;
    const other = chatModel(local, "reviewer");

    const ask = (on: typeof model) =>
      decideVerdict(on, "You review code.", [new HumanMessage(`Review:\n${CODE}`)], "", {});
    const verdicts = [await ask(model), await ask(model), await ask(other), await ask(model)];

    for (const verdict of verdicts) {
      expect(verdict).toMatchObject({ approved: false, source: "structured" });
      expect(verdict.comments[0]).toMatch(/ValueError/);
    }
    expect(builds).toBe(1);
    // Every verdict request is the same request, the first model's and the other's alike.
    expect(reviewer.bodies).toHaveLength(4);
    const first = reviewer.bodies[0];
    expect(first?.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: VERDICT_FUNCTION_NAME },
    });
    for (const body of reviewer.bodies) expect(body).toEqual(first);
  });
});
