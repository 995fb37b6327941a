import type { Engine, EngineContext, EngineRef, EngineSession } from '@somkit/plugin-api';
import { resolveEngine, type EngineChoice } from './resolveEngine.js';
import { tfjsEngine } from './tfjsEngine.js';
import type { EngineProbe } from './measureEngines.js';

/**
 * Below this much work per epoch (samples · units · dims) `engine: 'auto'` keeps the priority
 * rule: a probe (two steps on up to 2,048 rows per candidate engine) would cost more than it saves.
 */
export const PROBE_MIN_WORK = 5e7;

/**
 * The engine a model trains with, and the session core opened on it. The session is opened on
 * first use, kept while the same engine setting is asked for in the same context, and closed by
 * {@link close} (the model's `dispose`) or when another engine is asked for. Core closes only
 * sessions it opened; an engine object the user passed in is never disposed.
 */
export class EngineSlot {
  private open: { ref: EngineRef; key: string; engine: Engine; session: EngineSession; choice: EngineChoice; measured: boolean } | undefined;

  constructor(private readonly extra: readonly unknown[]) {}

  /** The last choice made (after the first training call or engine search). */
  get choice(): EngineChoice | undefined {
    return this.open?.choice;
  }

  /**
   * The session of the engine `ref` resolves to in `ctx`, opening it (and closing another) as needed.
   * With `'auto'` and a `probe` of at least {@link PROBE_MIN_WORK}, the candidates are measured
   * (`measureEngines`, loaded on first use); a choice made by priority is then measured once.
   */
  async session(ref: EngineRef, ctx: EngineContext, probe?: EngineProbe): Promise<{ session: EngineSession; choice: EngineChoice }> {
    const key = `${typeof ref === 'object' ? '' : JSON.stringify(ref)}|${ctx.backend}|${ctx.distance.name}|${ctx.units}|${ctx.dims}`;
    const measure = ref === 'auto' && probe !== undefined && probe.x.length * ctx.units >= PROBE_MIN_WORK;
    const cur = this.open;
    if (cur !== undefined && cur.ref === ref && cur.key === key && (cur.measured || !measure)) return cur;
    let choice = resolveEngine(ref, ctx, this.extra);
    if (measure) choice = await (await import('./measureEngines.js')).measureEngines(ctx, this.extra, probe, choice, tfjsEngine());
    await this.close();
    const session = await choice.engine.open(ctx);
    this.open = { ref, key, engine: choice.engine, session, choice, measured: measure };
    return { session, choice };
  }

  async close(): Promise<void> {
    const cur = this.open;
    this.open = undefined;
    await cur?.session.close();
  }
}
