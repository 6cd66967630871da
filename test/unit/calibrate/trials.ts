/** A constructed trial result for the selection and merge tests: partly forgot, utility kept, unless `t` says otherwise. */
import type { Trial } from '../../../src/engine/contracts/calibration';

export function trial(id: string, t: Partial<Trial>): Trial {
  const method = id.split('/')[0];
  return { id, method, settings: { lr: 0.01 }, params: { lr: 0.01 }, forgetting: 'partly forgot', utility: 'kept', forgetAccuracy: 0.9, gap: 0.02, gapBands: 2, testAccuracy: 0.85, exampleGradients: 1000, seconds: 1, timeRatio: 0.1, ...t };
}
