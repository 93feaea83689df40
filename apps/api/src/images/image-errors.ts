import { DomainError } from '@parley/common';

/** 415: the bytes are not an image type Parley stores (libs/common has no 415 error of its own). */
export class UnsupportedImageError extends DomainError {
  readonly status = 415;
  constructor(message: string, code = 'UNSUPPORTED_IMAGE_TYPE') {
    super(message, code);
  }
}
