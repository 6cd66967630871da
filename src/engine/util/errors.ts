/**
 * One error type for every problem caused by input: it names the file, the place in it and the cause,
 * so the CLI and the UI can show it without a stack trace.
 */
export class LetheError extends Error {
  constructor(
    /** The cause alone, without the file and the place: for a caller that restates the error from its side. */
    readonly reason: string,
    readonly file?: string,
    readonly where?: string,
  ) {
    super([file, where].filter(Boolean).join(': ') + (file || where ? ': ' : '') + reason);
    this.name = 'LetheError';
  }
}

export function isLetheError(e: unknown): e is LetheError {
  return e instanceof LetheError;
}
