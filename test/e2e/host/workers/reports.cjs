// A worker that follows the protocol: ready, progress, log, then a result, or an error when the job's model is 'bad.onnx'.
process.on('message', (m) => {
  if (m.type !== 'start') return;
  process.send({ type: 'progress', jobId: m.jobId, fraction: 0.5, message: 'halfway' });
  process.send({ type: 'progress', jobId: 'someone-else', fraction: 0.9, message: 'not mine' });
  process.send({ type: 'log', jobId: m.jobId, level: 'info', message: 'hello' });
  process.send({ bogus: true });
  const last =
    m.job.model === 'bad.onnx'
      ? { type: 'error', jobId: m.jobId, message: 'data.csv: line 3: not a number', file: 'data.csv' }
      : { type: 'result', jobId: m.jobId, runDir: '/runs/r1', reportPath: '/runs/r1/report.json' };
  process.send(last, () => process.exit(0));
});
process.send({ type: 'ready' });
