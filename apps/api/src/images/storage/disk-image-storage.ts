import { DiskObjectStorage } from '@parley/common';
import { ImageStorage } from './image-storage';

/** Images on disk, under PARLEY_DATA_DIR/images: the shared DiskObjectStorage (libs/common). */
export class DiskImageStorage extends DiskObjectStorage implements ImageStorage {}
