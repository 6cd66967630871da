// A worker that starts writing a run (a staging folder, as runJob does) and then keeps working until killed.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
process.on('message', (m) => {
  if (m.type !== 'start') return;
  const staging = join(m.baseDir, m.job.output, '.run-1.staging-abc123');
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'model.unlearned.onnx'), 'partial');
  process.send({ type: 'progress', jobId: m.jobId, fraction: 0.3, message: 'writing' });
  setInterval(() => undefined, 1000);
});
