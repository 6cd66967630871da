/**
 * The calibration file that belongs to a model: `<model stem>.calibration.json` beside it (the name
 * docs/calibration.md uses), made by `lethe calibrate` for this very model and dataset. Its best method is
 * the picker's recommendation, and a job started with it takes the calibrated settings. A file made for
 * other bytes is ignored, with the reason, rather than offered: the job would refuse it anyway.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CalibrationFile } from '../../engine/contracts/calibration';
import { datasetSha256, readCalibrationFile } from '../../engine/job/calibration';
import { sha256File } from '../../engine/report/provenance';
import type { Recommendation } from './methodChoices';

export interface ModelCalibration {
  file: string;
  recommendation?: Recommendation;
  /** Why the file next to the model is not used (made for other bytes, unreadable). */
  problem?: string;
}

export function calibrationPathFor(modelPath: string): string {
  return join(dirname(modelPath), `${basename(modelPath).replace(/\.(onnx|json)$/i, '')}.calibration.json`);
}

export async function findCalibration(modelPath: string, dataPath: string): Promise<ModelCalibration | undefined> {
  const file = calibrationPathFor(modelPath);
  if (!existsSync(file)) return undefined;
  let cal: CalibrationFile;
  try {
    cal = await readCalibrationFile(file);
  } catch (e) {
    return { file, problem: (e as Error).message };
  }
  if (cal.model.sha256 !== (await sha256File(modelPath))) return { file, problem: `made for another version of ${cal.model.file}` };
  if (cal.data.sha256 !== (await datasetSha256(dataPath))) return { file, problem: `made for another dataset (${cal.data.path})` };
  return { file, recommendation: calibratedRecommendation(cal) };
}

/** The best calibrated method, with what it reached on the proxy, in the picker's words. */
export function calibratedRecommendation(cal: CalibrationFile): Recommendation | undefined {
  const best = cal.calibrated.find((c) => c.method === cal.recommended);
  if (!best) return undefined;
  const utility = best.utility ? `, utility ${best.utility}` : '';
  return {
    method: best.method,
    reason: `best calibrated on a proxy forget set of ${cal.proxy.size} (${cal.proxy.kind}): ${best.forgetting}${utility}, forget accuracy ${best.forgetAccuracy.toFixed(3)} vs the proxy retrain's ${cal.reference.forgetAccuracy.toFixed(3)}, ${best.timeRatio.toFixed(2)}× the retrain's time`,
  };
}
