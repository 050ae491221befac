import { resourceServersVerify } from './resource-servers.js';

resourceServersVerify('EdDSA');
