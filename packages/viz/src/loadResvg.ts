import { SomError } from '@somkit/plugin-api';

/** The part of `@resvg/resvg-js` somkit uses. */
export interface ResvgModule {
  Resvg: new (svg: string, options?: Record<string, unknown>) => { render(): { asPng(): Uint8Array; width: number; height: number } };
}

/**
 * Loads the optional PNG rasteriser `@resvg/resvg-js` (a native addon) on first use.
 * @param specifier - module to import (for tests)
 * @throws SomError ERR_BACKEND_UNSUPPORTED with an install hint when it is missing
 */
export async function loadResvg(specifier = '@resvg/resvg-js'): Promise<ResvgModule> {
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as Partial<ResvgModule> & { default?: Partial<ResvgModule> };
    const Resvg = mod.Resvg ?? mod.default?.Resvg;
    if (typeof Resvg !== 'function') throw new Error(`${specifier} has no Resvg export`);
    return { Resvg };
  } catch (e) {
    throw new SomError(
      'ERR_BACKEND_UNSUPPORTED',
      `PNG output needs the optional dependency ${specifier}, which could not be loaded. Install it (npm i @resvg/resvg-js, or pnpm add @resvg/resvg-js), or use the SVG strings directly.`,
      { cause: e },
    );
  }
}
