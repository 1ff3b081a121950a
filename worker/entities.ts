/**
 * The CDN build's file of HTML named character references (dist/llm-stream.entities.js, ~23 KB gzip),
 * loaded by the worker the first time a URL holds a name its short table does not know.
 */
import { namedReference } from './named-reference.js';

(self as unknown as { llmStreamEntities?: typeof namedReference }).llmStreamEntities = namedReference;
