import { UserError, type UserErrorCode } from '../core/errors.js';

/**
 * An image that cannot be prepared, with the reason in the user's words ("it is too large to
 * open: …"). The message names no file, as the model path sends several images at once; the
 * describe tool names the file with `about`.
 */
export class ImageRefusal extends UserError {
  constructor(
    readonly reason: string,
    options: { code?: UserErrorCode; cause?: unknown } = {},
  ) {
    super(options.code ?? 'unreadable_file', `One of the images can't be read: ${reason}.`, { cause: options.cause });
    this.name = 'ImageRefusal';
  }

  about(fileName: string): UserError {
    return new UserError(this.code, `I couldn't read ${fileName}: ${this.reason}.`, { cause: this.cause });
  }
}
