/**
 * Tool call ids for one response. Consumers key tool calls by id, so every id must be non-empty and
 * unique within the response; Gemini and Ollama send none, and OpenAI-compatible servers have been
 * seen sending `""` or reusing one id for parallel calls. The provider's id is kept whenever it is
 * usable, so the caller can still answer the call with it.
 */
export interface ToolCallIds {
  /** An id for a new call: `preferred` when non-empty and unused, else a generated one. */
  claim(preferred?: string): string;
}

export function createToolCallIds(): ToolCallIds {
  const used = new Set<string>();
  let generated = 0;
  return {
    claim(preferred) {
      if (preferred !== undefined && preferred !== '' && !used.has(preferred)) {
        used.add(preferred);
        return preferred;
      }
      let id: string;
      do id = `call_${++generated}`;
      while (used.has(id));
      used.add(id);
      return id;
    },
  };
}

/** A tool's structured result or input as text: strings as they are, anything else as JSON. */
export function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value ?? null) ?? 'null';
}
