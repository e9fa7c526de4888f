/** Session → its public JSON description (the `Session` schema). */
import type { z } from 'zod';
import { ArchivedSession } from '../archive/archived-session.js';
import type { Session } from '../sessions/session.js';
import type { SessionInfo } from '../schemas/sessions.js';

export function sessionInfo(s: Session | ArchivedSession): z.infer<typeof SessionInfo> {
  // From the archived description: listing archived sessions restores none of them.
  // The recording is archived with the session (src/archive/session-archive.ts).
  if (s instanceof ArchivedSession) {
    const { recording, ...info } = s.info;
    return { ...info, shell: s.info.shell ?? null, state: 'archived', pageCount: s.pageCount, inputPending: 0, recording: recording !== undefined, recordingTruncated: recording?.truncated ?? false };
  }
  const t = s.terminal;
  const live = !s.isDisposed;
  return {
    id: s.id,
    pid: s.pid,
    command: s.spec.command,
    args: s.spec.args,
    cwd: s.spec.cwd,
    state: s.state,
    exitCode: s.exitCode,
    signal: s.signal,
    cols: t.cols,
    rows: t.rows,
    scrollback: s.spec.scrollback,
    scrollbackLength: live ? t.scrollbackLength : 0,
    title: t.title,
    pageCount: live ? t.pageCount : 0,
    bytesParsed: t.bytesParsed,
    inputPending: s.inputPending,
    createdAt: s.createdAt.toISOString(),
    exitedAt: s.exitedAt ? s.exitedAt.toISOString() : null,
    recording: s.recording !== null,
    recordingTruncated: s.recording?.truncated ?? false,
    shell: s.shell,
  };
}
