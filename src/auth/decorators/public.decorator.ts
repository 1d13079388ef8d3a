import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'latchkey:public';

/** The only way past the global guard: the route needs no credential. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
