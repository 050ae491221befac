/** What a finished command reports: the resource it touched and that resource's new version. */
export interface CommandResult {
  readonly resourceId: string;
  /** `null` when the resource no longer exists (deleted). */
  readonly version: number | null;
}

export interface Command {
  readonly type: string;
}

export interface CommandHandler<C extends Command = Command> {
  handle(command: C): Promise<CommandResult>;
}

export type CommandMiddleware = (
  command: Command,
  next: (command: Command) => Promise<CommandResult>,
) => Promise<CommandResult>;

/**
 * Dispatches a command to its one handler. Cross-cutting concerns (metrics, logging, tracing) wrap
 * every handler once as middleware instead of being repeated in each handler.
 */
export class CommandBus {
  private readonly handlers = new Map<string, CommandHandler>();

  constructor(private readonly middleware: readonly CommandMiddleware[] = []) {}

  register<C extends Command>(type: C['type'], handler: CommandHandler<C>): this {
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.handlers.set(type, handler as unknown as CommandHandler);
    return this;
  }

  async execute(command: Command): Promise<CommandResult> {
    const handler = this.handlers.get(command.type);
    if (!handler) throw new Error(`no handler is registered for ${command.type}`);
    const run = this.middleware.reduceRight<(c: Command) => Promise<CommandResult>>(
      (next, mw) => (c) => mw(c, next),
      (c) => handler.handle(c),
    );
    return run(command);
  }
}
