/**
 * `sagemaker-openai-agents/strands`: Strands Agents models for SageMaker AI
 * endpoints and inference components. Needs the optional peer dependency
 * `@strands-agents/sdk` (^1.19.0); importing this subpath without it fails with
 * a `ConfigurationError` (`MISSING_PEER`) naming the package to install.
 *
 * @module sagemaker-openai-agents/strands
 */
export {
  type SageMakerStrandsClientOptions,
  type SageMakerStrandsModelOptions,
  STRANDS_PEER_RANGE,
  sagemakerStrandsModel,
} from "./model.js";
