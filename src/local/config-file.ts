/**
 * Reads a local endpoint config from a JSON or YAML file and checks it the
 * same way as a config object.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { type LocalEndpointConfig, validateLocalEndpointConfig } from "./config.js";
import { LocalEndpointConfigError } from "./errors.js";

/**
 * Loads and validates the config in `path` (`.json` as JSON, anything else as
 * YAML, which also reads JSON). Throws {@link LocalEndpointConfigError} with
 * `LOCAL_CONFIG_FILE` when the file cannot be read or parsed, and
 * `LOCAL_CONFIG_INVALID` when its content is not a valid config.
 */
export async function loadLocalEndpointConfig(path: string): Promise<LocalEndpointConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new LocalEndpointConfigError(
      "LOCAL_CONFIG_FILE",
      `Cannot read the local endpoint config file ${path} (${reason}).`,
      { cause: error },
    );
  }
  let data: unknown;
  try {
    data = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : "parse error";
    throw new LocalEndpointConfigError(
      "LOCAL_CONFIG_FILE",
      `The local endpoint config file ${path} is not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${detail}`,
      { cause: error },
    );
  }
  return validateLocalEndpointConfig(data, path);
}
