import type { PlatformServices } from './platform-services.js';

/**
 * Builds a context's graph once per process (per platform): the context's own routes and the
 * port adapters it lends another context then share one set of caches, key watchers and pools.
 */
export function perPlatform<T>(build: (platform: PlatformServices) => Promise<T>) {
  const built = new WeakMap<PlatformServices, Promise<T>>();
  return (platform: PlatformServices): Promise<T> => {
    let graph = built.get(platform);
    if (!graph) {
      graph = build(platform);
      built.set(platform, graph);
    }
    return graph;
  };
}
