// Integration tests drive the shipped bundles (dist/cli.js, dist/worker.js): build them once first.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
