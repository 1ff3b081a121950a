/** CDN build: the worker's optional stages are not bundled in (see bundled-extras.ts). */
import type { WorkerExtras } from './worker-extras.js';

export const bundledExtras: WorkerExtras | null = null;
export const bundledNamedReference: ((name: string) => string | undefined) | null = null;
