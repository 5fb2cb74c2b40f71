export { noiseProfile, noiseProfileSchema, type NoiseProfile, type NoiseProfileInput } from './noise-profile';
export { noisyReference, type NoisyReference } from './noisy-reference';
export { confusersOf } from './confusers';
export { heldOutNoiseProfile, NAMED_NOISE_PROFILES } from './held-out-profile';
