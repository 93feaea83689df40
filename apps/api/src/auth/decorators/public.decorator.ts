import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'parley:isPublic';
/** Opts a route out of the global auth guard (deny by default). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
