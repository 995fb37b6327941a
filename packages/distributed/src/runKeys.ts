/** Redis keys of one training run (all under `prefix`, default `'somkit'`). */
export interface RunKeys {
  /** JSON of {@link RunState}: config, epochs done, current codebook version, history. */
  state: string;
  /** The model file (`som.toJSON()`) written once per run: config and plugins for the workers. */
  model: string;
  /** Hash `{version, weights}`: the current codebook as raw little-endian float32 bytes [u, d]. */
  codebook: string;
}

/**
 * The Redis keys of a run. Documented so operators (and tests) can inspect a run:
 * `<prefix>:run:<runId>:state | :model | :codebook`.
 */
export function runKeys(runId: string, prefix = 'somkit'): RunKeys {
  const base = `${prefix}:run:${runId}`;
  return { state: `${base}:state`, model: `${base}:model`, codebook: `${base}:codebook` };
}
