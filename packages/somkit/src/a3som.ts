/** `somkit/a3som`: the A3SOM model (needs the `@tensorflow/tfjs-layers` peer, so it is opt-in). */
export * from '@somkit/a3som';
