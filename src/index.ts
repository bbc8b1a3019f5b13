/**
 * `sagemaker-openai-agents`: call Amazon SageMaker AI endpoints and inference
 * components through their OpenAI-compatible path.
 *
 * The local endpoint (`sagemaker-openai-agents/local`), deployment
 * (`sagemaker-openai-agents/deploy`) and the Strands and AI SDK adapters
 * (`./strands`, `./ai-sdk`) have their own entry points, so this one stays
 * what agent code needs.
 *
 * @module sagemaker-openai-agents
 */

export {
  Agent,
  type AgentEvent,
  type AgentOptions,
  type AgentResult,
  type AgentRunOptions,
  type AgentStartEvent,
  type AgentStopReason,
  type CheckpointDurability,
  type CodeEvent,
  type CoderReviewerEvent,
  type CoderReviewerGraph,
  type CoderReviewerGraphOptions,
  type CoderReviewerStateType,
  type CoderReviewerStopReason,
  createCoderReviewerGraph,
  DEFAULT_MAX_ROUNDS,
  DEFAULT_MAX_STEPS,
  type ExtractedCode,
  extractCode,
  type FinalEvent,
  type GraphAgent,
  isAgentEvent,
  isCoderReviewerEvent,
  type ModelStartEvent,
  type OpenedCheckpointSaver,
  openCheckpointSaver,
  type PostgresCheckpointOptions,
  type PromptLanguage,
  parseVerdictText,
  type ReasoningEvent,
  type Review,
  ReviewSchema,
  type RoundAgentEvent,
  SqliteCheckpointSaver,
  type TextVerdict,
  type TokenEvent,
  type ToolCallEvent,
  type ToolResultEvent,
  type Verdict,
  type VerdictEvent,
  verdictSchema,
} from "../agents/index.js";
export {
  calculatorTool,
  checkSyntax,
  createSyntaxCheckTool,
  type EvaluationResult,
  evaluateExpression,
  SYNTAX_LANGUAGES,
  type SyntaxCheckArgs,
  type SyntaxCheckOptions,
  type SyntaxCheckResult,
  type SyntaxCheckTool,
  type SyntaxFailureCode,
  type SyntaxIssue,
  type SyntaxLanguage,
  syntaxCheckSchema,
  syntaxCheckTool,
} from "../tools/index.js";
export {
  assertRegion,
  assertResourceName,
  assertSafeBaseURL,
  isLoopbackHost,
  isValidRegion,
  isValidResourceName,
  type ResourceNameKind,
  type SafeBaseURLOptions,
  type SageMakerOpenAIBaseURLOptions,
  sagemakerOpenAIBaseURL,
  sagemakerOpenAIPath,
} from "./addressing/index.js";
export {
  type AwsCredentials,
  type AwsCredentialsProvider,
  CredentialsError,
  type CredentialsSource,
  createTokenProvider,
  type DecodedToken,
  decodeToken,
  type GenerateTokenOptions,
  generateToken,
  MalformedTokenError,
  type SageMakerTokenProvider,
  type TokenProviderOptions,
} from "./auth/index.js";
export {
  createSageMakerOpenAIClient,
  type SageMakerConnectionOptions,
  type SageMakerOpenAIClientOptions,
} from "./client/index.js";
export {
  ConfigurationError,
  REDACTED,
  REDACTED_TOKEN,
  redactTokens,
  redactTokensIn,
  SageMakerOpenAIError,
  type SageMakerOpenAIErrorOptions,
  ValidationError,
} from "./errors.js";
export {
  createHermesStreamParser,
  type HermesInvalidToolCall,
  type HermesParseOptions,
  type HermesParseResult,
  type HermesStreamFinish,
  type HermesStreamParser,
  type HermesStreamUpdate,
  type HermesToolCall,
  type HermesToolCallChunk,
  ParserFinishedError,
  parseHermesToolCalls,
} from "./model/hermes/index.js";
export {
  ChatSageMakerOpenAI,
  type ChatSageMakerOpenAICallOptions,
  type ChatSageMakerOpenAIFields,
  type ConnectionPoolOptions,
  createConnectionPool,
  createSageMakerChatModels,
  DEFAULT_MAX_RETRIES,
  RequestAbortedError,
  type RetryEvent,
  type RetryOptions,
  type SageMakerChatModels,
  type SageMakerChatModelsOptions,
  type SageMakerComponentModelOptions,
  type SageMakerConnectionPool,
  SageMakerModelError,
  type SageMakerModelErrorCode,
  type SageMakerModelErrorDetails,
  type SageMakerTarget,
  type ToolCallParserMode,
} from "./model/index.js";
export {
  createInlineReasoningStream,
  type InlineReasoningOptions,
  type InlineReasoningSplit,
  type InlineReasoningStream,
  readReasoningField,
  splitInlineReasoning,
} from "./model/reasoning/index.js";
export { readServerError, type ServerError } from "./model/server-error.js";
