/**
 * `sagemaker-openai-agents`: call Amazon SageMaker AI endpoints and inference
 * components through their OpenAI-compatible path.
 *
 * @packageDocumentation
 */

export {
  Agent,
  type AgentEvent,
  type AgentOptions,
  type AgentResult,
  type AgentRunOptions,
  type AgentStopReason,
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
  isAgentEvent,
  isCoderReviewerEvent,
  type PromptLanguage,
  parseVerdictText,
  type Review,
  type Verdict,
  verdictSchema,
} from "../agents/index.js";
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
  assertRegion,
  assertResourceName,
  assertSafeBaseURL,
  isLoopbackHost,
  isValidRegion,
  isValidResourceName,
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
  type SageMakerOpenAIClientOptions,
} from "./client/index.js";
export {
  type CleanupOptions,
  type CleanupResult,
  cleanupDeployment,
  DeploymentError,
  type DeploymentPlan,
  DeploymentPlanError,
  type DeploymentRecord,
  type DeployOptions,
  type DeployResult,
  deployEndpoint,
  planDeployment,
} from "./deploy/index.js";
export {
  ConfigurationError,
  REDACTED_TOKEN,
  redactTokens,
  SageMakerOpenAIError,
  ValidationError,
} from "./errors.js";
export {
  type AccessLogEntry,
  type ChatBackend,
  defaultLocalEndpointConfig,
  type FaultSpec,
  type LocalEndpoint,
  type LocalEndpointConfig,
  LocalEndpointConfigError,
  LocalEndpointEnvironmentError,
  loadLocalEndpointConfig,
  startLocalEndpoint,
} from "./local/index.js";
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
  type RetryEvent,
  type RetryOptions,
  type SageMakerChatModels,
  type SageMakerChatModelsOptions,
  type SageMakerComponentModelOptions,
  type SageMakerConnectionPool,
  SageMakerModelError,
  type SageMakerModelErrorCode,
  type SageMakerModelErrorDetails,
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
