/** `segmint` commands of the insights domain. */
import type { CliCommand } from '../context';

export const insightsCommands: CliCommand[] = [];
