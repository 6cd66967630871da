/** Optimiser parameters many methods share, so each default states its source once and reads the same everywhere. */
import { z } from 'zod';

export const lr = (value: number, source: string) => z.number().min(0).max(10).default(value).describe(`Learning rate (default: ${source}).`);
export const epochs = (value: number, source: string) => z.number().int().min(1).max(1000).default(value).describe(`Passes over the data (default: ${source}).`);
export const batchSize = (value: number, source: string) => z.number().int().min(1).max(65536).default(value).describe(`Examples per optimiser step (default: ${source}).`);
export const momentum = (value: number, source: string) => z.number().min(0).max(0.999).default(value).describe(`SGD momentum (default: ${source}).`);
export const weightDecay = (value: number, source: string) => z.number().min(0).max(1).default(value).describe(`Weight decay (default: ${source}).`);
export const optimizer = (value: 'sgd' | 'adam' | 'adamw', source: string) =>
  z.enum(['sgd', 'adam', 'adamw']).default(value).describe(`Optimiser: sgd (with momentum), adam (L2 weight decay) or adamw (decoupled) (default: ${source}).`);
