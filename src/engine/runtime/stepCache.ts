/** Training-step graphs are specialised to one batch size: keep one per size (full batches and the tail). */
import type { Model } from '../graph/ir';
import { TrainStep, type LossTerm } from './trainStep';

export interface StepCacheOptions {
  model: Model;
  loss: LossTerm[];
  params: string[];
  trainMode: boolean;
  threads?: number;
}

export class StepCache {
  private readonly steps = new Map<number, TrainStep>();

  constructor(private readonly opts: StepCacheOptions) {}

  async get(batchSize: number): Promise<TrainStep> {
    let s = this.steps.get(batchSize);
    if (!s) {
      const { model, loss, params, trainMode, threads } = this.opts;
      s = await TrainStep.create({ model, batchSize, loss: { terms: loss }, params, trainMode, threads });
      this.steps.set(batchSize, s);
    }
    return s;
  }

  release(): void {
    for (const s of this.steps.values()) s.release();
    this.steps.clear();
  }
}
