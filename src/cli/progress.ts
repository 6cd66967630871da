/** A one-line progress bar on stderr for people; silent when stderr is not a terminal or output is JSON. */
export function progressBar(enabled: boolean): { update(fraction: number, message: string): void; done(): void } {
  const tty = enabled && process.stderr.isTTY;
  let last = '';
  return {
    update(fraction, message) {
      if (!tty) return;
      const width = 24;
      const filled = Math.round(fraction * width);
      const line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${message}`;
      const cols = process.stderr.columns ?? 100;
      const text = line.length > cols - 1 ? line.slice(0, cols - 2) + '…' : line;
      if (text !== last) process.stderr.write(`\r\x1b[2K${text}`);
      last = text;
    },
    done() {
      if (tty && last) process.stderr.write('\r\x1b[2K');
      last = '';
    },
  };
}
