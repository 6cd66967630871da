// A worker that dies on receiving its job, after a line on stderr: what a native crash looks like to the host.
process.on('message', () => {
  process.stderr.write('native kernel aborted\n');
  process.exit(3);
});
