/** The one error type: a code, a message for people, and where it happened. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  element?: string;
}

export class GripError extends Error {
  readonly code: string;
  readonly where: ErrorLocation;
  constructor(code: string, message: string, where: ErrorLocation = {}) {
    super(message);
    this.name = 'GripError';
    this.code = code;
    this.where = where;
  }

  /** `file.xml:12 <Bsn>: BSN fails the 11-proef [BSN_INVALID]` */
  describe(): string {
    const parts: string[] = [];
    if (this.where.file) parts.push(this.where.line ? `${this.where.file}:${this.where.line}` : this.where.file);
    if (this.where.element) parts.push(`<${this.where.element}>`);
    const prefix = parts.length ? `${parts.join(' ')}: ` : '';
    return `${prefix}${this.message} [${this.code}]`;
  }
}

export function describeError(e: unknown): string {
  if (e instanceof GripError) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}
