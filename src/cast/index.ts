/**
 * asciicast v2 support, independent of the server: the writer sessions tap into, the reader
 * and the player that replays a cast into an engine Terminal.
 */
export { CastWriter, RecordingBudget, TRUNCATED_MARKER, TOTAL_TRUNCATED_MARKER, commandLine, type CastHeader, type CastWriterOptions, type CastEventCode } from './writer.js';
export { CastReader, CastError, parseCast, parseHeader, parseEvent, parseResize, looksLikeCast, type CastEvent } from './reader.js';
export { CastPlayer, playCastText, type PlayerOptions } from './player.js';
