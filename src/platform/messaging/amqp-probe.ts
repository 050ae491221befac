import amqp from 'amqplib';

/**
 * Whether the broker at `url` answers and accepts the credentials: one connection, closed at
 * once, within `timeoutMs`. A role asks before its first side effect (a migration), so a wrong
 * AMQP_URL costs one line, not a half-started service.
 */
export async function probeAmqp(url: string, timeoutMs = 10_000): Promise<void> {
  const connection = await amqp.connect(url, { timeout: timeoutMs });
  await connection.close();
}
