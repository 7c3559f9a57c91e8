// The SCIM endpoints as a Nest module. Register it with the endpoints of createScim() and mount
// it under a path with RouterModule, in this project's standalone server (index.ts) or in your
// own Nest app on the Express platform, whose logger it then uses:
//
//   imports: [ScimModule.register(scim), RouterModule.register([{ path: '/scim/v2', module: ScimModule }])]

import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { ScimEndpoints } from '../scim/routes.js';
import { hookLogger } from './logger.js';
import { ScimController } from './scim.controller.js';
import { SCIM_ENDPOINTS, SCIM_LOGGER } from './tokens.js';

@Module({})
export class ScimModule {
  static register(scim: ScimEndpoints): DynamicModule {
    return {
      module: ScimModule,
      controllers: [ScimController],
      providers: [
        { provide: SCIM_ENDPOINTS, useValue: scim },
        // Nest's Logger writes to the app's logger, whatever that is.
        { provide: SCIM_LOGGER, useValue: hookLogger(new Logger('SCIM')) },
      ],
    };
  }
}
