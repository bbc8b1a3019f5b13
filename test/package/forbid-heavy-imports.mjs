// A module-resolution hook for the "./auth loads light" test: any attempt to load
// LangChain or the OpenAI SDK fails the import with a message naming the module.
import { register } from "node:module";

const hook = `
const FORBIDDEN = ["/node_modules/@langchain/", "/node_modules/openai/", "/node_modules/@aws-sdk/credential-provider-node/"];
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const hit = FORBIDDEN.find((part) => result.url.includes(part));
  if (hit) throw new Error("forbidden import from the auth entry: " + result.url);
  return result;
}
`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
