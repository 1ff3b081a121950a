/**
 * Vite plugin for the demo server: mounts the reference relay at `POST /api/chat` when the
 * environment has a provider configured, and answers `GET /api/providers` with the configured
 * provider names (never keys; `[]` when none — the demo page then falls back to the mock LLM).
 * Node only (Vite config); never imported by the browser bundle.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { configuredProviders, createRelay } from './index.js';
import type { RelayOptions } from './types.js';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** The part of Vite's dev and preview servers the plugin uses. */
interface MiddlewareHost {
  middlewares: { use(fn: Middleware): unknown };
  config?: { logger?: { info(message: string): void } };
}

/**
 * Mounts the relay at `POST /api/chat` when at least one provider is configured in the environment
 * (OPENAI_API_KEY, ANTHROPIC_API_KEY, LLM_STREAM_BASE_URL or OLLAMA_HOST), and serves
 * `GET /api/providers` → `{ "providers": ["openai", …] }`.
 */
export function relayVitePlugin(options: Omit<RelayOptions, 'path'> = {}): Plugin {
  const mount = (server: MiddlewareHost): void => {
    const env = options.env ?? process.env;
    const providers = configuredProviders({ ...options, env });
    const relay = providers.length > 0 ? createRelay({ ...options, env, path: '/api/chat' }) : null;
    server.config?.logger?.info(
      relay
        ? `  llm-stream relay: POST /api/chat → ${providers.join(', ')}`
        : '  llm-stream relay: no provider key in the environment — /api/chat is off, the demo uses the mock LLM',
    );
    server.middlewares.use((req, res, next) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/api/providers') {
        const isGet = req.method === 'GET' || req.method === 'HEAD';
        const body = JSON.stringify(isGet ? { providers } : { error: { message: 'Use GET.', type: 'method_not_allowed' } });
        res.writeHead(isGet ? 200 : 405, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': String(Buffer.byteLength(body)),
          'Cache-Control': 'no-cache',
          ...(isGet ? {} : { Allow: 'GET' }),
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      if (relay) {
        void relay(req, res, next);
        return;
      }
      next();
    });
  };
  return {
    name: 'llm-stream-relay',
    configureServer(server) {
      mount(server);
    },
    configurePreviewServer(server) {
      mount(server);
    },
  };
}
