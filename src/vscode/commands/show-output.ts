import type { CommandFactory } from './index';

/** Shows the Migration Lens output channel (every step and error of the commands is logged there). */
export const showOutput: CommandFactory = (container) => () => container.output.show();
