// @ts-check
// Vite plugin for the demo server: mounts the reference relay at /api/chat when the environment has a
// provider configured, and answers GET /api/providers with the configured provider names (never keys).
import { configuredProviders, createRelay } from './index.js';

/**
 * @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: (err?: unknown) => void) => void} Middleware
 */

/**
 * @param {Omit<import('./index.js').RelayOptions, 'path'>} [options]  passed to createRelay (env defaults to process.env)
 */
export function relayVitePlugin(options = {}) {
  /** @param {{ use(fn: Middleware): unknown }} middlewares @param {{ info(msg: string): void } | undefined} logger */
  const mount = (middlewares, logger) => {
    const env = options.env ?? process.env;
    const providers = configuredProviders({ ...options, env });
    const relay = providers.length > 0 ? createRelay({ ...options, env, path: '/api/chat' }) : null;
    logger?.info(
      relay
        ? `  llm-stream relay: POST /api/chat → ${providers.join(', ')}`
        : '  llm-stream relay: no provider key in the environment — /api/chat is off, the demo uses the mock LLM',
    );
    middlewares.use((req, res, next) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/api/providers') {
        const get = req.method === 'GET' || req.method === 'HEAD';
        const body = JSON.stringify(get ? { providers } : { error: { message: 'Use GET.', type: 'method_not_allowed' } });
        res.writeHead(get ? 200 : 405, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': String(Buffer.byteLength(body)),
          'Cache-Control': 'no-cache',
          ...(get ? {} : { Allow: 'GET' }),
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      if (relay) {
        relay(req, res, next);
        return;
      }
      next();
    });
  };
  return {
    name: 'llm-stream-relay',
    /** @param {{ middlewares: { use(fn: Middleware): unknown }, config?: { logger?: { info(msg: string): void } } }} server */
    configureServer(server) {
      mount(server.middlewares, server.config?.logger);
    },
    /** @param {{ middlewares: { use(fn: Middleware): unknown }, config?: { logger?: { info(msg: string): void } } }} server */
    configurePreviewServer(server) {
      mount(server.middlewares, server.config?.logger);
    },
  };
}
