/**
 * `sagemaker-openai-agents`: call Amazon SageMaker AI endpoints and inference
 * components through their OpenAI-compatible path.
 *
 * @packageDocumentation
 */

export {
  calculatorTool,
  checkSyntax,
  createSyntaxCheckTool,
  type EvaluationResult,
  evaluateExpression,
  type SyntaxCheckOptions,
  type SyntaxCheckResult,
  type SyntaxIssue,
  type SyntaxLanguage,
  syntaxCheckTool,
} from "../tools/index.js";
export {
  ConfigurationError,
  REDACTED_TOKEN,
  redactTokens,
  SageMakerOpenAIError,
  ValidationError,
} from "./errors.js";
