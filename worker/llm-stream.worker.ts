/**
 * The worker entry: a thin Comlink shell. One worker serves every <llm-stream> on the page; streams
 * are keyed by the ids the page assigns.
 */
import { expose, type Remote } from 'comlink';
import { createStreamSession, setPageHidden, type StreamSession } from './stream-session.js';
import type { StreamOptions, StreamSink, StreamSource, WorkerApi } from './protocol.js';

const sessions = new Map<number, StreamSession>();

const api: WorkerApi = {
  ping() {
    return sessions.size;
  },
  open(id: number, source: StreamSource, options: StreamOptions, sink: StreamSink) {
    sessions.get(id)?.abort();
    // Comlink hands the proxied sink over as a Remote; the declared type is the page's view of it.
    const session = createStreamSession(source, options, sink as unknown as Remote<StreamSink>, () => {
      if (sessions.get(id) === session) sessions.delete(id);
    });
    sessions.set(id, session);
  },
  write(id, events) {
    sessions.get(id)?.write(events);
  },
  end(id, ending) {
    sessions.get(id)?.end(ending);
  },
  abort(id) {
    sessions.get(id)?.abort();
  },
  activeStreams() {
    return sessions.size;
  },
  setHidden(hidden) {
    setPageHidden(hidden);
  },
};

expose(api);
