/** `segmint` commands of the customers domain. */
import type { CliCommand } from '../context';

export const customersCommands: CliCommand[] = [];
