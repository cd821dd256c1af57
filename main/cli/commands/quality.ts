/** `segmint` commands of the quality domain. */
import type { CliCommand } from '../context';

export const qualityCommands: CliCommand[] = [];
