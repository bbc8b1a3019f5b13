/**
 * LangGraph's own conformance suite for checkpoint savers
 * (`@langchain/langgraph-checkpoint-validation`: put, putWrites, getTuple,
 * list with every filter/before/limit combination, deleteThread, pending-send
 * migration, and the opt-in delta-channel history walk) run against
 * {@link SqliteCheckpointSaver} on real database files.
 *
 * Run in this process, not through the package's `validate-checkpointer` CLI:
 * in 1.1.1 (the latest release) the CLI's runner imports `findPackageRoot` and
 * `checkpointerTestInitializerSchema`, which its bundled `dist/` no longer
 * exports, so the CLI rejects every initializer before running a test.
 * The suite itself is written against Jest-style globals; they are provided here.
 */
import { deltaChannelHistoryTests, specTest } from "@langchain/langgraph-checkpoint-validation";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import initializer from "./sqlite-initializer.js";

Object.assign(globalThis, { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it });

specTest(initializer);
deltaChannelHistoryTests(initializer);
