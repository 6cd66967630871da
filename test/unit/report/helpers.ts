/** Shared by the report tests: the sample report, the app bundle built from source, real thumbnails. */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { parseReportJson } from '../../../src/engine/report/parse';
import type { Report } from '../../../src/engine/contracts/report';

const repoRoot = join(__dirname, '..', '..', '..');
const sampleReportPath = join(__dirname, 'sample-report.json');

/** A fresh copy each call, so tests can modify it. */
export function loadSampleReport(): Report {
  return parseReportJson(readFileSync(sampleReportPath, 'utf8'), sampleReportPath);
}

/** The report app bundled from `webview/main.ts` the way scripts/build.mjs bundles it (browser, iife). */
export async function buildWebviewBundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(repoRoot, 'webview', 'main.ts')],
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const FASHION_MNIST = join(repoRoot, 'examples', 'fashion-mnist', 'data');

/** A Fashion-MNIST image from the shared fixture as a PNG data URI (28×28 greyscale, dark on light). */
export function fashionMnistThumbnail(split: 'train' | 't10k', index: number): string {
  const images = gunzipSync(readFileSync(join(FASHION_MNIST, `${split}-images-idx3-ubyte.gz`)));
  const size = 28 * 28;
  const pixels = images.subarray(16 + index * size, 16 + (index + 1) * size);
  const png = new PNG({ width: 28, height: 28 });
  pixels.forEach((value, i) => {
    const shade = 255 - value;
    png.data.set([shade, shade, shade, 255], i * 4);
  });
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

