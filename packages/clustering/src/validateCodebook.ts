import { SomError, type Codebook } from '@somkit/plugin-api';

function malformed(message: string): never {
  throw new SomError('ERR_SHAPE_MISMATCH', `Malformed codebook: ${message} Pass som.getCodebook() or a Codebook with weights [u, d], coords [u, 2] and u = rows·cols.`);
}

/**
 * Checks a plain {@link Codebook} once at the public boundary: `units = rows·cols`,
 * `weights.length = units·dims`, `coords.length = 2·units`, a known topology, finite weights.
 * @throws SomError ERR_SHAPE_MISMATCH (shape), ERR_NON_FINITE (NaN/±Infinity weights), ERR_INVALID_INPUT (not an object)
 */
export function validateCodebook(cb: Codebook): void {
  if (typeof cb !== 'object' || cb === null) {
    throw new SomError('ERR_INVALID_INPUT', `Expected a Codebook object (som.getCodebook()), got ${cb === null ? 'null' : typeof cb}.`);
  }
  const { rows, cols, units, dims, weights, coords, topology, pbc } = cb;
  for (const [name, v] of [['rows', rows], ['cols', cols], ['units', units], ['dims', dims]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) malformed(`${name} must be an integer ≥ 1, got ${String(v)}.`);
  }
  if (units !== rows * cols) malformed(`units (${units}) must equal rows·cols (${rows}·${cols} = ${rows * cols}).`);
  if (weights === null || typeof weights !== 'object' || typeof (weights as ArrayLike<number>).length !== 'number') malformed('weights must be a Float32Array [u, d].');
  if (weights.length !== units * dims) malformed(`weights has ${weights.length} values but [units, dims] = [${units}, ${dims}] needs ${units * dims}.`);
  if (coords === null || typeof coords !== 'object' || typeof (coords as ArrayLike<number>).length !== 'number') malformed('coords must be a Float32Array [u, 2].');
  if (coords.length !== 2 * units) malformed(`coords has ${coords.length} values but [units, 2] needs ${2 * units}.`);
  if (topology !== 'rectangular' && topology !== 'hexagonal') malformed(`topology must be 'rectangular' or 'hexagonal', got ${JSON.stringify(topology)}.`);
  if (typeof pbc !== 'boolean') malformed(`pbc must be true or false, got ${String(pbc)}.`);
  if (topology === 'hexagonal' && pbc && rows % 2 !== 0) malformed(`a hexagonal torus needs an even number of rows, got rows=${rows}.`);
  for (let k = 0; k < weights.length; k++) {
    const v = weights[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new SomError('ERR_NON_FINITE', `Expected finite codebook weights, got ${String(v)} at unit ${Math.floor(k / dims)}, feature ${k % dims}.`);
    }
  }
}
