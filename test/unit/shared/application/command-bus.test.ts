import { describe, expect, it } from 'vitest';
import {
  CommandBus,
  type Command,
  type CommandHandler,
  type CommandMiddleware,
  type CommandResult,
} from '../../../../src/shared/application/command-bus.js';
import { recording } from '../../../support/middleware.js';

interface Ping extends Command {
  readonly type: 'test.ping';
  readonly id: string;
}

const ping: Ping = { type: 'test.ping', id: 'r-1' };

const pingHandler = (seen: Command[] = []): CommandHandler<Ping> => ({
  async handle(command): Promise<CommandResult> {
    seen.push(command);
    return { resourceId: command.id, version: 1 };
  },
});

describe('CommandBus', () => {
  it('dispatches a command to the handler registered for its type', async () => {
    const seen: Command[] = [];
    const bus = new CommandBus().register('test.ping', pingHandler(seen));
    await expect(bus.execute(ping)).resolves.toEqual({ resourceId: 'r-1', version: 1 });
    expect(seen).toEqual([ping]);
  });

  it('refuses a second handler for the same type', () => {
    const bus = new CommandBus().register('test.ping', pingHandler());
    expect(() => bus.register('test.ping', pingHandler())).toThrow('a handler for test.ping is already registered');
  });

  it('rejects a command no handler is registered for', async () => {
    await expect(new CommandBus().execute({ type: 'test.unknown' })).rejects.toThrow(
      'no handler is registered for test.unknown',
    );
  });

  it('runs middleware around the handler, the first listed outermost', async () => {
    const trail: string[] = [];
    const bus = new CommandBus([recording('outer', trail), recording('inner', trail)]).register(
      'test.ping',
      pingHandler(),
    );
    await bus.execute(ping);
    expect(trail).toEqual(['outer:before', 'inner:before', 'inner:after', 'outer:after']);
  });

  it('lets middleware answer without calling the handler', async () => {
    const seen: Command[] = [];
    const shortCircuit: CommandMiddleware = async () => ({ resourceId: 'cached', version: 7 });
    const bus = new CommandBus([shortCircuit]).register('test.ping', pingHandler(seen));
    await expect(bus.execute(ping)).resolves.toEqual({ resourceId: 'cached', version: 7 });
    expect(seen).toEqual([]);
  });
});
