import { resourceServersVerify } from './resource-servers.js';

resourceServersVerify('RS256');
