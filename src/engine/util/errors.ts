/**
 * One error type for every problem caused by input: it names the file, the place in it and the cause,
 * so the CLI and the UI can show it without a stack trace.
 */
export class LetheError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly where?: string,
  ) {
    super([file, where].filter(Boolean).join(': ') + (file || where ? ': ' : '') + message);
    this.name = 'LetheError';
  }
}

export function isLetheError(e: unknown): e is LetheError {
  return e instanceof LetheError;
}
