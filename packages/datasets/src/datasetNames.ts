/** Names accepted by {@link loadDataset}, in a stable order. */
export const datasetNames = Object.freeze(['iris', 'wine', 'digits'] as const);

/** Name of an embedded dataset. */
export type DatasetName = (typeof datasetNames)[number];
