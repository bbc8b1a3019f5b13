/**
 * Types that appear in the public API can be imported by name: each one a
 * signature or union of an entry point mentions (the agent events, the
 * connection options, the local endpoint's script replies, ...) is exported by
 * the entry point that owns it, and TypeDoc's `intentionallyNotExported`
 * lists only names no entry point exports.
 *
 * Reads the entry points' export lists with TypeScript's parser (the entry
 * files are re-export lists), so it needs no build.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { WaitingEvent } from "../../src/deploy/index.js";
// Type-only imports: `tsc -p tsconfig.json` fails if one stops being exported.
import type {
  AgentStartEvent,
  CodeEvent,
  FinalEvent,
  GraphAgent,
  ModelStartEvent,
  ReasoningEvent,
  ResourceNameKind,
  RoundAgentEvent,
  SafeBaseURLOptions,
  SageMakerConnectionOptions,
  SageMakerOpenAIErrorOptions,
  SageMakerTarget,
  SyntaxCheckArgs,
  SyntaxCheckTool,
  SyntaxFailureCode,
  TextVerdict,
  TokenEvent,
  ToolCallEvent,
  ToolResultEvent,
  VerdictEvent,
} from "../../src/index.js";
import { ReviewSchema, SYNTAX_LANGUAGES, syntaxCheckSchema } from "../../src/index.js";
import type {
  BuiltInBackendConfig,
  JsonReply,
  RuleCondition,
  TextReply,
  ToolReply,
} from "../../src/local/index.js";
import { demoBackendConfigSchema, proxyBackendConfigSchema } from "../../src/local/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, string | { types: string }>;
};
const typedoc = JSON.parse(readFileSync(join(root, "typedoc.json"), "utf8")) as {
  intentionallyNotExported?: string[];
};

/** The source file of each subpath in `exports` (`./dist/src/x/index.d.ts` -> `src/x/index.ts`). */
function entrySources(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === "string") continue;
    entries.set(subpath, target.types.replace(/^\.\/dist\//, "").replace(/\.d\.ts$/, ".ts"));
  }
  return entries;
}

/** The names an entry file exports (re-export lists and exported declarations). */
function exportedNames(file: string): Set<string> {
  const text = readFileSync(join(root, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause)) {
        for (const element of clause.elements) names.add(element.name.text);
      }
      continue;
    }
    const exported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (!exported) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
      }
    } else if (
      "name" in statement &&
      statement.name &&
      ts.isIdentifier(statement.name as ts.Node)
    ) {
      names.add((statement.name as ts.Identifier).text);
    }
  }
  return names;
}

/** Which entry point must export each name that public signatures mention. */
const OWNERS: Record<string, string[]> = {
  ".": [
    "AgentStartEvent",
    "CodeEvent",
    "FinalEvent",
    "GraphAgent",
    "ModelStartEvent",
    "ReasoningEvent",
    "ResourceNameKind",
    "ReviewSchema",
    "RoundAgentEvent",
    "SafeBaseURLOptions",
    "SageMakerConnectionOptions",
    "SageMakerOpenAIErrorOptions",
    "SageMakerTarget",
    "SYNTAX_LANGUAGES",
    "SyntaxCheckArgs",
    "SyntaxCheckTool",
    "SyntaxFailureCode",
    "syntaxCheckSchema",
    "TextVerdict",
    "TokenEvent",
    "ToolCallEvent",
    "ToolResultEvent",
    "VerdictEvent",
  ],
  "./local": [
    "BuiltInBackendConfig",
    "demoBackendConfigSchema",
    "JsonReply",
    "proxyBackendConfigSchema",
    "RuleCondition",
    "TextReply",
    "ToolReply",
  ],
  "./deploy": ["WaitingEvent"],
};

describe("public types are importable by name", () => {
  const entries = entrySources();

  for (const [subpath, names] of Object.entries(OWNERS)) {
    it(`${subpath} exports the types its signatures mention`, () => {
      const file = entries.get(subpath);
      expect(file, `${subpath} is in package.json exports`).toBeDefined();
      const exported = exportedNames(file as string);
      expect(names.filter((name) => !exported.has(name))).toEqual([]);
    });
  }

  it("typedoc.json's intentionallyNotExported names nothing an entry point exports", () => {
    const exported = new Set([...entries.values()].flatMap((file) => [...exportedNames(file)]));
    const stale = (typedoc.intentionallyNotExported ?? []).filter((name) => exported.has(name));
    expect(stale).toEqual([]);
  });

  it("the exported values are the ones the types are built from", () => {
    expect(SYNTAX_LANGUAGES).toEqual(
      expect.arrayContaining(["python", "typescript", "javascript"]),
    );
    expect(syntaxCheckSchema.safeParse({ language: "python", code: "x = 1" }).success).toBe(true);
    expect(syntaxCheckSchema.safeParse({ language: "cobol", code: "" }).success).toBe(false);
    expect(
      ReviewSchema.safeParse({ round: 1, approved: true, comments: [], source: "structured" })
        .success,
    ).toBe(true);
    expect(demoBackendConfigSchema.safeParse({ type: "demo" }).success).toBe(true);
    expect(proxyBackendConfigSchema.safeParse({ type: "demo" }).success).toBe(false);
  });

  it("the type-only names compile as annotations", () => {
    // Each name used once, so an unexported one is a compile error in this file.
    type Used = [
      AgentStartEvent,
      CodeEvent,
      FinalEvent,
      GraphAgent,
      ModelStartEvent,
      ReasoningEvent,
      ResourceNameKind,
      RoundAgentEvent,
      SafeBaseURLOptions,
      SageMakerConnectionOptions,
      SageMakerOpenAIErrorOptions,
      SageMakerTarget,
      SyntaxCheckArgs,
      SyntaxCheckTool,
      SyntaxFailureCode,
      TextVerdict,
      TokenEvent,
      ToolCallEvent,
      ToolResultEvent,
      VerdictEvent,
      BuiltInBackendConfig,
      JsonReply,
      RuleCondition,
      TextReply,
      ToolReply,
      WaitingEvent,
    ];
    const reply: TextReply = { text: "hi" };
    const count: Used["length"] = 26;
    expect([reply.text, count]).toEqual(["hi", 26]);
  });
});
