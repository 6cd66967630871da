/** Parameter specs that many methods share, so each default states its source once and reads the same everywhere. */
import type { ParamSpec } from '../types';

export const lr = (value: number, source: string): ParamSpec => ({ type: 'number', default: value, min: 0, max: 10, description: `Learning rate (default: ${source}).` });
export const epochs = (value: number, source: string): ParamSpec => ({ type: 'integer', default: value, min: 1, max: 1000, description: `Passes over the data (default: ${source}).` });
export const batchSize = (value: number, source: string): ParamSpec => ({ type: 'integer', default: value, min: 1, max: 65536, description: `Examples per optimiser step (default: ${source}).` });
export const momentum = (value: number, source: string): ParamSpec => ({ type: 'number', default: value, min: 0, max: 0.999, description: `SGD momentum (default: ${source}).` });
export const weightDecay = (value: number, source: string): ParamSpec => ({ type: 'number', default: value, min: 0, max: 1, description: `Weight decay (default: ${source}).` });
