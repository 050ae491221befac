import { json, noContent, Problems, ReadProblems, ref } from '../../../../platform/http/schemas.js';
import { NotFoundError } from '../../../../shared/domain/domain-error.js';
import type { OAuthClient } from '../clients/client-registry.js';
import { route } from '../oidc-api.js';
import {
  ClientIdParams,
  CreateClientBody,
  CreatedClientSchema,
  OAuthClientListSchema,
  OAuthClientSchema,
} from './clients.schemas.js';

/** The fields a client shows: a whitelist, so neither the secret nor its digest can reach an answer. */
export function toClientResponse(client: OAuthClient) {
  return {
    clientId: client.clientId,
    name: client.name,
    redirectUris: [...client.redirectUris],
    postLogoutRedirectUris: [...client.postLogoutRedirectUris],
    grantTypes: [...client.grantTypes],
    scopes: [...client.scopes],
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
    public: client.secretDigest === null,
    firstParty: client.firstParty,
    createdAt: client.createdAt.toISOString(),
  };
}

const location = (clientId: string) => `/api/v1/oauth/clients/${encodeURIComponent(clientId)}`;

export const createClientRoute = route({
  method: 'POST',
  url: '/api/v1/oauth/clients',
  schema: {
    summary: 'Register an OAuth client (admin); a confidential one’s secret is in this answer only',
    body: CreateClientBody,
    response: { 201: json('The new client', ref(CreatedClientSchema), 'Location'), ...ReadProblems },
  },
  handler: (api) => async (request, reply) => {
    await api.platform.access.authorize(request, 'admin');
    const { client, clientSecret } = await api.clients.create(request.body);
    return reply
      .code(201)
      .header('location', location(client.clientId))
      .send({ ...toClientResponse(client), ...(clientSecret !== undefined && { clientSecret }) });
  },
});

export const listClientsRoute = route({
  method: 'GET',
  url: '/api/v1/oauth/clients',
  schema: {
    summary: 'The registered OAuth clients, oldest first (admin)',
    response: { 200: json('Every client, without secrets', ref(OAuthClientListSchema)), ...ReadProblems },
  },
  handler: (api) => async (request) => {
    await api.platform.access.authorize(request, 'admin');
    return { items: (await api.clients.list()).map(toClientResponse) };
  },
});

export const getClientRoute = route({
  method: 'GET',
  url: '/api/v1/oauth/clients/:clientId',
  schema: {
    summary: 'Read an OAuth client (admin)',
    params: ClientIdParams,
    response: {
      200: json('The client, without its secret', ref(OAuthClientSchema)),
      ...ReadProblems,
      404: Problems.notFound,
    },
  },
  handler: (api) => async (request) => {
    await api.platform.access.authorize(request, 'admin');
    const client = await api.clients.find(request.params.clientId);
    if (!client) throw new NotFoundError('OAuth client', request.params.clientId);
    return toClientResponse(client);
  },
});

export const deleteClientRoute = route({
  method: 'DELETE',
  url: '/api/v1/oauth/clients/:clientId',
  schema: {
    summary: 'Delete an OAuth client and its grants and tokens (admin)',
    params: ClientIdParams,
    response: {
      204: noContent('Deleted: its tokens and codes are gone with it'),
      ...ReadProblems,
      404: Problems.notFound,
    },
  },
  handler: (api) => async (request, reply) => {
    await api.platform.access.authorize(request, 'admin');
    if (!(await api.clients.delete(request.params.clientId)))
      throw new NotFoundError('OAuth client', request.params.clientId);
    return reply.code(204).send(null);
  },
});
