// Types for src/relay/vite-plugin.js. Node only (Vite config); never imported by the browser bundle.
import type { Plugin } from 'vite';
import type { RelayOptions } from './index.js';

/**
 * Mounts the reference relay at `POST /api/chat` when at least one provider is configured in the
 * environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, LLM_STREAM_BASE_URL or OLLAMA_HOST), and serves
 * `GET /api/providers` → `{ "providers": ["openai", …] }` (names only; `[]` when none — the demo then
 * uses the mock LLM).
 */
export function relayVitePlugin(options?: Omit<RelayOptions, 'path'>): Plugin;
