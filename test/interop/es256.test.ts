import { resourceServersVerify } from './resource-servers.js';

resourceServersVerify('ES256');
