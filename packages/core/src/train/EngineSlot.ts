import type { Engine, EngineContext, EngineRef, EngineSession } from '@somkit/plugin-api';
import { resolveEngine, type EngineChoice } from './resolveEngine.js';

/**
 * The engine a model trains with, and the session core opened on it. The session is opened on
 * first use, kept while the same engine setting is asked for in the same context, and closed by
 * {@link close} (the model's `dispose`) or when another engine is asked for. Core closes only
 * sessions it opened; an engine object the user passed in is never disposed.
 */
export class EngineSlot {
  private open: { ref: EngineRef; key: string; engine: Engine; session: EngineSession; choice: EngineChoice } | undefined;

  constructor(private readonly extra: readonly unknown[]) {}

  /** The last choice made (after the first training call or engine search). */
  get choice(): EngineChoice | undefined {
    return this.open?.choice;
  }

  /** The session of the engine `ref` resolves to in `ctx`, opening it (and closing another) as needed. */
  async session(ref: EngineRef, ctx: EngineContext): Promise<{ session: EngineSession; choice: EngineChoice }> {
    const key = `${typeof ref === 'object' ? '' : JSON.stringify(ref)}|${ctx.backend}|${ctx.distance.name}|${ctx.units}|${ctx.dims}`;
    const cur = this.open;
    if (cur !== undefined && cur.ref === ref && cur.key === key) return cur;
    const choice = resolveEngine(ref, ctx, this.extra);
    await this.close();
    const session = await choice.engine.open(ctx);
    this.open = { ref, key, engine: choice.engine, session, choice };
    return { session, choice };
  }

  async close(): Promise<void> {
    const cur = this.open;
    this.open = undefined;
    await cur?.session.close();
  }
}
