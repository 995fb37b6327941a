import { asymptoticDecay } from './asymptoticDecay.js';
import { bubble } from './bubble.js';
import { chebyshev } from './chebyshev.js';
import { constant } from './constant.js';
import { cosine } from './cosine.js';
import { euclidean } from './euclidean.js';
import { experimentalLr } from './experimentalLr.js';
import { experimentalSigma } from './experimentalSigma.js';
import { exponentialDecay } from './exponentialDecay.js';
import { gaussian } from './gaussian.js';
import { lrInverseDecayToZero } from './lrInverseDecayToZero.js';
import { lrLinearDecayToZero } from './lrLinearDecayToZero.js';
import { manhattan } from './manhattan.js';
import { mexicanHat } from './mexicanHat.js';
import { rhomb } from './rhomb.js';
import { minkowski } from './minkowski.js';
import { sigInverseDecayToOne } from './sigInverseDecayToOne.js';
import { sigLinearDecayToFloor } from './sigLinearDecayToFloor.js';
import { sigLinearDecayToOne } from './sigLinearDecayToOne.js';
import { sqeuclidean } from './sqeuclidean.js';
import { square } from './square.js';
import { triangle } from './triangle.js';
import { twoPhaseLr } from './twoPhaseLr.js';
import { twoPhaseSigma } from './twoPhaseSigma.js';

/**
 * The built-in distance factories by registry name, for resolving names without the global
 * registry.
 *
 * ```ts
 * const d = builtinDistances.cosine(); // or (builtinDistances as Record<string, …>)[name]
 * ```
 */
export const builtinDistances = Object.freeze({
  euclidean,
  sqeuclidean,
  cosine,
  manhattan,
  chebyshev,
  minkowski,
});

/**
 * The built-in neighbourhood kernel factories by registry name, for resolving names without the
 * global registry.
 *
 * ```ts
 * const h = builtinNeighborhoods.mexican_hat();
 * ```
 */
export const builtinNeighborhoods = Object.freeze({
  gaussian,
  mexican_hat: mexicanHat,
  bubble,
  triangle,
  rhomb,
  square,
});

/**
 * The built-in decay schedule factories by registry name, for resolving names without the global
 * registry.
 *
 * ```ts
 * const s = builtinSchedules.asymptotic_decay();
 * ```
 */
export const builtinSchedules = Object.freeze({
  asymptotic_decay: asymptoticDecay,
  lr_inverse_decay_to_zero: lrInverseDecayToZero,
  lr_linear_decay_to_zero: lrLinearDecayToZero,
  sig_inverse_decay_to_one: sigInverseDecayToOne,
  sig_linear_decay_to_one: sigLinearDecayToOne,
  sig_linear_decay_to_floor: sigLinearDecayToFloor,
  two_phase_lr: twoPhaseLr,
  two_phase_sigma: twoPhaseSigma,
  experimental_lr: experimentalLr,
  experimental_sigma: experimentalSigma,
  exponential: exponentialDecay,
  constant,
});
