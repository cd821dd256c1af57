/**
 * Errors that cross the contract. Every user-facing failure carries a stable code and a message
 * in both UI languages, so the renderer and the CLI can show it in the user's language without
 * a second lookup table. Anything else that escapes a handler is reported as 'internal'.
 */
export interface ErrorInfo {
  code: string;
  en: string;
  zh: string;
  details?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly zh: string;
  readonly details?: unknown;
  constructor(code: string, en: string, zh: string, details?: unknown) {
    super(en);
    this.name = 'AppError';
    this.code = code;
    this.zh = zh;
    this.details = details;
  }
  toInfo(): ErrorInfo {
    return { code: this.code, en: this.message, zh: this.zh, details: this.details };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof Error && (e as AppError).name === 'AppError' && typeof (e as AppError).code === 'string';
}

/**
 * The one cancellation error of every layer: algorithms throw it when their shouldCancel says so,
 * job contexts and queries throw it, and the worker, the job runner and the CLI report it as
 * 'cancelled', never as a failure. It is an AppError with code 'cancelled' so that it keeps its
 * meaning when it crosses a thread or the RPC boundary as plain data.
 */
export class CancelledError extends AppError {
  constructor(en = 'The task was cancelled.', zh = '任务已取消。') {
    super('cancelled', en, zh);
  }
}

/** True for a CancelledError, also one that crossed a thread and lost its class (code 'cancelled'). */
export function isCancelled(e: unknown): boolean {
  return (isAppError(e) && e.code === 'cancelled') || (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'cancelled');
}

export function messageFor(info: ErrorInfo, lang: string): string {
  return lang.startsWith('zh') ? info.zh : info.en;
}

/** A schema failure as one line: `path: message; …` ("(args)" for the arguments as a whole). */
export function describeZod(e: import('zod').ZodError): string {
  return e.issues.map((i) => `${i.path.length ? i.path.join('.') : '(args)'}: ${i.message}`).join('; ');
}
