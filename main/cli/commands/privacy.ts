/** `segmint` commands of the privacy domain. */
import type { CliCommand } from '../context';

export const privacyCommands: CliCommand[] = [];
