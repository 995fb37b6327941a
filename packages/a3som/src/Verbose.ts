/** Keras' `verbose`: `'auto'` (1 on a terminal, else 2), 0 silent, 1 a progress bar, 2 one line per epoch. */
export type Verbose = 0 | 1 | 2 | 'auto';
