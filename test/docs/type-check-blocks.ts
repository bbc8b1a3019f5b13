/**
 * Type-checks documentation code blocks with the TypeScript compiler API, the
 * way a user's file importing the package would be checked: each block is its
 * own module next to its Markdown file (never written to disk), compiled with
 * the repository's compiler options, and `sagemaker-openai-agents/...` resolves
 * through the package's own `exports` (a self-reference) to the built
 * declarations in `dist/`.
 */
import { basename, dirname, join, relative } from "node:path";
import ts from "typescript";
import type { CodeBlock } from "./markdown-blocks.js";

/** A compiler error, placed in the Markdown file the block came from. */
export interface BlockDiagnostic {
  /** `file:line` in the Markdown source, or the compiler's own place for a global error. */
  where: string;
  /** The compiler's message, flattened to one line per message in the chain. */
  message: string;
}

// `export {}` makes every block a module even without imports, so blocks never share
// top-level names and top-level `await` is allowed.
const MODULE_FOOTER = "\nexport {};\n";

// Declaration files (LangChain, openai, the AI SDK, Node's types) take most of a check's
// time; a second check in the same process reuses them instead of parsing them again.
const parsedFiles = new Map<string, ts.SourceFile>();
let previousProgram: ts.Program | undefined;

/** The repository's compiler options, made to check only (no output). */
function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, "tsconfig.json");
  const read = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (read.error !== undefined) {
    throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    incremental: false,
  };
}

/** The path a block is compiled under: beside its Markdown file, named after its line. */
function virtualPath(root: string, block: CodeBlock): string {
  const markdown = join(root, block.file);
  return join(dirname(markdown), `${basename(markdown, ".md")}.md-L${block.line}.ts`);
}

/** Every error the compiler reports for `blocks`; empty when all of them compile. */
export function typeCheckBlocks(root: string, blocks: readonly CodeBlock[]): BlockDiagnostic[] {
  const options = compilerOptions(root);
  const sources = new Map<string, { block: CodeBlock; text: string }>();
  for (const block of blocks) {
    sources.set(virtualPath(root, block), { block, text: `${block.code}${MODULE_FOOTER}` });
  }
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (path) => sources.has(path) || fileExists.call(host, path);
  host.readFile = (path) => sources.get(path)?.text ?? readFile.call(host, path);
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const source = sources.get(path);
    if (source !== undefined) return ts.createSourceFile(path, source.text, languageVersion, true);
    let file = parsedFiles.get(path);
    if (file === undefined) {
      file = getSourceFile.call(host, path, languageVersion, onError, shouldCreate);
      if (file !== undefined) parsedFiles.set(path, file);
    }
    return file;
  };
  const program = ts.createProgram({
    rootNames: [...sources.keys()],
    options,
    host,
    ...(previousProgram === undefined ? {} : { oldProgram: previousProgram }),
  });
  previousProgram = program;
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const file = diagnostic.file;
    if (file === undefined || diagnostic.start === undefined) return { where: "(global)", message };
    const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start);
    const source = sources.get(file.fileName);
    const where =
      source === undefined
        ? `${relative(root, file.fileName)}:${line + 1}:${character + 1}`
        : `${source.block.file}:${source.block.line + line}:${character + 1}`;
    return { where, message };
  });
}
