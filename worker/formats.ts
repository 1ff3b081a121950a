/**
 * The CDN build's file of less common formats (dist/llm-stream.formats.js): OpenAI Responses and
 * completions, Gemini, Ollama, the AI SDK. The worker loads it with `importScripts` the first time a stream is in
 * one of them.
 */
import { MORE_FORMATS } from '../src/decoding/providers/more-formats.js';

(self as unknown as { llmStreamFormats?: typeof MORE_FORMATS }).llmStreamFormats = MORE_FORMATS;
