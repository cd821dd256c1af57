/**
 * `segmint … --json | head -1`: the reader closes the pipe early, and Node then reports EPIPE on
 * the next write as an unhandled 'error' event with a stack trace. A closed stdout is the
 * reader's choice, not a failure: stop quietly (nothing more can be delivered anyway).
 */
export function exitQuietlyOnClosedPipe(): void {
  const onError = (stream: NodeJS.WriteStream) => (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') {
      if (stream === process.stdout) process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      return; // stderr gone: keep going silently
    }
    throw e;
  };
  process.stdout.on('error', onError(process.stdout));
  process.stderr.on('error', onError(process.stderr));
}
