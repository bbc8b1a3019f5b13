/**
 * Errors of the model-output parsers. Parsing itself never throws; only misuse does.
 */
import { SageMakerOpenAIError, type SageMakerOpenAIErrorOptions } from "../../errors.js";

/**
 * A streaming parser was used after `finish()`. Code `PARSER_FINISHED`.
 * Create a new parser for each response.
 */
export class ParserFinishedError extends SageMakerOpenAIError {
  constructor(message: string, options: SageMakerOpenAIErrorOptions = {}) {
    super("PARSER_FINISHED", message, options);
  }
}
