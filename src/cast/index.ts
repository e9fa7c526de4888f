/**
 * asciicast v2 and v3 support, independent of the server: the writer sessions tap into, the
 * reader, the v2 ↔ v3 conversion and the player that replays a cast into an engine Terminal.
 */
export { CastWriter, RecordingBudget, TRUNCATED_MARKER, TOTAL_TRUNCATED_MARKER, commandLine, type CastWriterOptions, type CastEventCode } from './writer.js';
export { CAST_FORMATS, formatOf, headerSize, toV2Header, toV3Header, type CastFormat, type CastHeader, type CastHeaderV2, type CastHeaderV3, type CastTerm, type CastTheme } from './header.js';
export { CastReader, CastError, parseCast, parseHeader, parseEvent, parseResize, looksLikeCast, type CastEvent } from './reader.js';
export { convertCast, convertCastStream, MAX_STREAM_LINE_BYTES } from './convert.js';
export { CastPlayer, playCastText, type PlayerOptions } from './player.js';
