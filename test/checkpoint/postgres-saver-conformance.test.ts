/**
 * LangGraph's own conformance suite for checkpoint savers
 * (`@langchain/langgraph-checkpoint-validation`: put, putWrites, getTuple,
 * list with every filter/before/limit combination, deleteThread, pending-send
 * migration, and the opt-in delta-channel history walk) run against the
 * PostgreSQL saver the package opens (`BatchedPostgresSaver`, each write one
 * statement) on a real server. Run in this process for the reason given in
 * `sqlite-saver-conformance.test.ts`; the suite's Jest-style globals are provided here.
 */
import { deltaChannelHistoryTests, specTest } from "@langchain/langgraph-checkpoint-validation";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { postgresForTests } from "../helpers/postgres.js";
import { postgresInitializer } from "./postgres-initializer.js";

Object.assign(globalThis, { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it });

const postgres = postgresForTests();

if (postgres === undefined) {
  it.skip("LangGraph's checkpoint conformance suite on PostgreSQL (no server)", () => {});
} else {
  const initializer = postgresInitializer(postgres.url);
  specTest(initializer);
  deltaChannelHistoryTests(initializer);
}
