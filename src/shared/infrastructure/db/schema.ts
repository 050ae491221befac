// Every table of the service, gathered for drizzle-kit (migrations) and typed queries.
export * from '../messaging/messaging.tables.js';
export * from '../../../contexts/users/infrastructure/persistence/users.table.js';
export * from '../../../contexts/users/infrastructure/projection/user-views.table.js';
export * from '../../../contexts/auth/infrastructure/persistence/auth.tables.js';
